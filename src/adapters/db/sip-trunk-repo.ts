// The console's SIP trunks (SipTrunkRepo) on drizzle.
import { asc, eq } from 'drizzle-orm';
import type { Db } from './database.js';
import { sipTrunkRoles, sipTrunks } from './schema-sip-trunks.js';
import type { SipTrunkRecord, SipTrunkRepo } from '../../services/telephony/sip-trunks.js';

const toTrunk = (r: typeof sipTrunks.$inferSelect): SipTrunkRecord => ({
  ...r,
  transport: r.transport === 'tcp' ? 'tcp' : 'udp',
});

export function sipTrunkRepo(db: Db): SipTrunkRepo {
  return {
    async list() {
      return (await db.select().from(sipTrunks).orderBy(asc(sipTrunks.name))).map(toTrunk);
    },
    async byName(name) {
      const [r] = await db.select().from(sipTrunks).where(eq(sipTrunks.name, name));
      return r && toTrunk(r);
    },
    async insert(t) {
      await db.insert(sipTrunks).values(t);
    },
    async update(name, patch) {
      await db.update(sipTrunks).set(patch).where(eq(sipTrunks.name, name));
    },
    async delete(name) {
      const rows = await db.delete(sipTrunks).where(eq(sipTrunks.name, name)).returning();
      return rows.length > 0;
    },
    async outboundChoice() {
      const [r] = await db.select().from(sipTrunkRoles).where(eq(sipTrunkRoles.role, 'outbound'));
      return r?.trunk ?? null;
    },
    async chooseOutbound(name, at) {
      if (name === null) {
        await db.delete(sipTrunkRoles).where(eq(sipTrunkRoles.role, 'outbound'));
        return;
      }
      await db
        .insert(sipTrunkRoles)
        .values({ role: 'outbound', trunk: name, updatedAt: at })
        .onConflictDoUpdate({ target: sipTrunkRoles.role, set: { trunk: name, updatedAt: at } });
    },
  };
}
