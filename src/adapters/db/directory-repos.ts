import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from './database.js';
import { agents, agentSkills, queues, reasonCodes, skills, teams, teamSupervisors, users } from './schema.js';
import type { AgentRepo, QueueRepo, ReasonCodeRepo, SkillRepo, TeamRepo } from '../../services/ports.js';
import type { AgentRecord, QueueRecord, ReasonCodeRecord, ReasonKind } from '../../services/records.js';
import type { Channel, Strategy } from '../../domain/routing/types.js';
import type { BusinessHours } from '../../domain/calendar/business-hours.js';

export function teamRepo(db: Db): TeamRepo {
  async function withSupervisors(rows: (typeof teams.$inferSelect)[]) {
    if (rows.length === 0) return [];
    const sup = await db
      .select()
      .from(teamSupervisors)
      .where(
        inArray(
          teamSupervisors.teamId,
          rows.map((r) => r.id),
        ),
      );
    return rows.map((r) => ({
      ...r,
      supervisorIds: sup.filter((s) => s.teamId === r.id).map((s) => s.userId),
    }));
  }
  return {
    async insert(t) {
      await db.insert(teams).values(t);
    },
    async list() {
      return withSupervisors(await db.select().from(teams).orderBy(teams.name));
    },
    async byId(id) {
      const [r] = await withSupervisors(await db.select().from(teams).where(eq(teams.id, id)));
      return r;
    },
    async rename(id, name) {
      await db.update(teams).set({ name }).where(eq(teams.id, id));
    },
    async delete(id) {
      return (await db.delete(teams).where(eq(teams.id, id)).returning()).length > 0;
    },
    async setSupervisors(teamId, userIds) {
      await db.delete(teamSupervisors).where(eq(teamSupervisors.teamId, teamId));
      if (userIds.length)
        await db.insert(teamSupervisors).values(userIds.map((userId) => ({ teamId, userId })));
    },
    async supervisedBy(userId) {
      const rows = await db.select().from(teamSupervisors).where(eq(teamSupervisors.userId, userId));
      return rows.map((r) => r.teamId);
    },
  };
}

export function skillRepo(db: Db): SkillRepo {
  return {
    async insert(s) {
      await db.insert(skills).values(s);
    },
    async list() {
      return await db.select().from(skills).orderBy(skills.name);
    },
    async delete(id) {
      return (await db.delete(skills).where(eq(skills.id, id)).returning()).length > 0;
    },
  };
}

export function agentRepo(db: Db): AgentRepo {
  async function load(where?: ReturnType<typeof eq>): Promise<AgentRecord[]> {
    const rows = await db
      .select({ a: agents, username: users.username, displayName: users.displayName })
      .from(agents)
      .innerJoin(users, eq(users.id, agents.userId))
      .where(where)
      .orderBy(users.username);
    if (rows.length === 0) return [];
    const sk = await db
      .select()
      .from(agentSkills)
      .where(
        inArray(
          agentSkills.agentId,
          rows.map((r) => r.a.id),
        ),
      );
    return rows.map(({ a, username, displayName }) => ({
      id: a.id,
      userId: a.userId,
      username,
      displayName,
      teamId: a.teamId,
      skills: Object.fromEntries(sk.filter((s) => s.agentId === a.id).map((s) => [s.skillId, s.level])),
      capacity: a.capacity,
      exclusiveChannels: a.exclusiveChannels as Channel[],
      presence: a.presence as AgentRecord['presence'],
      presenceReason: a.presenceReason,
      createdAt: a.createdAt,
    }));
  }
  async function writeSkills(agentId: string, map: Record<string, number>) {
    await db.delete(agentSkills).where(eq(agentSkills.agentId, agentId));
    const rows = Object.entries(map).map(([skillId, level]) => ({ agentId, skillId, level }));
    if (rows.length) await db.insert(agentSkills).values(rows);
  }
  return {
    async insert(a) {
      await db.insert(agents).values({
        id: a.id,
        userId: a.userId,
        teamId: a.teamId,
        capacity: a.capacity as Record<string, number>,
        exclusiveChannels: a.exclusiveChannels,
        presence: a.presence,
        presenceReason: a.presenceReason,
        createdAt: a.createdAt,
      });
      await writeSkills(a.id, a.skills);
    },
    async byId(id) {
      return (await load(eq(agents.id, id)))[0];
    },
    async byUserId(userId) {
      return (await load(eq(agents.userId, userId)))[0];
    },
    list: () => load(),
    async update(id, patch) {
      const { skills: sk, ...rest } = patch;
      if (Object.keys(rest).length) {
        await db.update(agents).set(rest).where(eq(agents.id, id));
      }
      if (sk) await writeSkills(id, sk);
    },
    async setPresence(id, presence, reason) {
      await db.update(agents).set({ presence, presenceReason: reason }).where(eq(agents.id, id));
    },
    async delete(id) {
      return (await db.delete(agents).where(eq(agents.id, id)).returning()).length > 0;
    },
  };
}

function toQueue(r: typeof queues.$inferSelect): QueueRecord {
  return {
    ...r,
    strategy: r.strategy as Strategy,
    overflow: r.overflow as QueueRecord['overflow'],
    businessHours: (r.businessHours ?? null) as BusinessHours | null,
  };
}

export function queueRepo(db: Db): QueueRepo {
  return {
    async insert(q) {
      await db.insert(queues).values(q);
    },
    async byId(id) {
      const [r] = await db.select().from(queues).where(eq(queues.id, id));
      return r && toQueue(r);
    },
    async list() {
      return (await db.select().from(queues).orderBy(queues.name)).map(toQueue);
    },
    async update(id, patch) {
      await db.update(queues).set(patch).where(eq(queues.id, id));
    },
    async delete(id) {
      return (await db.delete(queues).where(eq(queues.id, id)).returning()).length > 0;
    },
  };
}

export function reasonCodeRepo(db: Db): ReasonCodeRepo {
  const toRec = (r: typeof reasonCodes.$inferSelect): ReasonCodeRecord => ({
    ...r,
    kind: r.kind as ReasonKind,
  });
  return {
    async insert(r) {
      await db.insert(reasonCodes).values(r);
    },
    async list(kind) {
      const rows = await db
        .select()
        .from(reasonCodes)
        .where(kind ? eq(reasonCodes.kind, kind) : undefined)
        .orderBy(reasonCodes.kind, reasonCodes.code);
      return rows.map(toRec);
    },
    async find(kind, code) {
      const [r] = await db
        .select()
        .from(reasonCodes)
        .where(and(eq(reasonCodes.kind, kind), eq(reasonCodes.code, code)));
      return r && toRec(r);
    },
    async delete(id) {
      return (await db.delete(reasonCodes).where(eq(reasonCodes.id, id)).returning()).length > 0;
    },
  };
}
