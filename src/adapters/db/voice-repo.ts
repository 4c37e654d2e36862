// Voice rows: agents' SIP credentials, recordings and CDRs.
import { asc, eq } from 'drizzle-orm';
import type { Db } from './database.js';
import { agentSipAccounts, cdrs, recordings } from './schema.js';
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
