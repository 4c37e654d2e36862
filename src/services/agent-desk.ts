import type { Store } from './ports.js';
import type { AuditTrail } from './audit.js';
import type { Principal } from './auth/principal.js';
import type { RoutingService } from './routing/routing-service.js';
import type { Catalog } from './directory/teams-skills.js';
import type { AgentDirectory } from './directory/agents.js';
import { isForcing, mayActOnAgent, requireAgentAccess } from './access.js';

/** What an agent (or a supervisor forcing it) does with the agent's state and offers. */
export class AgentDesk {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditTrail,
    private readonly routing: RoutingService,
    private readonly catalog: Catalog,
    private readonly agents: AgentDirectory,
  ) {}

  async login(actor: Principal, agentId: string, presence: 'available' | 'not_ready', reason: string | null) {
    await this.authorise(actor, agentId);
    await this.catalog.requireReason('not_ready', presence === 'not_ready' ? reason : null);
    await this.routing.login(agentId, presence, presence === 'not_ready' ? reason : null);
    await this.auditForcing(actor, agentId, 'agent.force_login', { presence, reason });
    return this.current(agentId);
  }

  async setPresence(
    actor: Principal,
    agentId: string,
    presence: 'available' | 'not_ready',
    reason: string | null,
  ) {
    await this.authorise(actor, agentId);
    await this.catalog.requireReason('not_ready', presence === 'not_ready' ? reason : null);
    await this.routing.setPresence(agentId, presence, presence === 'not_ready' ? reason : null);
    await this.auditForcing(actor, agentId, 'agent.force_state', { presence, reason });
    return this.current(agentId);
  }

  async logout(actor: Principal, agentId: string) {
    await this.authorise(actor, agentId);
    await this.routing.logout(agentId);
    await this.auditForcing(actor, agentId, 'agent.force_logout', null);
    return this.current(agentId);
  }

  async accept(actor: Principal, agentId: string, reservationId: string) {
    await this.authorise(actor, agentId);
    await this.routing.accept(agentId, reservationId);
    return this.current(agentId);
  }

  async reject(actor: Principal, agentId: string, reservationId: string) {
    await this.authorise(actor, agentId);
    await this.routing.reject(agentId, reservationId);
    return this.current(agentId);
  }

  async state(actor: Principal, agentId: string) {
    await this.authorise(actor, agentId);
    return this.current(agentId);
  }

  /** Every agent's state the caller may see (a supervisor: their teams). */
  async states(actor: Principal) {
    const all = await this.agents.list();
    return all.filter((a) => mayActOnAgent(actor, a)).map((a) => this.current(a.id));
  }

  private current(agentId: string) {
    const since = this.routing.stateSince(agentId);
    return {
      agentId,
      ...this.routing.engine.agentState(agentId),
      since: since === null ? null : new Date(since),
    };
  }

  private async authorise(actor: Principal, agentId: string): Promise<void> {
    requireAgentAccess(actor, await this.agents.get(agentId));
  }

  /** When someone else changed the agent's state, that goes to the audit log (after it succeeded). */
  private async auditForcing(
    actor: Principal,
    agentId: string,
    action: string,
    details: Record<string, unknown> | null,
  ): Promise<void> {
    if (isForcing(actor, agentId)) {
      await this.audit.record(this.store, actor, action, { type: 'agent', id: agentId }, details);
    }
  }
}
