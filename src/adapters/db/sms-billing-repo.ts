import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { iso, pgArray } from './pg-array.js';
import { smsAccountMembers, smsAccounts, smsLedger, smsPrices } from './schema.js';
import type {
  SmsAccountRecord,
  SmsBillingRepo,
  SmsLedgerRecord,
  SmsPriceRecord,
} from '../../services/sms/billing-ports.js';

const toAccount = (r: typeof smsAccounts.$inferSelect) => r as SmsAccountRecord;
const toLedger = (r: typeof smsLedger.$inferSelect) => r as SmsLedgerRecord;
const toPrice = (r: typeof smsPrices.$inferSelect): SmsPriceRecord => ({
  id: r.id,
  prefix: r.prefix,
  route: r.route === '' ? null : r.route,
  perSegment: r.perSegment,
});

export function smsBillingRepo(db: Db): SmsBillingRepo {
  return {
    async insertAccount(a) {
      await db.insert(smsAccounts).values(a);
    },
    async accountById(id) {
      const [r] = await db.select().from(smsAccounts).where(eq(smsAccounts.id, id));
      return r && toAccount(r);
    },
    async accountByName(name) {
      const [r] = await db.select().from(smsAccounts).where(eq(smsAccounts.name, name));
      return r && toAccount(r);
    },
    async listAccounts() {
      return (await db.select().from(smsAccounts).orderBy(asc(smsAccounts.name))).map(toAccount);
    },
    async updateAccount(id, patch) {
      await db.update(smsAccounts).set(patch).where(eq(smsAccounts.id, id));
    },
    async accountOf(m) {
      const [r] = await db
        .select({ a: smsAccounts })
        .from(smsAccountMembers)
        .innerJoin(smsAccounts, eq(smsAccounts.id, smsAccountMembers.accountId))
        .where(
          and(
            eq(smsAccountMembers.principalType, m.principalType),
            eq(smsAccountMembers.principalId, m.principalId),
          ),
        );
      return r && toAccount(r.a);
    },
    async members(accountId) {
      const rows = await db
        .select({
          principalType: smsAccountMembers.principalType,
          principalId: smsAccountMembers.principalId,
        })
        .from(smsAccountMembers)
        .where(eq(smsAccountMembers.accountId, accountId))
        .orderBy(asc(smsAccountMembers.principalType), asc(smsAccountMembers.principalId));
      return rows as Awaited<ReturnType<SmsBillingRepo['members']>>;
    },
    async addMembers(accountId, members) {
      if (!members.length) return;
      await db
        .insert(smsAccountMembers)
        .values(members.map((m) => ({ ...m, accountId })))
        .onConflictDoUpdate({
          target: [smsAccountMembers.principalType, smsAccountMembers.principalId],
          set: { accountId },
        });
    },
    async removeMember(m) {
      const r = await db
        .delete(smsAccountMembers)
        .where(
          and(
            eq(smsAccountMembers.principalType, m.principalType),
            eq(smsAccountMembers.principalId, m.principalId),
          ),
        )
        .returning({ id: smsAccountMembers.accountId });
      return r.length > 0;
    },
    async debitIfCovered(id, amount) {
      // One conditional UPDATE: two concurrent sends can never both spend the same balance.
      const [r] = await db
        .update(smsAccounts)
        .set({ balance: sql`${smsAccounts.balance} - ${amount}` })
        .where(and(eq(smsAccounts.id, id), gte(smsAccounts.balance, amount)))
        .returning({ balance: smsAccounts.balance });
      return r?.balance;
    },
    async adjustBalance(id, amount) {
      const [r] = await db
        .update(smsAccounts)
        .set({ balance: sql`${smsAccounts.balance} + ${amount}` })
        .where(eq(smsAccounts.id, id))
        .returning({ balance: smsAccounts.balance });
      return r?.balance ?? 0;
    },
    async useQuota(id, month, amount, quota) {
      const used = sql`case when ${smsAccounts.quotaMonth} = ${month} then ${smsAccounts.quotaUsed} else 0 end`;
      const r = await db
        .update(smsAccounts)
        .set({ quotaMonth: month, quotaUsed: sql`${used} + ${amount}` })
        .where(and(eq(smsAccounts.id, id), sql`${used} + ${amount} <= ${quota}`))
        .returning({ id: smsAccounts.id });
      return r.length > 0;
    },
    async releaseQuota(id, month, amount) {
      await db
        .update(smsAccounts)
        .set({ quotaUsed: sql`greatest(${smsAccounts.quotaUsed} - ${amount}, 0)` })
        .where(and(eq(smsAccounts.id, id), eq(smsAccounts.quotaMonth, month)));
    },
    async appendLedger(row) {
      await db.insert(smsLedger).values(row);
    },
    async appendLedgerMany(rows) {
      // One array parameter per column: a bulk send's 500 charges were 4,500 parameters.
      for (let i = 0; i < rows.length; i += 5000) {
        const chunk = rows.slice(i, i + 5000);
        const col = (f: (r: (typeof chunk)[number]) => string | number | null) => pgArray(chunk.map(f));
        await db.execute(sql`insert into sms_ledger (account_id, at, kind, amount, segments, message_id,
            message_type, note, created_by)
          select * from unnest(${col((r) => r.accountId)}::uuid[], ${col((r) => iso(r.at))}::timestamptz[],
            ${col((r) => r.kind)}::text[], ${col((r) => r.amount)}::bigint[], ${col((r) => r.segments)}::int[],
            ${col((r) => r.messageId)}::uuid[], ${col((r) => r.messageType)}::text[],
            ${col((r) => r.note)}::text[], ${col((r) => r.createdBy)}::text[])`);
      }
    },
    async ledgerOfMessage(messageId) {
      return (await db.select().from(smsLedger).where(eq(smsLedger.messageId, messageId))).map(toLedger);
    },
    async ledgerSumBefore(accountId, before) {
      const [r] = await db
        .select({ sum: sql<string | null>`sum(${smsLedger.amount})` })
        .from(smsLedger)
        .where(and(eq(smsLedger.accountId, accountId), lt(smsLedger.at, before)));
      return Number(r?.sum ?? 0);
    },
    async ledger(accountId, from, to) {
      const rows = await db
        .select()
        .from(smsLedger)
        .where(and(eq(smsLedger.accountId, accountId), gte(smsLedger.at, from), lt(smsLedger.at, to)))
        .orderBy(asc(smsLedger.at), asc(smsLedger.id));
      return rows.map(toLedger);
    },
    async prices() {
      const rows = await db.select().from(smsPrices).orderBy(asc(smsPrices.prefix), asc(smsPrices.route));
      return rows.map(toPrice);
    },
    async putPrice(p) {
      const [r] = await db
        .insert(smsPrices)
        .values({ ...p, route: p.route ?? '' })
        .onConflictDoUpdate({
          target: [smsPrices.prefix, smsPrices.route],
          set: { perSegment: p.perSegment },
        })
        .returning();
      return toPrice(r!);
    },
    async deletePrice(id) {
      const r = await db.delete(smsPrices).where(eq(smsPrices.id, id)).returning({ id: smsPrices.id });
      return r.length > 0;
    },
  };
}
