import {
  and,
  asc,
  count,
  desc,
  eq,
  inArray,
  isNotNull,
  isNull,
  gte,
  lt,
  lte,
  notInArray,
  or,
  type SQL,
} from 'drizzle-orm';
import type { Db } from './database.js';
import { smsEvents, smsMessages, smsSegments } from './schema.js';
import type { SmsRepo } from '../../services/ports.js';
import type { SmsMessageRecord, SmsSegmentRecord } from '../../services/records.js';

const toMessage = (r: typeof smsMessages.$inferSelect) => r as SmsMessageRecord;
const toSegment = (r: typeof smsSegments.$inferSelect) => r as SmsSegmentRecord;

export function smsRepo(db: Db): SmsRepo {
  return {
    async insert(m) {
      await db.insert(smsMessages).values(m);
    },
    async byId(id) {
      const [r] = await db.select().from(smsMessages).where(eq(smsMessages.id, id));
      return r && toMessage(r);
    },
    async byIdempotencyKey(key) {
      const [r] = await db.select().from(smsMessages).where(eq(smsMessages.idempotencyKey, key));
      return r && toMessage(r);
    },
    async search(q) {
      const conds: SQL[] = [];
      if (q.status) conds.push(eq(smsMessages.status, q.status));
      if (q.recipient) conds.push(eq(smsMessages.recipient, q.recipient));
      if (q.accountId) conds.push(eq(smsMessages.accountId, q.accountId));
      if (q.campaignId) conds.push(eq(smsMessages.campaignId, q.campaignId));
      if (q.since) conds.push(gte(smsMessages.createdAt, q.since));
      if (q.until) conds.push(lt(smsMessages.createdAt, q.until));
      const rows = await db
        .select()
        .from(smsMessages)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(smsMessages.createdAt), desc(smsMessages.id))
        .limit(q.limit)
        .offset(q.offset);
      return rows.map(toMessage);
    },
    async update(id, patch) {
      await db.update(smsMessages).set(patch).where(eq(smsMessages.id, id));
    },
    async due(now, limit, exclude) {
      const conds: SQL[] = [eq(smsMessages.status, 'queued')];
      const notWaiting = or(isNull(smsMessages.nextAttemptAt), lte(smsMessages.nextAttemptAt, now));
      if (notWaiting) conds.push(notWaiting);
      if (exclude.length) conds.push(notInArray(smsMessages.id, exclude));
      const rows = await db
        .select()
        .from(smsMessages)
        .where(and(...conds))
        .orderBy(desc(smsMessages.priority), asc(smsMessages.createdAt), asc(smsMessages.id))
        .limit(limit);
      return rows.map(toMessage);
    },
    async nextRetryAt() {
      const [r] = await db
        .select({ at: smsMessages.nextAttemptAt })
        .from(smsMessages)
        .where(and(eq(smsMessages.status, 'queued'), isNotNull(smsMessages.nextAttemptAt)))
        .orderBy(asc(smsMessages.nextAttemptAt))
        .limit(1);
      return r?.at ?? undefined;
    },
    async insertSegments(rows) {
      if (rows.length) await db.insert(smsSegments).values(rows).onConflictDoNothing();
    },
    async segments(messageId) {
      const rows = await db
        .select()
        .from(smsSegments)
        .where(eq(smsSegments.messageId, messageId))
        .orderBy(asc(smsSegments.seq));
      return rows.map(toSegment);
    },
    async segmentBySmscKey(key) {
      const [r] = await db.select().from(smsSegments).where(eq(smsSegments.smscMessageKey, key)).limit(1);
      return r && toSegment(r);
    },
    async updateSegment(messageId, seq, patch, onlyIf) {
      const conds = [eq(smsSegments.messageId, messageId), eq(smsSegments.seq, seq)];
      if (onlyIf) conds.push(inArray(smsSegments.status, onlyIf));
      const rows = await db
        .update(smsSegments)
        .set(patch)
        .where(and(...conds))
        .returning({ seq: smsSegments.seq });
      return rows.length > 0;
    },
    async messagesWithSegment(status) {
      const rows = await db
        .selectDistinct({ id: smsSegments.messageId })
        .from(smsSegments)
        .where(eq(smsSegments.status, status));
      return rows.map((r) => r.id);
    },
    async appendEvents(events) {
      if (events.length) await db.insert(smsEvents).values(events);
    },
    async events(messageId) {
      const rows = await db
        .select()
        .from(smsEvents)
        .where(eq(smsEvents.messageId, messageId))
        .orderBy(asc(smsEvents.id));
      return rows;
    },
    async queuedByPriority() {
      const rows = await db
        .select({ priority: smsMessages.priority, count: count() })
        .from(smsMessages)
        .where(eq(smsMessages.status, 'queued'))
        .groupBy(smsMessages.priority)
        .orderBy(desc(smsMessages.priority));
      return rows;
    },
  };
}
