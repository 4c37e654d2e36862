import { randomUUID } from 'node:crypto';
import type { Clock, Store } from '../ports.js';
import type { AuditTrail } from '../audit.js';
import { DomainError } from '../../domain/errors.js';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './passwords.js';
import { hashSecret, newSecret } from './tokens.js';
import { LoginThrottle } from './login-throttle.js';
import { ApiKeyRateLimiter } from './key-rate-limit.js';
import { SCOPES, type Principal } from './principal.js';
import type { ApiKeyRecord, UserRecord } from '../records.js';

export interface AuthSettings {
  sessionTtlMs: number;
  loginMaxFailures: number;
  loginWindowMs: number;
}

/** Logins, sessions, API keys, and turning a presented secret into a Principal. */
export class AuthService {
  private readonly throttle: LoginThrottle;
  /** Per client address, looser: many people may log in from one office address. */
  private readonly ipThrottle: LoginThrottle;
  private readonly keyLimiter = new ApiKeyRateLimiter();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly settings: AuthSettings,
  ) {
    this.throttle = new LoginThrottle(settings.loginMaxFailures, settings.loginWindowMs);
    this.ipThrottle = new LoginThrottle(settings.loginMaxFailures * 4, settings.loginWindowMs);
  }

  /** Checks credentials and opens a session. The same error for an unknown user and a wrong password. */
  async login(
    username: string,
    password: string,
    ip: string,
  ): Promise<{ token: string; expiresAt: Date; user: UserRecord }> {
    const now = this.clock.now();
    const wait = Math.max(this.throttle.retryAfterMs(username, now), this.ipThrottle.retryAfterMs(ip, now));
    if (wait > 0) {
      throw new DomainError('AUTH_LOGIN_RATE_LIMITED', 'Too many failed logins; try again later.', {
        retryAfterSec: Math.ceil(wait / 1000),
      });
    }
    const user = await this.store.users.byUsername(username);
    const ok = user
      ? await verifyPassword(password, user.passwordHash)
      : await verifyPassword(password, await DUMMY_HASH_PROMISE);
    if (!user || !ok || user.disabled) {
      this.throttle.recordFailure(username, now);
      this.ipThrottle.recordFailure(ip, now);
      await this.audit.record(this.store, { kind: 'system' }, 'auth.login_failed', null, { username }, ip);
      throw new DomainError('AUTH_INVALID_CREDENTIALS', 'Wrong username or password.');
    }
    this.throttle.reset(username);
    const token = newSecret('hls');
    const expiresAt = new Date(now + this.settings.sessionTtlMs);
    await this.store.transaction(async (tx) => {
      await tx.sessions.insert({
        tokenHash: hashSecret(token),
        userId: user.id,
        createdAt: new Date(now),
        expiresAt,
      });
      await this.audit.record(
        tx,
        await this.principalFor(tx, user),
        'auth.login',
        { type: 'user', id: user.id },
        null,
        ip,
      );
    });
    return { token, expiresAt, user };
  }

  async logout(token: string): Promise<void> {
    await this.store.sessions.delete(hashSecret(token));
  }

  /** The principal behind a session token or API key, or undefined when it is not valid. */
  async authenticate(secret: string): Promise<Principal | undefined> {
    const hash = hashSecret(secret);
    if (secret.startsWith('hlk_')) {
      const key = await this.store.apiKeys.byHash(hash);
      if (!key || key.revokedAt) return undefined;
      return {
        kind: 'api_key',
        keyId: key.id,
        name: key.name,
        scopes: key.scopes,
        limits: { perSecond: key.ratePerSecond ?? null, perMinute: key.ratePerMinute ?? null },
      };
    }
    const session = await this.store.sessions.find(hash);
    if (!session) return undefined;
    if (session.expiresAt.getTime() <= this.clock.now()) {
      await this.store.sessions.delete(hash);
      return undefined;
    }
    const user = await this.store.users.byId(session.userId);
    if (!user || user.disabled) return undefined;
    return this.principalFor(this.store, user);
  }

  async principalFor(store: Store, user: UserRecord): Promise<Principal> {
    const agent = await store.agents.byUserId(user.id);
    const teamIds = user.role === 'agent' ? [] : await store.teams.supervisedBy(user.id);
    return {
      kind: 'user',
      userId: user.id,
      username: user.username,
      role: user.role,
      agentId: agent?.id ?? null,
      teamIds,
    };
  }

  /** Creates an API key; the secret is returned once and only its hash is kept. */
  async createApiKey(
    actor: Principal,
    name: string,
    scopes: string[],
    limits: { ratePerSecond?: number | null; ratePerMinute?: number | null } = {},
  ): Promise<{ key: ApiKeyRecord; secret: string }> {
    const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (unknown.length) {
      throw new DomainError('VALIDATION_FAILED', `unknown scopes: ${unknown.join(', ')}`, {
        allowed: SCOPES,
      });
    }
    const secret = newSecret('hlk');
    const key: ApiKeyRecord = {
      id: randomUUID(),
      name,
      prefix: secret.slice(0, 10),
      keyHash: hashSecret(secret),
      scopes: [...new Set(scopes)],
      createdBy: actor.kind === 'user' ? actor.userId : null,
      createdAt: new Date(this.clock.now()),
      revokedAt: null,
      ratePerSecond: limits.ratePerSecond ?? null,
      ratePerMinute: limits.ratePerMinute ?? null,
    };
    await this.store.transaction(async (tx) => {
      await tx.apiKeys.insert(key);
      await this.audit.record(tx, actor, 'api_key.create', { type: 'api_key', id: key.id }, { name, scopes });
    });
    return { key, secret };
  }

  /** Takes one request from an API key's limits; throws API_KEY_RATE_LIMITED when over. */
  admitRequest(p: Principal): void {
    if (p.kind !== 'api_key' || !p.limits) return;
    if (p.limits.perSecond === null && p.limits.perMinute === null) return;
    this.keyLimiter.admit(p.keyId, p.limits, this.clock.now());
  }

  /** Changes an API key's request limits (null = none). */
  async setApiKeyLimits(
    actor: Principal,
    id: string,
    limits: { ratePerSecond: number | null; ratePerMinute: number | null },
  ): Promise<ApiKeyRecord> {
    return this.store.transaction(async (tx) => {
      if (!(await tx.apiKeys.setRateLimits(id, limits)))
        throw new DomainError('NOT_FOUND', 'No such API key.');
      await this.audit.record(tx, actor, 'api_key.limits', { type: 'api_key', id }, { ...limits });
      return (await tx.apiKeys.byId(id))!;
    });
  }

  async revokeApiKey(actor: Principal, id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (!(await tx.apiKeys.revoke(id, new Date(this.clock.now())))) {
        throw new DomainError('NOT_FOUND', 'No such API key.');
      }
      await this.audit.record(tx, actor, 'api_key.revoke', { type: 'api_key', id });
    });
  }

  /** Creates the first admin when there is no user at all; returns the generated password if any. */
  async ensureFirstAdmin(
    username: string,
    password: string | null,
  ): Promise<{ created: boolean; password?: string }> {
    if ((await this.store.users.count()) > 0) return { created: false };
    const pw = password ?? newSecret('pw').slice(3, 23);
    const id = randomUUID();
    await this.store.transaction(async (tx) => {
      await tx.users.insert({
        id,
        username,
        displayName: 'Administrator',
        role: 'admin',
        passwordHash: await hashPassword(pw),
        disabled: false,
        createdAt: new Date(this.clock.now()),
      });
      await this.audit.record(
        tx,
        { kind: 'system' },
        'user.create',
        { type: 'user', id },
        { username, role: 'admin' },
      );
    });
    return password ? { created: true } : { created: true, password: pw };
  }
}
