// The DunningStore port (dunning plans, debtors, runs, notices) on drizzle.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Db } from './database.js';
import {
  smsDunningDebtors,
  smsDunningNotices,
  smsDunningPlans,
  smsDunningRuns,
} from './schema-sms-dunning.js';
import type { DunningDebtorRecord, DunningStore } from '../../services/sms/dunning-ports.js';

const toDebtor = (r: typeof smsDunningDebtors.$inferSelect) => r as DunningDebtorRecord;
const CHUNK = 1000;

function chunks<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
}

function storeOn(db: Db, inTx: boolean): DunningStore {
  return {
    async insertPlan(p) {
      await db.insert(smsDunningPlans).values(p);
    },
    async updatePlan(id, patch) {
      await db.update(smsDunningPlans).set(patch).where(eq(smsDunningPlans.id, id));
    },
    async planById(id) {
      const [r] = await db.select().from(smsDunningPlans).where(eq(smsDunningPlans.id, id));
      return r;
    },
    async planByName(name) {
      const [r] = await db.select().from(smsDunningPlans).where(eq(smsDunningPlans.name, name));
      return r;
    },
    async plans() {
      return await db.select().from(smsDunningPlans).orderBy(asc(smsDunningPlans.name));
    },
    async debtorsByReference(planId, references) {
      const out: DunningDebtorRecord[] = [];
      for (const part of chunks(references)) {
        const rows = await db
          .select()
          .from(smsDunningDebtors)
          .where(and(eq(smsDunningDebtors.planId, planId), inArray(smsDunningDebtors.reference, part)));
        out.push(...rows.map(toDebtor));
      }
      return out;
    },
    async saveDebtors(rows) {
      for (const part of chunks(rows)) {
        await db
          .insert(smsDunningDebtors)
          .values(part)
          .onConflictDoUpdate({
            target: smsDunningDebtors.id,
            set: {
              phone: sql`excluded.phone`,
              e164: sql`excluded.e164`,
              name: sql`excluded.name`,
              amountMinor: sql`excluded.amount_minor`,
              currency: sql`excluded.currency`,
              dueDate: sql`excluded.due_date`,
              utility: sql`excluded.utility`,
              status: sql`excluded.status`,
              openedAt: sql`excluded.opened_at`,
              paidAt: sql`excluded.paid_at`,
              updatedAt: sql`excluded.updated_at`,
            },
          });
      }
    },
    async debtorById(id) {
      const [r] = await db.select().from(smsDunningDebtors).where(eq(smsDunningDebtors.id, id));
      return r && toDebtor(r);
    },
    async debtors(planId, q) {
      const rows = await db
        .select()
        .from(smsDunningDebtors)
        .where(
          and(
            eq(smsDunningDebtors.planId, planId),
            q.status ? eq(smsDunningDebtors.status, q.status) : undefined,
          ),
        )
        .orderBy(asc(smsDunningDebtors.reference))
        .limit(q.limit)
        .offset(q.offset);
      return rows.map(toDebtor);
    },
    async planDebtors(planId) {
      const rows = await db
        .select()
        .from(smsDunningDebtors)
        .where(eq(smsDunningDebtors.planId, planId))
        .orderBy(asc(smsDunningDebtors.reference));
      return rows.map(toDebtor);
    },
    async noticesOf(debtorIds) {
      const out = [];
      for (const part of chunks(debtorIds)) {
        out.push(
          ...(await db
            .select()
            .from(smsDunningNotices)
            .where(inArray(smsDunningNotices.debtorId, part))
            .orderBy(asc(smsDunningNotices.at))),
        );
      }
      return out;
    },
    async insertNotice(n) {
      await db.insert(smsDunningNotices).values(n);
    },
    async insertRun(r) {
      await db.insert(smsDunningRuns).values(r);
    },
    async updateRun(id, summary) {
      await db.update(smsDunningRuns).set({ summary }).where(eq(smsDunningRuns.id, id));
    },
    async runs(planId, q) {
      return db
        .select()
        .from(smsDunningRuns)
        .where(eq(smsDunningRuns.planId, planId))
        .orderBy(desc(smsDunningRuns.at))
        .limit(q.limit)
        .offset(q.offset);
    },
    transaction: (fn) =>
      inTx ? fn(storeOn(db, true)) : db.transaction((tx) => fn(storeOn(tx as unknown as Db, true))),
  };
}

/** The DunningStore port on PGlite or PostgreSQL. */
export function createDunningStore(database: Database): DunningStore {
  return storeOn(database.db, false);
}
