/**
 * The agent lifecycle in one place: which commands are allowed in which state, and the one state an
 * agent shows, derived from presence and work (offers first, then active work, then wrap-up).
 */
import { DomainError } from '../errors.js';
import type { AgentRecord } from './model.js';
import type { AgentState } from './types.js';

/** The state an agent shows now. */
export function deriveAgentState(agent: AgentRecord): AgentState {
  if (!agent.loggedIn) return 'logged_out';
  if (agent.offers > 0) return 'reserved';
  if (agent.active > 0) return 'busy';
  if (agent.wrapUps > 0) return 'wrap_up';
  return agent.presence === 'available' ? 'available' : 'not_ready';
}

/** Login is allowed when logged out, or to cancel a pending logout. */
export function assertCanLogin(agent: AgentRecord): void {
  if (agent.loggedIn && !agent.pendingLogout) {
    throw new DomainError('AGENT_STATE_INVALID', `Agent ${agent.id} is already logged in.`, {
      agentId: agent.id,
    });
  }
}

/** Presence changes need a logged-in agent. */
export function assertLoggedIn(agent: AgentRecord): void {
  if (!agent.loggedIn) {
    throw new DomainError('AGENT_STATE_INVALID', `Agent ${agent.id} is logged out.`, { agentId: agent.id });
  }
}

/** Only a logged-out agent can be removed. */
export function assertCanRemove(agent: AgentRecord): void {
  if (agent.loggedIn) {
    throw new DomainError('AGENT_STATE_INVALID', `Agent ${agent.id} must log out before removal.`, {
      agentId: agent.id,
    });
  }
}

/**
 * Applies a pending logout once the last work has ended; returns true when it did. The caller then
 * reports the state change with cause 'logout'.
 */
export function settlePendingLogout(agent: AgentRecord): boolean {
  if (!agent.pendingLogout || agent.work.size > 0) return false;
  agent.pendingLogout = false;
  agent.loggedIn = false;
  agent.presence = 'logged_out';
  agent.reason = null;
  return true;
}
