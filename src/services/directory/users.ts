import { randomUUID } from 'node:crypto';
import type { Clock, Store } from '../ports.js';
import type { AuditTrail } from '../audit.js';
import type { Principal } from '../auth/principal.js';
import type { Role, UserRecord } from '../records.js';
import { hashPassword } from '../auth/passwords.js';
import { DomainError } from '../../domain/errors.js';

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

/** User accounts and roles (admin only, enforced by the API). */
export class UserDirectory {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  async create(actor: Principal, input: NewUser): Promise<UserRecord> {
    if (await this.store.users.byUsername(input.username)) {
      throw new DomainError('USERNAME_TAKEN', `The username "${input.username}" is taken.`);
    }
    const user: UserRecord = {
      id: randomUUID(),
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      disabled: false,
      createdAt: new Date(this.clock.now()),
    };
    await this.store.transaction(async (tx) => {
      await tx.users.insert(user);
      await this.audit.record(
        tx,
        actor,
        'user.create',
        { type: 'user', id: user.id },
        {
          username: user.username,
          role: user.role,
        },
      );
    });
    return user;
  }

  async update(
    actor: Principal,
    id: string,
    patch: { displayName?: string; role?: Role; password?: string; disabled?: boolean },
  ): Promise<UserRecord> {
    const user = await this.store.users.byId(id);
    if (!user) throw new DomainError('USER_NOT_FOUND', 'No such user.');
    const { password, ...rest } = patch;
    const changes: Partial<UserRecord> = { ...rest };
    if (password) changes.passwordHash = await hashPassword(password);
    await this.store.transaction(async (tx) => {
      await tx.users.update(id, changes);
      // A new password or a disabled account ends every open session.
      if (password || patch.disabled) await tx.sessions.deleteForUser(id);
      await this.audit.record(
        tx,
        actor,
        'user.update',
        { type: 'user', id },
        {
          ...rest,
          ...(password ? { password: 'changed' } : {}),
        },
      );
    });
    return { ...user, ...changes };
  }

  list(): Promise<UserRecord[]> {
    return this.store.users.list();
  }

  async get(id: string): Promise<UserRecord> {
    const u = await this.store.users.byId(id);
    if (!u) throw new DomainError('USER_NOT_FOUND', 'No such user.');
    return u;
  }
}
