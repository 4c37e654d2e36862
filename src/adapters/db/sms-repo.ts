import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import { iso, pgArray } from './pg-array.js';
import { smsEvents, smsMessages, smsSegments } from './schema.js';
import type { SmsRepo } from '../../services/ports.js';
import type { SmsMessageRecord, SmsMessageState, SmsSegmentRecord } from '../../services/records.js';

// Rows per multi-row insert: well under the 65,535 bind parameters of one statement.
const CHUNK = 1000;

// Rows per insert from arrays (unnest): the statement carries one parameter per column.
const ARRAY_CHUNK = 5000;

/** The rows of a raw statement (node-postgres and PGlite both answer `{ rows }`). */
async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/** A timestamp of a raw row: the drivers under drizzle leave them as text. */
const dateOf = (v: Date | string | null): Date | null => (v === null || v instanceof Date ? v : new Date(v));

/** A segment row under the record's field names. */
const SEGMENT_FIELDS = sql.raw(`message_id as "messageId", seq, status, smsc_message_key as "smscMessageKey",
  smsc_message_id as "smscMessageId", error_code as "errorCode", submitted_at as "submittedAt",
  done_at as "doneAt", route`);

/** A message row under the record's field names (raw statements of the sending loop). */
const MESSAGE_FIELDS = sql.raw(`id, sender, recipient, body, encoding, segments, type, priority, status,
  error_code as "errorCode", concat_ref as "concatRef", idempotency_key as "idempotencyKey",
  created_by as "createdBy", created_at as "createdAt", updated_at as "updatedAt",
  next_attempt_at as "nextAttemptAt", submitted_at as "submittedAt", done_at as "doneAt",
  account_id as "accountId", cost_minor as "costMinor", send_at as "sendAt", valid_until as "validUntil",
  campaign_id as "campaignId"`);

/**
 * Messages read by a raw statement: timestamps from text, the bigint cost as a number. Cheaper than
 * drizzle's select for the dispatcher's reads, which run for every batch it takes.
 */
async function messageRows(db: Db, query: SQL): Promise<SmsMessageRecord[]> {
  const rows = await rowsOf<SmsMessageRecord>(db, query);
  for (const r of rows) {
    r.createdAt = dateOf(r.createdAt)!;
    r.updatedAt = dateOf(r.updatedAt)!;
    r.nextAttemptAt = dateOf(r.nextAttemptAt);
    r.submittedAt = dateOf(r.submittedAt);
    r.doneAt = dateOf(r.doneAt);
    r.sendAt = dateOf(r.sendAt);
    r.validUntil = dateOf(r.validUntil);
    r.costMinor = Number(r.costMinor);
  }
  return rows;
}

const toMessage = (r: typeof smsMessages.$inferSelect) => r as SmsMessageRecord;
const toSegment = (r: typeof smsSegments.$inferSelect) => r as SmsSegmentRecord;

