import { and, asc, between, desc, eq, inArray, ne, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import { agentStateLog, interactionEvents, interactions } from './schema.js';
import type { AgentStateRepo, InteractionRepo } from '../../services/ports.js';
import type { InteractionRecord } from '../../services/records.js';

const toRec = (r: typeof interactions.$inferSelect) => r as InteractionRecord;

export function interactionRepo(db: Db): InteractionRepo {
  return {
    async insert(i) {
      const [r] = await db.insert(interactions).values(i).returning();
      return toRec(r!);
    },
    async byId(id) {
      const [r] = await db.select().from(interactions).where(eq(interactions.id, id));
      return r && toRec(r);
    },
    async byIdempotencyKey(key) {
      const [r] = await db.select().from(interactions).where(eq(interactions.idempotencyKey, key));
      return r && toRec(r);
    },
    async update(id, patch) {
      await db.update(interactions).set(patch).where(eq(interactions.id, id));
    },
    async listOpen() {
      const rows = await db
        .select()
        .from(interactions)
        .where(ne(interactions.status, 'ended'))
        .orderBy(asc(interactions.seq));
      return rows.map(toRec);
    },
    async list(q) {
      const conds: SQL[] = [];
      if (q.customerId) conds.push(eq(interactions.customerId, q.customerId));
      if (q.agentId) conds.push(eq(interactions.agentId, q.agentId));
      if (q.queueId) conds.push(eq(interactions.queueId, q.queueId));
      if (q.status) conds.push(eq(interactions.status, q.status));
      if (q.agentIds) {
        if (q.agentIds.length === 0) return [];
        conds.push(inArray(interactions.agentId, q.agentIds));
      }
      const rows = await db
        .select()
        .from(interactions)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(interactions.seq))
        .limit(q.limit)
        .offset(q.offset);
      return rows.map(toRec);
    },
    async appendEvents(events) {
      if (events.length) await db.insert(interactionEvents).values(events);
    },
    async events(interactionId) {
      return await db
        .select()
        .from(interactionEvents)
        .where(eq(interactionEvents.interactionId, interactionId))
        .orderBy(asc(interactionEvents.id));
    },
  };
}

export function agentStateRepo(db: Db): AgentStateRepo {
  return {
    async append(rows) {
      if (rows.length) await db.insert(agentStateLog).values(rows);
    },
    async list(agentId, from, to) {
      return await db
        .select({
          agentId: agentStateLog.agentId,
          at: agentStateLog.at,
          state: agentStateLog.state,
          previous: agentStateLog.previous,
          reason: agentStateLog.reason,
          cause: agentStateLog.cause,
        })
        .from(agentStateLog)
        .where(and(eq(agentStateLog.agentId, agentId), between(agentStateLog.at, from, to)))
        .orderBy(asc(agentStateLog.id));
    },
  };
}
