/**
 * Charging and refunding SMS: the account a send is billed to, its cost from the price list, the
 * charge written in the same transaction as the message, and the refund of the segments that never
 * reached the SMSC once a message ends without delivery. Amounts are integer minor units.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Store } from '../ports.js';
import type { Actor, Principal } from '../auth/principal.js';
import type { SmsMessageRecord } from '../records.js';
import type { SmsAccountMember, SmsAccountRecord, SmsPriceRecord } from './billing-ports.js';
import { DomainError } from '../../domain/errors.js';
import { costOf, priceFor, refundableSegments } from '../../domain/sms/pricing.js';
import { monthOf } from '../../domain/sms/statement.js';

/** The account messages without a linked account are recorded on; unbilled. */
export const INTERNAL_ACCOUNT = 'internal';

/** The member key of a caller: its user id or API key id. */
export function memberOf(p: Principal): SmsAccountMember {
  return p.kind === 'user'
    ? { principalType: 'user', principalId: p.userId }
    : { principalType: 'api_key', principalId: p.keyId };
}

const actorName = (p: Actor) =>
  p.kind === 'user' ? p.username : p.kind === 'api_key' ? `api-key:${p.name}` : 'system';

export class SmsBilling {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly currency: string,
  ) {}

  /** Creates the internal account when missing (at start). */
  async ensureInternalAccount(): Promise<SmsAccountRecord> {
    const found = await this.store.smsBilling.accountByName(INTERNAL_ACCOUNT);
    if (found) return found;
    const at = new Date(this.clock.now());
    const account: SmsAccountRecord = {
      id: randomUUID(),
      name: INTERNAL_ACCOUNT,
      kind: 'internal',
      billing: 'unbilled',
      balance: 0,
      monthlyQuota: null,
      quotaMonth: null,
      quotaUsed: 0,
      currency: this.currency,
      createdAt: at,
      updatedAt: at,
    };
    try {
      await this.store.smsBilling.insertAccount(account);
      return account;
    } catch (err) {
      // Another process created it first.
      const again = await this.store.smsBilling.accountByName(INTERNAL_ACCOUNT);
      if (again) return again;
      throw err;
    }
  }

  /**
   * The account a send by `actor` is billed to: the one asked for (users may name any; an API key
   * only its own), else the caller's linked account, else the internal account.
   */
  async accountFor(actor: Actor, requested?: string): Promise<SmsAccountRecord> {
    // Hotline's own sends (replies, topics, dispatch) belong to no member: the internal account.
    const own = actor.kind === 'system' ? undefined : await this.store.smsBilling.accountOf(memberOf(actor));
    if (requested !== undefined && requested !== own?.id) {
      if (actor.kind === 'api_key') {
        throw new DomainError('AUTH_FORBIDDEN', 'An API key sends on its own SMS account only.');
      }
      const account = await this.store.smsBilling.accountById(requested);
      if (!account) throw new DomainError('SMS_ACCOUNT_NOT_FOUND', 'No such SMS account.');
      return account;
    }
    return own ?? (await this.ensureInternalAccount());
  }

  /** Price per segment and cost for this destination on this account. */
  async quote(
    account: SmsAccountRecord,
    recipient: string,
    segments: number,
    route: string | null = null,
  ): Promise<{ perSegment: number; cost: number }> {
    const price = priceFor(await this.store.smsBilling.prices(), recipient, route);
    if (!price) {
      if (account.billing === 'unbilled') return { perSegment: 0, cost: 0 };
      throw new DomainError(
        'SMS_DESTINATION_NOT_PRICED',
        'The price list has no price for this destination.',
        {
          recipient,
        },
      );
    }
    return { perSegment: price.perSegment, cost: costOf(segments, price.perSegment) };
  }

  /**
   * Takes the cost from the account and writes the charge; call it inside the transaction that
   * stores the message, so a refused charge stores nothing and a stored message is always charged.
   */
  async charge(tx: Store, account: SmsAccountRecord, m: SmsMessageRecord, actor: Actor): Promise<void> {
    const cost = m.costMinor;
    if (account.billing === 'prepaid' && cost > 0) {
      const left = await tx.smsBilling.debitIfCovered(account.id, cost);
      if (left === undefined) {
        const current = (await tx.smsBilling.accountById(account.id))?.balance ?? 0;
        throw new DomainError(
          'SMS_BALANCE_INSUFFICIENT',
          `The message costs ${cost} but the account's balance is ${current}; nothing was sent.`,
          { cost, balance: current, accountId: account.id },
        );
      }
    } else if (account.billing === 'quota' && cost > 0) {
      const quota = account.monthlyQuota ?? 0;
      const month = monthOf(m.createdAt.getTime());
      if (!(await tx.smsBilling.useQuota(account.id, month, cost, quota))) {
        const fresh = await tx.smsBilling.accountById(account.id);
        const used = fresh?.quotaMonth === month ? fresh.quotaUsed : 0;
        throw new DomainError(
          'SMS_QUOTA_EXCEEDED',
          `The message costs ${cost}; ${used} of the monthly quota ${quota} is used; nothing was sent.`,
          { cost, used, quota, month, accountId: account.id },
        );
      }
    }
    await tx.smsBilling.appendLedger({
      accountId: account.id,
      at: m.createdAt,
      kind: 'charge',
      amount: -cost,
      segments: m.segments,
      messageId: m.id,
      messageType: m.type,
      note: null,
      createdBy: actorName(actor),
    });
  }

  /**
   * Charges the priced messages of one bulk send or campaign inside the transaction that stores
   * them — per message, in request order: the messages the balance (or the month's quota) covers
   * are taken with one conditional update; from the first one that does not fit on, each is refused
   * with the error a single send would get. Write the charged messages, then `recordCharges`.
   */
  async debitMany(
    tx: Store,
    account: SmsAccountRecord,
    messages: readonly SmsMessageRecord[],
  ): Promise<{ charged: SmsMessageRecord[]; refused: { message: SmsMessageRecord; error: DomainError }[] }> {
    if (account.billing === 'unbilled') return { charged: [...messages], refused: [] };
    const quota = account.monthlyQuota ?? 0;
    const month = monthOf(messages[0]?.createdAt.getTime() ?? this.clock.now());
    // A concurrent send may spend between the read and the update: read again and retry.
    for (let attempt = 0; attempt < 10; attempt++) {
      const fresh = await tx.smsBilling.accountById(account.id);
      const used = fresh?.quotaMonth === month ? fresh.quotaUsed : 0;
      const room = account.billing === 'prepaid' ? (fresh?.balance ?? 0) : quota - used;
      let total = 0;
      let n = 0;
      for (; n < messages.length; n++) {
        if (total + messages[n]!.costMinor > room) break;
        total += messages[n]!.costMinor;
      }
      const taken =
        total === 0 ||
        (account.billing === 'prepaid'
          ? (await tx.smsBilling.debitIfCovered(account.id, total)) !== undefined
          : await tx.smsBilling.useQuota(account.id, month, total, quota));
      if (!taken) continue;
      const left = room - total;
      const refused = messages.slice(n).map((message) => ({
        message,
        error:
          account.billing === 'prepaid'
            ? new DomainError(
                'SMS_BALANCE_INSUFFICIENT',
                `The message costs ${message.costMinor} but ${left} of the balance is left after the recipients before it; not sent.`,
                { cost: message.costMinor, balance: left, accountId: account.id },
              )
            : new DomainError(
                'SMS_QUOTA_EXCEEDED',
                `The message costs ${message.costMinor}; ${quota - left} of the monthly quota ${quota} is used with the recipients before it; not sent.`,
                { cost: message.costMinor, used: quota - left, quota, month, accountId: account.id },
              ),
      }));
      return { charged: messages.slice(0, n), refused };
    }
    throw new DomainError('CONFLICT', 'The account kept changing during the charge; try again.');
  }

  /** The charge ledger rows of messages taken by `debitMany` (after they are written). */
  async recordCharges(
    tx: Store,
    account: SmsAccountRecord,
    messages: readonly SmsMessageRecord[],
    actor: Actor,
  ): Promise<void> {
    const by = actorName(actor);
    await tx.smsBilling.appendLedgerMany(
      messages.map((m) => ({
        accountId: account.id,
        at: m.createdAt,
        kind: 'charge' as const,
        amount: -m.costMinor,
        segments: m.segments,
        messageId: m.id,
        messageType: m.type,
        note: null,
        createdBy: by,
      })),
    );
  }

  /** The price list, read once for many messages (see priceMany). */
  prices(): Promise<SmsPriceRecord[]> {
    return this.store.smsBilling.prices();
  }

  /**
   * Refunds the segments of a message that ended without delivery and never reached the SMSC
   * (see refundableSegments); once per message. Call it in the transaction that makes it final.
   */
  async settle(tx: Store, messageId: string): Promise<number> {
    const m = await tx.sms.byId(messageId);
    if (!m || !m.accountId || m.costMinor === 0 || m.segments === 0) return 0;
    if (!['failed', 'expired', 'rejected', 'cancelled'].includes(m.status)) return 0;
    const ledger = await tx.smsBilling.ledgerOfMessage(messageId);
    const charge = ledger.find((l) => l.kind === 'charge');
    if (!charge || ledger.some((l) => l.kind === 'refund')) return 0;
    // A receipt can overtake the submit answer that carries the SMSC id: a receipted part reached it.
    const events = await tx.sms.events(messageId);
    const receipted = new Set(
      events.filter((e) => e.type.startsWith('receipt:')).map((e) => Number(e.details?.seq)),
    );
    const parts = (await tx.sms.segments(messageId)).map((p) =>
      receipted.has(p.seq) ? { ...p, smscMessageId: p.smscMessageId ?? 'receipt' } : p,
    );
    const segments = refundableSegments(m.segments, parts);
    if (segments === 0) return 0;
    // The cost is segments × price exactly, so this division is exact.
    const amount = (m.costMinor / m.segments) * segments;
    const account = await tx.smsBilling.accountById(m.accountId);
    if (!account) return 0;
    if (account.billing === 'prepaid') await tx.smsBilling.adjustBalance(account.id, amount);
    else if (account.billing === 'quota')
      await tx.smsBilling.releaseQuota(account.id, monthOf(charge.at.getTime()), amount);
    await tx.smsBilling.appendLedger({
      accountId: account.id,
      at: new Date(this.clock.now()),
      kind: 'refund',
      amount,
      segments,
      messageId,
      messageType: m.type,
      note: m.status,
      createdBy: 'system',
    });
    return amount;
  }
}