export function smsRepo(db: Db): SmsRepo {
  return {
    async insert(m) {
      await db.insert(smsMessages).values(m);
    },
    async insertAll(messages) {
      // Well under the bind parameter limit: about 20 columns per row.
      for (let i = 0; i < messages.length; i += CHUNK) {
        await db.insert(smsMessages).values(messages.slice(i, i + CHUNK));
      }
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
      if (q.sender) conds.push(eq(smsMessages.sender, q.sender));
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
    async insertMany(messages) {
      // A handful of array parameters per chunk instead of one per value: binding and parsing
      // 19 parameters for each of 100,000 rows was most of the time of a large campaign.
      for (let i = 0; i < messages.length; i += ARRAY_CHUNK) {
        const chunk = messages.slice(i, i + ARRAY_CHUNK);
        const col = (f: (m: SmsMessageRecord) => string | number | null) => pgArray(chunk.map(f));
        // The messages and their 'queued' events in one statement: one round trip, and the events come
        // from the inserted rows rather than from a look-up of each id.
        await db.execute(sql`with m as (insert into sms_messages (id, sender, recipient, body, encoding, segments, type,
            priority, status, idempotency_key, created_by, created_at, updated_at, campaign_id,
            account_id, cost_minor, send_at, valid_until, next_attempt_at)
          select * from unnest(${col((m) => m.id)}::uuid[], ${col((m) => m.sender)}::text[],
            ${col((m) => m.recipient)}::text[], ${col((m) => m.body)}::text[], ${col((m) => m.encoding)}::text[],
            ${col((m) => m.segments)}::int[], ${col((m) => m.type)}::text[], ${col((m) => m.priority)}::int[],
            ${col((m) => m.status)}::text[], ${col((m) => m.idempotencyKey)}::text[],
            ${col((m) => m.createdBy)}::text[], ${col((m) => iso(m.createdAt))}::timestamptz[],
            ${col((m) => iso(m.updatedAt))}::timestamptz[], ${col((m) => m.campaignId)}::uuid[],
            ${col((m) => m.accountId)}::uuid[], ${col((m) => m.costMinor)}::bigint[],
            ${col((m) => iso(m.sendAt))}::timestamptz[], ${col((m) => iso(m.validUntil))}::timestamptz[],
            ${col((m) => iso(m.nextAttemptAt))}::timestamptz[])
            returning id, created_at, segments, campaign_id)
          insert into sms_events (message_id, at, type, details)
          select m.id, m.created_at, 'queued', case when m.campaign_id is null
              then jsonb_build_object('segments', m.segments)
              else jsonb_build_object('segments', m.segments, 'campaignId', m.campaign_id) end
          from m`);
      }
    },
    async due(now, limit, exclude, campaigns = []) {
      // Raw statements with one array parameter for the ids to leave out: this runs for every batch
      // the dispatcher takes, and drizzle building a parameter per excluded id cost more than the read.
      const conds = sql`status = 'queued' and (next_attempt_at is null or next_attempt_at <= ${iso(now)}::timestamptz)
        and id <> all(${pgArray(exclude)}::uuid[])`;
      const direct = await messageRows(
        db,
        // Messages of Hotline's campaigns go below, under their campaign's allowance; a message
        // tagged with some other campaign id is an ordinary one.
        sql`select ${MESSAGE_FIELDS} from sms_messages
          where ${conds} and (campaign_id is null
            or not exists (select 1 from sms_campaigns c where c.id = sms_messages.campaign_id))
          order by priority desc nulls last, created_at asc, id asc limit ${limit}`,
      );
      const rows = [...direct];
      // One campaign has one type (one priority): its own index gives its oldest at once.
      for (const c of campaigns) {
        if (c.limit <= 0) continue;
        rows.push(
          ...(await messageRows(
            db,
            sql`select ${MESSAGE_FIELDS} from sms_messages where campaign_id = ${c.id}::uuid and ${conds}
              order by created_at asc, id asc limit ${Math.min(c.limit, limit)}`,
          )),
        );
      }
      if (rows.length > direct.length) {
        rows.sort(
          (a, b) =>
            b.priority - a.priority ||
            a.createdAt.getTime() - b.createdAt.getTime() ||
            (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
        );
      }
      return rows.slice(0, limit);
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
    async startSegments(rows, at) {
      const started: { messageId: string; seq: number }[] = [];
      for (let i = 0; i < rows.length; i += ARRAY_CHUNK) {
        const chunk = rows.slice(i, i + ARRAY_CHUNK);
        started.push(
          ...(await rowsOf<{ messageId: string; seq: number }>(
            db,
            sql`insert into sms_segments (message_id, seq, status, submitted_at)
              select u.message_id, u.seq, 'submitting', ${iso(at)}::timestamptz
              from unnest(${pgArray(chunk.map((r) => r.messageId))}::uuid[], ${pgArray(chunk.map((r) => r.seq))}::int[])
                as u(message_id, seq)
              on conflict (message_id, seq) do update
                set status = 'submitting', submitted_at = excluded.submitted_at
                -- A part already submitted (or settled) by an earlier attempt is not sent again.
                where sms_segments.status = 'queued'
              returning message_id as "messageId", seq`,
          )),
        );
      }
      return started;
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
    async byIds(ids) {
      if (!ids.length) return [];
      return messageRows(
        db,
        sql`select ${MESSAGE_FIELDS} from sms_messages where id = any(${pgArray(ids)}::uuid[])`,
      );
    },
    async segmentsOf(messageIds) {
      if (!messageIds.length) return [];
      // One array parameter, not one per id; the rows as they are (no per-column mapping).
      const rows = await rowsOf<SmsSegmentRecord>(
        db,
        sql`select ${SEGMENT_FIELDS} from sms_segments where message_id = any(${pgArray(messageIds)}::uuid[])`,
      );
      for (const r of rows) {
        r.submittedAt = dateOf(r.submittedAt);
        r.doneAt = dateOf(r.doneAt);
      }
      return rows;
    },
    async messageStates(ids) {
      if (!ids.length) return [];
      const rows = await rowsOf<SmsMessageState>(
        db,
        sql`select id, status, error_code as "errorCode", segments, updated_at as "updatedAt",
          next_attempt_at as "nextAttemptAt", submitted_at as "submittedAt", done_at as "doneAt"
          from sms_messages where id = any(${pgArray(ids)}::uuid[])`,
      );
      for (const r of rows) {
        r.updatedAt = dateOf(r.updatedAt)!;
        r.nextAttemptAt = dateOf(r.nextAttemptAt);
        r.submittedAt = dateOf(r.submittedAt);
        r.doneAt = dateOf(r.doneAt);
      }
      return rows;
    },
    async saveSegments(rows) {
      // One array parameter per column (unnest): binding a parameter per value cost more than the update.
      for (let i = 0; i < rows.length; i += ARRAY_CHUNK) {
        const chunk = rows.slice(i, i + ARRAY_CHUNK);
        const col = (f: (r: SmsSegmentRecord) => string | number | null) => pgArray(chunk.map(f));
        await db.execute(sql`update sms_segments as s set status = v.status,
          smsc_message_key = v.smsc_message_key, smsc_message_id = v.smsc_message_id,
          error_code = v.error_code, submitted_at = v.submitted_at, done_at = v.done_at,
          route = coalesce(v.route, s.route)
          from unnest(${col((r) => r.messageId)}::uuid[], ${col((r) => r.seq)}::int[],
            ${col((r) => r.status)}::text[], ${col((r) => r.smscMessageKey)}::text[],
            ${col((r) => r.smscMessageId)}::text[], ${col((r) => r.errorCode)}::int[],
            ${col((r) => iso(r.submittedAt))}::timestamptz[], ${col((r) => iso(r.doneAt))}::timestamptz[],
            ${col((r) => r.route ?? null)}::text[])
            as v(message_id, seq, status, smsc_message_key, smsc_message_id, error_code, submitted_at, done_at, route)
          where s.message_id = v.message_id and s.seq = v.seq`);
      }
    },
    async saveMessages(rows) {
      for (let i = 0; i < rows.length; i += ARRAY_CHUNK) {
        const chunk = rows.slice(i, i + ARRAY_CHUNK);
        const col = (f: (r: SmsMessageState) => string | number | null) => pgArray(chunk.map(f));
        await db.execute(sql`update sms_messages as m set status = v.status, error_code = v.error_code,
          updated_at = v.updated_at, next_attempt_at = v.next_attempt_at,
          submitted_at = v.submitted_at, done_at = v.done_at
          from unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.status)}::text[],
            ${col((r) => r.errorCode)}::int[], ${col((r) => iso(r.updatedAt))}::timestamptz[],
            ${col((r) => iso(r.nextAttemptAt))}::timestamptz[], ${col((r) => iso(r.submittedAt))}::timestamptz[],
            ${col((r) => iso(r.doneAt))}::timestamptz[])
            as v(id, status, error_code, updated_at, next_attempt_at, submitted_at, done_at)
          where m.id = v.id`);
      }
    },
    async messagesWithSegment(status) {
      const rows = await db
        .selectDistinct({ id: smsSegments.messageId })
        .from(smsSegments)
        .where(eq(smsSegments.status, status));
      return rows.map((r) => r.id);
    },
    async appendEvents(events) {
      // In array order, so ids (and the history's order) follow the order given.
      for (let i = 0; i < events.length; i += ARRAY_CHUNK) {
        const chunk = events.slice(i, i + ARRAY_CHUNK);
        const col = (f: (e: (typeof chunk)[number]) => string | null) => pgArray(chunk.map(f));
        await db.execute(sql`insert into sms_events (message_id, at, type, details)
          select * from unnest(${col((e) => e.messageId)}::uuid[], ${col((e) => iso(e.at))}::timestamptz[],
            ${col((e) => e.type)}::text[], ${col((e) => (e.details === null ? null : JSON.stringify(e.details)))}::jsonb[])`);
      }
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
