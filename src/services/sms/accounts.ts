/** SMS sender accounts: who sends on which account, prices, top-ups, balances and statements. */
import { randomUUID } from 'node:crypto';
import type { Clock, Store } from '../ports.js';
import type { Principal } from '../auth/principal.js';
import type { AuditTrail } from '../audit.js';
import type {
  SmsAccountKind,
  SmsAccountMember,
  SmsAccountRecord,
  SmsBillingMode,
  SmsLedgerRecord,
  SmsPriceRecord,
} from './billing-ports.js';
import { memberOf, type SmsBilling } from './billing.js';
import { DomainError } from '../../domain/errors.js';
import { buildStatement, monthOf, monthRange, type Statement } from '../../domain/sms/statement.js';
import { csvRow } from '../../domain/sms/csv.js';

export interface SmsAccountInput {
  name: string;
  kind: Exclude<SmsAccountKind, 'internal'>;
  billing: SmsBillingMode;
  /** Opening prepaid balance (written to the ledger as a top-up). */
  balance?: number;
  monthlyQuota?: number | null;
  currency?: string;
  /** Users and API keys that send on this account. */
  members?: SmsAccountMember[];
}

export interface SmsAccountView extends SmsAccountRecord {
  members: SmsAccountMember[];
  /** What is left to spend now: the balance, the quota left this month, or null when unbilled. */
  available: number | null;
}

export interface AccountStatement extends Statement {
  accountId: string;
  accountName: string;
  currency: string;
}

