import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import { apiKeys, auditLog, sessions, users } from './schema.js';
import type { ApiKeyRepo, AuditRepo, SessionRepo, UserRepo } from '../../services/ports.js';
import type { AuditEntry, Role, UserRecord } from '../../services/records.js';

function toUser(r: typeof users.$inferSelect): UserRecord {
  return { ...r, role: r.role as Role };
}

export function userRepo(db: Db): UserRepo {
  return {
    async insert(u) {
      await db.insert(users).values(u);
    },
    async byId(id) {
      const [r] = await db.select().from(users).where(eq(users.id, id));
      return r && toUser(r);
    },
    async byUsername(username) {
      const [r] = await db.select().from(users).where(eq(users.username, username));
      return r && toUser(r);
    },
    async list() {
      return (await db.select().from(users).orderBy(users.username)).map(toUser);
    },
    async update(id, patch) {
      await db.update(users).set(patch).where(eq(users.id, id));
    },
    async count() {
      return await db.$count(users);
    },
  };
}

export function sessionRepo(db: Db): SessionRepo {
  return {
    async insert(s) {
      await db.insert(sessions).values(s);
    },
    async find(tokenHash) {
      const [r] = await db
        .select({ userId: sessions.userId, expiresAt: sessions.expiresAt })
        .from(sessions)
        .where(eq(sessions.tokenHash, tokenHash));
      return r;
    },
    async delete(tokenHash) {
      await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    },
    async deleteForUser(userId) {
      await db.delete(sessions).where(eq(sessions.userId, userId));
    },
  };
}

export function apiKeyRepo(db: Db): ApiKeyRepo {
  return {
    async insert(k) {
      await db.insert(apiKeys).values(k);
    },
    async byHash(keyHash) {
      const [r] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
      return r;
    },
    async list() {
      return await db.select().from(apiKeys).orderBy(apiKeys.createdAt);
    },
    async revoke(id, at) {
      const r = await db.update(apiKeys).set({ revokedAt: at }).where(eq(apiKeys.id, id)).returning();
      return r.length > 0;
    },
    async byId(id) {
      const [r] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
      return r;
    },
    async setRateLimits(id, limits) {
      const r = await db.update(apiKeys).set(limits).where(eq(apiKeys.id, id)).returning({ id: apiKeys.id });
      return r.length > 0;
    },
  };
}

export function auditRepo(db: Db): AuditRepo {
  return {
    async append(e) {
      await db.insert(auditLog).values(e);
    },
    async list(q) {
      const conds: SQL[] = [];
      if (q.beforeId !== undefined) conds.push(lt(auditLog.id, q.beforeId));
      if (q.action) conds.push(eq(auditLog.action, q.action));
      if (q.actorId) conds.push(eq(auditLog.actorId, q.actorId));
      const rows = await db
        .select()
        .from(auditLog)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(auditLog.id))
        .limit(q.limit);
      return rows as AuditEntry[];
    },
  };
}
