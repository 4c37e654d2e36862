import { randomUUID } from 'node:crypto';
import type { Clock, CustomerQuery, Store } from './ports.js';
import type { AuditTrail } from './audit.js';
import type { Principal } from './auth/principal.js';
import type { CustomerRecord } from './records.js';
import { DomainError } from '../domain/errors.js';
import { toE164, tryE164 } from '../domain/customers/phone.js';

export interface CustomerInput {
  name: string;
  phones?: string[];
  emails?: string[];
  vip?: boolean;
  blacklisted?: boolean;
  tags?: string[];
}

/** Customers with their numbers in E.164, looked up by a caller's number. */
export class CustomerBook {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly defaultCountry: string,
  ) {}

  async create(actor: Principal, input: CustomerInput): Promise<CustomerRecord> {
    const now = new Date(this.clock.now());
    const c: CustomerRecord = {
      id: randomUUID(),
      name: input.name,
      phones: this.normalise(input.phones ?? []),
      emails: dedupe((input.emails ?? []).map((e) => e.trim().toLowerCase())),
      vip: input.vip ?? false,
      blacklisted: input.blacklisted ?? false,
      tags: dedupe(input.tags ?? []),
      createdAt: now,
      updatedAt: now,
    };
    await this.store.transaction(async (tx) => {
      await this.checkPhonesFree(tx, c.phones, null);
      await tx.customers.insert(c);
      await this.audit.record(tx, actor, 'customer.create', { type: 'customer', id: c.id });
    });
    return c;
  }

  async update(actor: Principal, id: string, input: Partial<CustomerInput>): Promise<CustomerRecord> {
    const cur = await this.get(id);
    const next: CustomerRecord = {
      ...cur,
      name: input.name ?? cur.name,
      phones: input.phones ? this.normalise(input.phones) : cur.phones,
      emails: input.emails ? dedupe(input.emails.map((e) => e.trim().toLowerCase())) : cur.emails,
      vip: input.vip ?? cur.vip,
      blacklisted: input.blacklisted ?? cur.blacklisted,
      tags: input.tags ? dedupe(input.tags) : cur.tags,
      updatedAt: new Date(this.clock.now()),
    };
    await this.store.transaction(async (tx) => {
      await this.checkPhonesFree(tx, next.phones, id);
      await tx.customers.update(next);
      const flags = {
        vip: next.vip !== cur.vip ? next.vip : undefined,
        blacklisted: next.blacklisted !== cur.blacklisted ? next.blacklisted : undefined,
      };
      await this.audit.record(tx, actor, 'customer.update', { type: 'customer', id }, flags);
    });
    return next;
  }

  async get(id: string): Promise<CustomerRecord> {
    const c = await this.store.customers.byId(id);
    if (!c) throw new DomainError('CUSTOMER_NOT_FOUND', 'No such customer.');
    return c;
  }

  /** The customer owning a number in any spelling; undefined when unknown or not a number. */
  async byNumber(raw: string): Promise<CustomerRecord | undefined> {
    const e164 = tryE164(raw, this.defaultCountry);
    return e164 ? this.store.customers.byPhone(e164) : undefined;
  }

  search(q: CustomerQuery): Promise<CustomerRecord[]> {
    return this.store.customers.search(q);
  }

  async remove(actor: Principal, id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (!(await tx.customers.delete(id))) throw new DomainError('CUSTOMER_NOT_FOUND', 'No such customer.');
      await this.audit.record(tx, actor, 'customer.delete', { type: 'customer', id });
    });
  }

  private normalise(phones: string[]): string[] {
    return dedupe(phones.map((p) => toE164(p, this.defaultCountry)));
  }

  private async checkPhonesFree(tx: Store, phones: string[], self: string | null): Promise<void> {
    const taken = await tx.customers.phonesTaken(phones, self);
    if (taken.length) {
      throw new DomainError('PHONE_NUMBER_TAKEN', `Already another customer's number: ${taken.join(', ')}.`, {
        taken,
      });
    }
  }
}

function dedupe<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