export class SmsAccounts {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly billing: SmsBilling,
    private readonly currency: string,
  ) {}

  private async view(store: Store, a: SmsAccountRecord): Promise<SmsAccountView> {
    const month = monthOf(this.clock.now());
    const available =
      a.billing === 'prepaid'
        ? a.balance
        : a.billing === 'quota'
          ? Math.max(0, (a.monthlyQuota ?? 0) - (a.quotaMonth === month ? a.quotaUsed : 0))
          : null;
    return { ...a, members: await store.smsBilling.members(a.id), available };
  }

  private async checkMembers(store: Store, members: SmsAccountMember[]): Promise<void> {
    for (const m of members) {
      const exists =
        m.principalType === 'user'
          ? await store.users.byId(m.principalId)
          : await store.apiKeys.byId(m.principalId);
      if (!exists) throw new DomainError('NOT_FOUND', `No such ${m.principalType}: ${m.principalId}`);
    }
  }

  async list(): Promise<SmsAccountView[]> {
    await this.billing.ensureInternalAccount();
    const accounts = await this.store.smsBilling.listAccounts();
    return Promise.all(accounts.map((a) => this.view(this.store, a)));
  }

  async get(id: string): Promise<SmsAccountView> {
    const a = await this.store.smsBilling.accountById(id);
    if (!a) throw new DomainError('SMS_ACCOUNT_NOT_FOUND', 'No such SMS account.');
    return this.view(this.store, a);
  }

  /** The caller's own account (an API key's or user's linked one, else the internal account). */
  async own(actor: Principal): Promise<SmsAccountView> {
    const a =
      (await this.store.smsBilling.accountOf(memberOf(actor))) ??
      (await this.billing.ensureInternalAccount());
    return this.view(this.store, a);
  }

  async create(actor: Principal, input: SmsAccountInput): Promise<SmsAccountView> {
    if (input.billing === 'quota' && input.monthlyQuota == null) {
      throw new DomainError('VALIDATION_FAILED', 'A quota account needs monthlyQuota.', {
        path: '/monthlyQuota',
      });
    }
    const at = new Date(this.clock.now());
    const account: SmsAccountRecord = {
      id: randomUUID(),
      name: input.name,
      kind: input.kind,
      billing: input.billing,
      balance: input.billing === 'prepaid' ? (input.balance ?? 0) : 0,
      monthlyQuota: input.monthlyQuota ?? null,
      quotaMonth: null,
      quotaUsed: 0,
      currency: input.currency ?? this.currency,
      createdAt: at,
      updatedAt: at,
    };
    return this.store.transaction(async (tx) => {
      if (await tx.smsBilling.accountByName(input.name)) {
        throw new DomainError('CONFLICT', `An SMS account named "${input.name}" exists.`);
      }
      await this.checkMembers(tx, input.members ?? []);
      await tx.smsBilling.insertAccount(account);
      await tx.smsBilling.addMembers(account.id, input.members ?? []);
      if (account.balance > 0) {
        await tx.smsBilling.appendLedger({
          accountId: account.id,
          at,
          kind: 'topup',
          amount: account.balance,
          segments: 0,
          messageId: null,
          messageType: null,
          note: 'opening balance',
          createdBy: actor.kind === 'user' ? actor.username : actor.name,
        });
      }
      await this.audit.record(
        tx,
        actor,
        'sms_account.create',
        { type: 'sms_account', id: account.id },
        {
          name: account.name,
          billing: account.billing,
        },
      );
      return this.view(tx, account);
    });
  }

  async update(
    actor: Principal,
    id: string,
    patch: {
      name?: string;
      kind?: Exclude<SmsAccountKind, 'internal'>;
      billing?: SmsBillingMode;
      monthlyQuota?: number | null;
      addMembers?: SmsAccountMember[];
      removeMembers?: SmsAccountMember[];
    },
  ): Promise<SmsAccountView> {
    return this.store.transaction(async (tx) => {
      const a = await tx.smsBilling.accountById(id);
      if (!a) throw new DomainError('SMS_ACCOUNT_NOT_FOUND', 'No such SMS account.');
      if (patch.name && patch.name !== a.name && (await tx.smsBilling.accountByName(patch.name))) {
        throw new DomainError('CONFLICT', `An SMS account named "${patch.name}" exists.`);
      }
      const billing = patch.billing ?? a.billing;
      const quota = patch.monthlyQuota === undefined ? a.monthlyQuota : patch.monthlyQuota;
      if (billing === 'quota' && quota == null) {
        throw new DomainError('VALIDATION_FAILED', 'A quota account needs monthlyQuota.', {
          path: '/monthlyQuota',
        });
      }
      await tx.smsBilling.updateAccount(id, {
        ...(patch.name ? { name: patch.name } : {}),
        ...(patch.kind ? { kind: patch.kind } : {}),
        billing,
        monthlyQuota: quota,
        updatedAt: new Date(this.clock.now()),
      });
      await this.checkMembers(tx, patch.addMembers ?? []);
      await tx.smsBilling.addMembers(id, patch.addMembers ?? []);
      for (const m of patch.removeMembers ?? []) await tx.smsBilling.removeMember(m);
      await this.audit.record(tx, actor, 'sms_account.update', { type: 'sms_account', id }, { ...patch });
      return this.view(tx, (await tx.smsBilling.accountById(id))!);
    });
  }

  /** Adds prepaid credit (or takes it back with a negative amount) and writes it to the ledger. */
  async topUp(actor: Principal, id: string, amount: number, note: string | null): Promise<SmsAccountView> {
    if (!Number.isSafeInteger(amount) || amount === 0) {
      throw new DomainError('VALIDATION_FAILED', 'amount must be a non-zero integer in minor units.', {
        path: '/amount',
      });
    }
    return this.store.transaction(async (tx) => {
      const a = await tx.smsBilling.accountById(id);
      if (!a) throw new DomainError('SMS_ACCOUNT_NOT_FOUND', 'No such SMS account.');
      if (a.billing !== 'prepaid') {
        throw new DomainError('CONFLICT', 'Only prepaid accounts take top-ups.');
      }
      const balance = await tx.smsBilling.adjustBalance(id, amount);
      await tx.smsBilling.appendLedger({
        accountId: id,
        at: new Date(this.clock.now()),
        kind: 'topup',
        amount,
        segments: 0,
        messageId: null,
        messageType: null,
        note,
        createdBy: actor.kind === 'user' ? actor.username : actor.name,
      });
      await this.audit.record(
        tx,
        actor,
        'sms_account.topup',
        { type: 'sms_account', id },
        { amount, balance },
      );
      return this.view(tx, { ...a, balance });
    });
  }

  /** Ledger rows of one month, oldest first. */
  async ledger(id: string, month: string): Promise<SmsLedgerRecord[]> {
    await this.get(id);
    const { start, end } = this.range(month);
    return this.store.smsBilling.ledger(id, start, end);
  }

  private range(month: string) {
    try {
      return monthRange(month);
    } catch {
      throw new DomainError('VALIDATION_FAILED', `"${month}" is not a month yyyy-mm.`, { path: '/month' });
    }
  }

  /** The month's statement (calendar month in UTC). */
  async statement(id: string, month: string): Promise<AccountStatement> {
    const a = await this.get(id);
    const { start, end } = this.range(month);
    const [opening, lines] = await Promise.all([
      this.store.smsBilling.ledgerSumBefore(id, start),
      this.store.smsBilling.ledger(id, start, end),
    ]);
    return {
      accountId: a.id,
      accountName: a.name,
      currency: a.currency,
      ...buildStatement(month, opening, lines),
    };
  }

  /** The statement as CSV: one line per total and per message type. */
  static statementCsv(s: AccountStatement): string {
    let out = csvRow(['account', 'month', 'currency', 'line', 'type', 'messages', 'segments', 'amount']);
    const row = (
      line: string,
      type: string,
      messages: number | null,
      segments: number | null,
      amount: number,
    ) => (out += csvRow([s.accountName, s.month, s.currency, line, type, messages, segments, amount]));
    row('opening_balance', '', null, null, s.openingBalance);
    for (const t of s.byType) {
      row('charges', t.type, t.messages, t.segments, t.charged);
      if (t.refunded) row('refunds', t.type, null, t.refundedSegments, t.refunded);
    }
    row('charges_total', '', null, null, s.charges);
    row('refunds_total', '', null, null, s.refunds);
    row('topups_total', '', null, null, s.topUps);
    row('closing_balance', '', null, null, s.closingBalance);
    return out;
  }

  prices(): Promise<SmsPriceRecord[]> {
    return this.store.smsBilling.prices();
  }

  async putPrice(
    actor: Principal,
    input: { prefix: string; route?: string | null; perSegment: number },
  ): Promise<SmsPriceRecord> {
    return this.store.transaction(async (tx) => {
      const p = await tx.smsBilling.putPrice({
        id: randomUUID(),
        prefix: input.prefix,
        route: input.route ?? null,
        perSegment: input.perSegment,
      });
      await this.audit.record(tx, actor, 'sms_price.put', { type: 'sms_price', id: p.id }, { ...input });
      return p;
    });
  }

  async deletePrice(actor: Principal, id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (!(await tx.smsBilling.deletePrice(id))) throw new DomainError('NOT_FOUND', 'No such price.');
      await this.audit.record(tx, actor, 'sms_price.delete', { type: 'sms_price', id });
    });
  }
}
