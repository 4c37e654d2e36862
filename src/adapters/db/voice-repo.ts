// Voice rows: agents' SIP credentials, recordings and CDRs.
import { and, asc, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import {
  agentSipAccounts,
  agents,
  cdrs,
  customers,
  interactions,
  queues,
  recordings,
  users,
} from './schema.js';
import type { VoiceRepo } from '../../services/ports.js';
import type { CdrRecord, RecordingRecord } from '../../services/records.js';

function toCdr(r: typeof cdrs.$inferSelect): CdrRecord {
  return {
    ...r,
    direction: r.direction as CdrRecord['direction'],
    endCause: r.endCause as CdrRecord['endCause'],
    role: (r.role ?? (r.direction === 'inbound' ? 'caller' : 'agent')) as NonNullable<CdrRecord['role']>,
  };
}

/** The VoiceRepo port on drizzle. */
export function voiceRepo(db: Db): VoiceRepo {
  return {
    async putSipAccount(a) {
      await db
        .insert(agentSipAccounts)
        .values(a)
        .onConflictDoUpdate({
          target: agentSipAccounts.agentId,
          set: { username: a.username, realm: a.realm, ha1: a.ha1, updatedAt: a.updatedAt },
        });
    },
    async sipAccountByAgent(agentId) {
      const [r] = await db.select().from(agentSipAccounts).where(eq(agentSipAccounts.agentId, agentId));
      return r;
    },
    async sipAccountByUsername(username) {
      const [r] = await db.select().from(agentSipAccounts).where(eq(agentSipAccounts.username, username));
      return r;
    },
    async deleteSipAccount(agentId) {
      const gone = await db
        .delete(agentSipAccounts)
        .where(eq(agentSipAccounts.agentId, agentId))
        .returning({ id: agentSipAccounts.agentId });
      return gone.length > 0;
    },
    async insertRecording(r) {
      await db.insert(recordings).values(r);
    },
    async updateRecording(id, patch) {
      await db.update(recordings).set(patch).where(eq(recordings.id, id));
    },
    async recordingById(id): Promise<RecordingRecord | undefined> {
      const [r] = await db.select().from(recordings).where(eq(recordings.id, id));
      return r;
    },
    async recordings(interactionId) {
      return db
        .select()
        .from(recordings)
        .where(eq(recordings.interactionId, interactionId))
        .orderBy(asc(recordings.startedAt));
    },
    async insertCdrs(rows) {
      if (rows.length > 0)
        await db
          .insert(cdrs)
          .values(
            rows.map((r) => ({ ...r, role: r.role ?? (r.direction === 'inbound' ? 'caller' : 'agent') })),
          );
    },
    async searchRecordings(q) {
      const conds: SQL[] = [];
      if (q.agentId) conds.push(eq(interactions.agentId, q.agentId));
      if (q.queueId) conds.push(eq(interactions.queueId, q.queueId));
      // Numbers are stored as dialled ("+1 202…", "12025550143"): compare the digits only.
      if (q.number) {
        conds.push(
          sql`regexp_replace(coalesce(${interactions.fromAddress}, ''), '[^0-9]', '', 'g') like ${`%${q.number}%`}`,
        );
      }
      if (q.from) conds.push(gte(recordings.startedAt, q.from));
      if (q.to) conds.push(lt(recordings.startedAt, q.to));
      if (q.after) {
        conds.push(
          or(
            lt(recordings.startedAt, q.after.startedAt),
            and(eq(recordings.startedAt, q.after.startedAt), lt(recordings.id, q.after.id)),
          )!,
        );
      }
      const rows = await db
        .select({
          recordingId: recordings.id,
          interactionId: recordings.interactionId,
          agentId: interactions.agentId,
          agentName: users.displayName,
          callerNumber: interactions.fromAddress,
          customerId: interactions.customerId,
          customerName: customers.name,
          queueId: interactions.queueId,
          queueName: queues.name,
          startedAt: recordings.startedAt,
          endedAt: recordings.endedAt,
          durationMs: recordings.durationMs,
          pauses: recordings.pauses,
          wrapUpCode: interactions.wrapUpCode,
        })
        .from(recordings)
        .innerJoin(interactions, eq(interactions.id, recordings.interactionId))
        .leftJoin(agents, eq(agents.id, interactions.agentId))
        .leftJoin(users, eq(users.id, agents.userId))
        .leftJoin(queues, eq(queues.id, interactions.queueId))
        .leftJoin(customers, eq(customers.id, interactions.customerId))
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(recordings.startedAt), desc(recordings.id))
        .limit(q.limit);
      return rows;
    },
    async agentHistory(q) {
      const conds: SQL[] = [eq(interactions.agentId, q.agentId)];
      if (q.beforeSeq !== undefined) conds.push(lt(interactions.seq, q.beforeSeq));
      const rows = await db
        .select({
          seq: interactions.seq,
          interactionId: interactions.id,
          channel: interactions.channel,
          direction: interactions.direction,
          status: interactions.status,
          outcome: interactions.outcome,
          wrapUpCode: interactions.wrapUpCode,
          fromAddress: interactions.fromAddress,
          subject: interactions.subject,
          customerId: interactions.customerId,
          customerName: customers.name,
          queueId: interactions.queueId,
          queueName: queues.name,
          createdAt: interactions.createdAt,
          acceptedAt: interactions.acceptedAt,
          endedAt: interactions.endedAt,
        })
        .from(interactions)
        .leftJoin(queues, eq(queues.id, interactions.queueId))
        .leftJoin(customers, eq(customers.id, interactions.customerId))
        .where(and(...conds))
        .orderBy(desc(interactions.seq))
        .limit(q.limit);
      const ids = rows.map((r) => r.interactionId);
      const recs =
        ids.length === 0
          ? []
          : await db
              .select({
                id: recordings.id,
                interactionId: recordings.interactionId,
                durationMs: recordings.durationMs,
              })
              .from(recordings)
              .where(inArray(recordings.interactionId, ids))
              .orderBy(asc(recordings.startedAt));
      return rows.map((r) => ({
        ...r,
        recordings: recs
          .filter((x) => x.interactionId === r.interactionId)
          .map((x) => ({ id: x.id, durationMs: x.durationMs })),
      }));
    },
    async cdrs(interactionId) {
      const rows = await db
        .select()
        .from(cdrs)
        .where(eq(cdrs.interactionId, interactionId))
        .orderBy(asc(cdrs.startedAt), asc(cdrs.direction));
      return rows.map(toCdr);
    },
  };
}
