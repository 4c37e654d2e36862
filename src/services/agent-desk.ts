import type { Store } from './ports.js';
import type { AuditTrail } from './audit.js';
import type { Principal } from './auth/principal.js';
import type { RoutingService } from './routing/routing-service.js';
import type { Catalog } from './directory/teams-skills.js';
import type { AgentDirectory } from './directory/agents.js';
import { isForcing, requireAgentAccess } from './access.js';

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
    await this.authorise(actor, agentId, 'agent.force_login', { presence, reason });
    await this.catalog.requireReason('not_ready', presence === 'not_ready' ? reason : null);
    await this.routing.login(agentId, presence, presence === 'not_ready' ? reason : null);
    return this.state(actor, agentId);
  }

  async setPresence(
    actor: Principal,
    agentId: string,
    presence: 'available' | 'not_ready',
    reason: string | null,
  ) {
    await this.authorise(actor, agentId, 'agent.force_state', { presence, reason });
    await this.catalog.requireReason('not_ready', presence === 'not_ready' ? reason : null);
    await this.routing.setPresence(agentId, presence, presence === 'not_ready' ? reason : null);
    return this.state(actor, agentId);
  }

  async logout(actor: Principal, agentId: string) {
    await this.authorise(actor, agentId, 'agent.force_logout', null);
    await this.routing.logout(agentId);
    return this.state(actor, agentId);
  }

  async accept(actor: Principal, agentId: string, reservationId: string) {
    await this.authorise(actor, agentId, null, null);
    await this.routing.accept(agentId, reservationId);
    return this.state(actor, agentId);
  }

  async reject(actor: Principal, agentId: string, reservationId: string) {
    await this.authorise(actor, agentId, null, null);
    await this.routing.reject(agentId, reservationId);
    return this.state(actor, agentId);
  }

  async state(actor: Principal, agentId: string) {
    const agent = await this.agents.get(agentId);
    requireAgentAccess(actor, agent);
    return { agentId, ...this.routing.engine.agentState(agentId) };
  }

  /** Checks access; when someone else changes the agent's state, that is written to the audit log. */
  private async authorise(
    actor: Principal,
    agentId: string,
    forcedAction: string | null,
    details: Record<string, unknown> | null,
  ) {
    const agent = await this.agents.get(agentId);
    requireAgentAccess(actor, agent);
    if (forcedAction && isForcing(actor, agentId)) {
      await this.audit.record(this.store, actor, forcedAction, { type: 'agent', id: agentId }, details);
    }
  }
}
