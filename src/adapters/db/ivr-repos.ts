import { asc, desc, eq, isNull, and } from 'drizzle-orm';
import type { Db } from './database.js';
import { ivrFlowVersions, ivrFlows, ivrNumbers, voicemails } from './schema.js';
import type { IvrFlowRepo, IvrNumberRecord, IvrNumberRepo, VoicemailRepo } from '../../services/ivr/ports.js';

export function ivrFlowRepo(db: Db): IvrFlowRepo {
  return {
    async insert(f) {
      await db.insert(ivrFlows).values(f);
    },
    async byId(id) {
      const [r] = await db.select().from(ivrFlows).where(eq(ivrFlows.id, id));
      return r;
    },
    async list(includeArchived) {
      return db
        .select()
        .from(ivrFlows)
        .where(includeArchived ? undefined : isNull(ivrFlows.archivedAt))
        .orderBy(desc(ivrFlows.createdAt), asc(ivrFlows.id));
    },
    async update(id, patch) {
      await db.update(ivrFlows).set(patch).where(eq(ivrFlows.id, id));
    },
    async insertVersion(v) {
      await db.insert(ivrFlowVersions).values(v);
    },
    async version(flowId, version) {
      const [r] = await db
        .select()
        .from(ivrFlowVersions)
        .where(and(eq(ivrFlowVersions.flowId, flowId), eq(ivrFlowVersions.version, version)));
      return r;
    },
    async versions(flowId) {
      return db
        .select()
        .from(ivrFlowVersions)
        .where(eq(ivrFlowVersions.flowId, flowId))
        .orderBy(asc(ivrFlowVersions.version));
    },
  };
}

const toNumber = (r: typeof ivrNumbers.$inferSelect) => r as IvrNumberRecord;

export function ivrNumberRepo(db: Db): IvrNumberRepo {
  return {
    async insert(n) {
      await db.insert(ivrNumbers).values(n);
    },
    async byId(id) {
      const [r] = await db.select().from(ivrNumbers).where(eq(ivrNumbers.id, id));
      return r && toNumber(r);
    },
    async byDnis(dnis) {
      const [r] = await db.select().from(ivrNumbers).where(eq(ivrNumbers.dnis, dnis));
      return r && toNumber(r);
    },
    async list() {
      return (await db.select().from(ivrNumbers).orderBy(asc(ivrNumbers.dnis))).map(toNumber);
    },
    async update(id, patch) {
      await db.update(ivrNumbers).set(patch).where(eq(ivrNumbers.id, id));
    },
    async delete(id) {
      const rows = await db.delete(ivrNumbers).where(eq(ivrNumbers.id, id)).returning();
      return rows.length > 0;
    },
  };
}

export function voicemailRepo(db: Db): VoicemailRepo {
  return {
    async insert(v) {
      await db.insert(voicemails).values(v);
    },
    async byInteraction(interactionId) {
      const [r] = await db.select().from(voicemails).where(eq(voicemails.interactionId, interactionId));
      return r;
    },
    async setInteraction(id, interactionId) {
      await db.update(voicemails).set({ interactionId }).where(eq(voicemails.id, id));
    },
  };
}
