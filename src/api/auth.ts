import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { DomainError } from '../domain/errors.js';
import type { Principal, Scope } from '../services/auth/principal.js';
import type { AuthService } from '../services/auth/auth-service.js';
import type { Role } from '../services/records.js';
import { requireRole } from '../services/access.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The bearer secret from "Authorization: Bearer …" or "X-API-Key". */
export function presentedSecret(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  const k = req.headers['x-api-key'];
  return typeof k === 'string' ? k.trim() : undefined;
}

/** The authenticated caller; routes behind `guard` always have one. */
export function principal(req: FastifyRequest): Principal {
  if (!req.principal) throw new DomainError('AUTH_REQUIRED', 'Log in first.');
  return req.principal;
}

/**
 * A hook that authenticates the caller and checks the role (users) or scope (API keys).
 * Ownership (an agent's own work, a supervisor's teams) is checked by the services.
 */
export function makeGuard(auth: AuthService) {
  return (roles: Role[], scope?: Scope): onRequestHookHandler =>
    async (req: FastifyRequest, _reply: FastifyReply) => {
      const secret = presentedSecret(req);
      if (!secret) throw new DomainError('AUTH_REQUIRED', 'Send a session token or an API key.');
      const p = await auth.authenticate(secret);
      if (!p)
        throw new DomainError('AUTH_REQUIRED', 'The token or API key is not valid (expired or revoked?).');
      requireRole(p, roles, scope);
      auth.admitRequest(p);
      req.principal = p;
    };
}

export type Guard = ReturnType<typeof makeGuard>;
export const STAFF: Role[] = ['admin', 'supervisor'];
export const EVERYONE: Role[] = ['admin', 'supervisor', 'agent'];
export const ADMIN: Role[] = ['admin'];
