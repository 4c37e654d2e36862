import type { Role } from '../records.js';

/** Who is calling: a logged-in user or a third-party system with an API key. */
export type Principal =
  | {
      kind: 'user';
      userId: string;
      username: string;
      role: Role;
      /** The agent profile of this user, if any. */
      agentId: string | null;
      /** Teams this user supervises (supervisors). */
      teamIds: string[];
    }
  | {
      kind: 'api_key';
      keyId: string;
      name: string;
      scopes: string[];
      /** Request limits of the key (null = none). */
      limits?: { perSecond: number | null; perMinute: number | null };
    };

/** API key scopes; each route names the scope it needs. */
export const SCOPES = [
  'interactions:read',
  'interactions:write',
  'customers:read',
  'customers:write',
  'agents:read',
  'queues:read',
  'events:read',
  'sms:send',
  'sms:read',
  'sms:monitor',
] as const;
export type Scope = (typeof SCOPES)[number];

export const SYSTEM_ACTOR = { kind: 'system' as const };
export type Actor = Principal | typeof SYSTEM_ACTOR;
