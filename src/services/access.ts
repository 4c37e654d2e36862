import { DomainError } from '../domain/errors.js';
import type { Principal, Scope } from './auth/principal.js';
import type { Role } from './records.js';

/** Throws AUTH_FORBIDDEN unless the caller is a user with one of the roles (API keys: the scope). */
export function requireRole(p: Principal, roles: Role[], scope?: Scope): void {
  if (p.kind === 'api_key') {
    if (scope && p.scopes.includes(scope)) return;
    throw new DomainError(
      scope ? 'AUTH_SCOPE_MISSING' : 'AUTH_FORBIDDEN',
      scope ? `This API key lacks the scope "${scope}".` : 'API keys cannot do this.',
    );
  }
  if (!roles.includes(p.role)) throw new DomainError('AUTH_FORBIDDEN', 'Your role does not allow this.');
}

/** Whether `p` may see and act on this agent: the agent themself, a supervisor of their team, or an admin. */
export function mayActOnAgent(p: Principal, agent: { id: string; teamId: string | null }): boolean {
  if (p.kind === 'api_key') return false;
  if (p.role === 'admin') return true;
  if (p.agentId === agent.id) return true;
  return p.role === 'supervisor' && agent.teamId !== null && p.teamIds.includes(agent.teamId);
}

export function requireAgentAccess(p: Principal, agent: { id: string; teamId: string | null }): void {
  if (!mayActOnAgent(p, agent)) throw new DomainError('AUTH_FORBIDDEN', 'You may not act for this agent.');
}

/** True when someone other than the agent changes the agent's state (audited as forcing). */
export function isForcing(p: Principal, agentId: string): boolean {
  return p.kind !== 'user' || p.agentId !== agentId;
}
