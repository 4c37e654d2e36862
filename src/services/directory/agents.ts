import { randomUUID } from 'node:crypto';
import type { Clock, Store } from '../ports.js';
import type { AuditTrail } from '../audit.js';
import type { Principal } from '../auth/principal.js';
import type { AgentRecord } from '../records.js';
import type { RoutingService } from '../routing/routing-service.js';
import type { Channel } from '../../domain/routing/types.js';
import { DomainError } from '../../domain/errors.js';

export interface AgentSettings {
  teamId?: string | null;
  skills?: Record<string, number>;
  capacity?: Partial<Record<Channel, number>>;
  exclusiveChannels?: Channel[];
}

/** Default capacity: one call, three chats, five emails; voice does not mix with other work. */
export const DEFAULT_CAPACITY: Partial<Record<Channel, number>> = {
  voice: 1,
  chat: 3,
  email: 5,
  sms: 3,
  callback: 1,
  ticket: 5,
};

/** Agent profiles: a user's skills, team and capacity, kept in step with the routing engine. */
export class AgentDirectory {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly routing: RoutingService,
  ) {}

  async create(actor: Principal, userId: string, s: AgentSettings): Promise<AgentRecord> {
    const user = await this.store.users.byId(userId);
    if (!user) throw new DomainError('USER_NOT_FOUND', 'No such user.', { path: '/userId' });
    if (await this.store.agents.byUserId(userId)) {
      throw new DomainError('CONFLICT', 'This user already has an agent profile.');
    }
    await this.checkRefs(s);
    const agent: AgentRecord = {
      id: randomUUID(),
      userId,
      username: user.username,
      displayName: user.displayName,
      teamId: s.teamId ?? null,
      skills: s.skills ?? {},
      capacity: s.capacity ?? DEFAULT_CAPACITY,
      exclusiveChannels: s.exclusiveChannels ?? ['voice'],
      presence: 'logged_out',
      presenceReason: null,
      createdAt: new Date(this.clock.now()),
    };
    await this.store.transaction(async (tx) => {
      await tx.agents.insert(agent);
      await this.audit.record(tx, actor, 'agent.create', { type: 'agent', id: agent.id }, { userId, ...s });
    });
    await this.routing.syncAgent(agent);
    return agent;
  }

  async update(actor: Principal, id: string, s: AgentSettings): Promise<AgentRecord> {
    const agent = await this.get(id);
    await this.checkRefs(s);
    const next: AgentRecord = {
      ...agent,
      teamId: s.teamId === undefined ? agent.teamId : s.teamId,
      skills: s.skills ?? agent.skills,
      capacity: s.capacity ?? agent.capacity,
      exclusiveChannels: s.exclusiveChannels ?? agent.exclusiveChannels,
    };
    await this.store.transaction(async (tx) => {
      await tx.agents.update(id, {
        teamId: next.teamId,
        skills: next.skills,
        capacity: next.capacity,
        exclusiveChannels: next.exclusiveChannels,
      });
      await this.audit.record(tx, actor, 'agent.update', { type: 'agent', id }, { ...s });
    });
    await this.routing.syncAgent(next);
    return next;
  }

  async remove(actor: Principal, id: string): Promise<void> {
    await this.get(id);
    if (this.routing.engine.agentState(id).state !== 'logged_out') {
      throw new DomainError('AGENT_STATE_INVALID', 'Log the agent out before deleting the profile.');
    }
    await this.routing.removeAgent(id);
    await this.store.transaction(async (tx) => {
      await tx.agents.delete(id);
      await this.audit.record(tx, actor, 'agent.delete', { type: 'agent', id });
    });
  }

  async get(id: string): Promise<AgentRecord> {
    const a = await this.store.agents.byId(id);
    if (!a) throw new DomainError('AGENT_NOT_FOUND', 'No such agent.');
    return a;
  }

  list(): Promise<AgentRecord[]> {
    return this.store.agents.list();
  }

  private async checkRefs(s: AgentSettings): Promise<void> {
    if (s.teamId && !(await this.store.teams.byId(s.teamId))) {
      throw new DomainError('TEAM_NOT_FOUND', 'No such team.', { path: '/teamId' });
    }
    if (s.skills) {
      const known = new Set((await this.store.skills.list()).map((k) => k.id));
      for (const [skillId, level] of Object.entries(s.skills)) {
        if (!known.has(skillId))
          throw new DomainError('SKILL_NOT_FOUND', `No skill ${skillId}.`, { path: `/skills/${skillId}` });
        if (!Number.isInteger(level) || level < 1 || level > 10) {
          throw new DomainError('VALIDATION_FAILED', 'Skill levels are whole numbers from 1 to 10.', {
            path: `/skills/${skillId}`,
          });
        }
      }
    }
  }
}
