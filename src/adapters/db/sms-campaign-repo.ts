import { and, asc, count, desc, eq, inArray, ne, notExists, sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import { smsCampaigns, smsEvents, smsMessages, smsSegments } from './schema.js';
import type { SmsCampaignRepo } from '../../services/ports.js';
import type { SmsCampaignRecord, SmsMessageRecord } from '../../services/records.js';

const toCampaign = (r: typeof smsCampaigns.$inferSelect) => r as SmsCampaignRecord;

export function smsCampaignRepo(db: Db): SmsCampaignRepo {
  return {
    async insert(c) {
      await db.insert(smsCampaigns).values(c);
    },
    async byId(id) {
      const [r] = await db.select().from(smsCampaigns).where(eq(smsCampaigns.id, id));
      return r && toCampaign(r);
    },
    async list(q) {
      const rows = await db
        .select()
        .from(smsCampaigns)
        .where(q.state ? eq(smsCampaigns.state, q.state) : undefined)
        .orderBy(desc(smsCampaigns.createdAt), desc(smsCampaigns.id))
        .limit(q.limit)
        .offset(q.offset);
      return rows.map(toCampaign);
    },
    async inStates(states) {
      if (!states.length) return [];
      const rows = await db
        .select()
        .from(smsCampaigns)
        .where(inArray(smsCampaigns.state, [...states]))
        .orderBy(asc(smsCampaigns.createdAt));
      return rows.map(toCampaign);
    },
    async update(id, patch) {
      await db.update(smsCampaigns).set(patch).where(eq(smsCampaigns.id, id));
    },
    async counts(id) {
      const rows = await db
        .select({ status: smsMessages.status, n: count() })
        .from(smsMessages)
        .where(eq(smsMessages.campaignId, id))
        .groupBy(smsMessages.status);
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },
    async cancelQueued(id, at) {
      // Only messages none of whose parts went beyond 'queued': the others may be on the wire.
      const untouched = notExists(
        db
          .select({ one: sql`1` })
          .from(smsSegments)
          .where(and(eq(smsSegments.messageId, smsMessages.id), ne(smsSegments.status, 'queued'))),
      );
      const rows = await db
        .update(smsMessages)
        .set({ status: 'cancelled', updatedAt: at, doneAt: at })
        .where(and(eq(smsMessages.campaignId, id), eq(smsMessages.status, 'queued'), untouched))
        .returning({ id: smsMessages.id });
      for (let i = 0; i < rows.length; i += 1000) {
        await db
          .insert(smsEvents)
          .values(
            rows.slice(i, i + 1000).map((r) => ({ messageId: r.id, at, type: 'cancelled', details: null })),
          );
      }
      return rows.length;
    },
    async messages(id, q) {
      const conds: SQL[] = [eq(smsMessages.campaignId, id)];
      if (q.status) conds.push(eq(smsMessages.status, q.status));
      const rows = await db
        .select()
        .from(smsMessages)
        .where(and(...conds))
        .orderBy(asc(smsMessages.createdAt), asc(smsMessages.id))
        .limit(q.limit)
        .offset(q.offset);
      return rows as SmsMessageRecord[];
    },
  };
}
