import { randomUUID } from 'node:crypto';
import type { Clock, SmsQuery, Store } from '../ports.js';
import type { Actor } from '../auth/principal.js';
import type { SmsEventRecord, SmsMessageRecord, SmsSegmentRecord } from '../records.js';
import { DomainError } from '../../domain/errors.js';
import { toE164 } from '../../domain/customers/phone.js';
import { memberOf, type SmsBilling } from './billing.js';
import type { SmsLedgerRecord } from './billing-ports.js';
import type { SmsSchedule } from './schedule.js';
import type { SmsAccountRecord } from './billing-ports.js';
import { GroupCommit } from './group-commit.js';
import { countSegments, MAX_SEGMENTS, SMS_PRIORITY, type SmsType } from '../../domain/sms/index.js';

/** What a caller asks to send. */
export interface NewSms {
  to: string;
  body: string;
  from?: string;
  type?: SmsType;
  encoding?: 'auto' | 'gsm7' | 'ucs2';
  idempotencyKey?: string;
  /** Not sent before this instant. */
  sendAt?: Date;
  /** Not sent after this instant: the message then ends expired and is refunded. */
  validUntil?: Date;
  /** The SMS account to bill (users may name one; default: the caller's own). */
  accountId?: string;
  campaignId?: string;
}

/** A message with how it went, part by part and step by step. */
export interface SmsDetail extends SmsMessageRecord {
  parts: SmsSegmentRecord[];
  events: SmsEventRecord[];
  /** The charge and any refund of this message. */
  ledger: SmsLedgerRecord[];
}

/** Billing and scheduling, when the outbox runs with them (main.ts always wires both). */
export interface OutboxDeps {
  billing: SmsBilling;
  schedule: SmsSchedule;
}

export interface OutboxOptions {
  defaultCountry: string;
  defaultSender: string;
  /** Refuses a send by throwing (e.g. marketing to a number that opted out: SmsOptOuts.check). */
  policy?: (recipient: string, type: SmsType) => Promise<void>;
}

/** One accepted message on its way to the store, with what its transaction also writes. */
interface Accepted {
  message: SmsMessageRecord;
  account: SmsAccountRecord | undefined;
  actor: Actor;
  queued: Omit<SmsEventRecord, 'id'>;
}

/**
 * Outbound SMS: validated, written durably as 'queued', then left to the SmsDispatcher. Concurrent
 * sends are stored together (group-commit.ts): one transaction, multi-row inserts, each charge in
 * the transaction that stores its message, every caller answered after that commit.
 */
export class SmsOutbox {
  private readonly waiters = new Set<() => void>();
  private readonly accepts = new GroupCommit<Accepted, void>((batch) => this.write(batch));

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: OutboxOptions,
    private readonly deps?: OutboxDeps,
  ) {}

  /** Called after each new message is stored (the dispatcher wakes on it). */
  onQueued(fn: () => void): void {
    this.waiters.add(fn);
  }

  /**
   * Validates and stores a message; `created` is false when the idempotency key was used before
   * (the first message is returned and nothing is sent again).
   */
  async send(actor: Actor, input: NewSms): Promise<{ message: SmsMessageRecord; created: boolean }> {
    if (input.idempotencyKey) {
      const prior = await this.store.sms.byIdempotencyKey(input.idempotencyKey);
      if (prior) return { message: prior, created: false };
    }
    const recipient = toE164(input.to, this.options.defaultCountry);
    const count = countSegments(input.body, input.encoding ?? 'auto');
    if (count.segments > MAX_SEGMENTS) {
      const message = `the text needs ${count.segments} segments; at most ${MAX_SEGMENTS} can be sent`;
      throw new DomainError('SMS_TOO_LONG', message, { segments: count.segments });
    }
    const type = input.type ?? 'notification';
    await this.options.policy?.(recipient, type);
    const at = new Date(this.clock.now());
    const sendAt = input.sendAt ?? null;
    const validUntil = input.validUntil ?? null;
    if (validUntil && (validUntil <= at || (sendAt && validUntil <= sendAt))) {
      throw new DomainError('SMS_SCHEDULE_INVALID', 'validUntil must be later than now and than sendAt.', {
        validUntil: validUntil.toISOString(),
      });
    }
    const account = this.deps ? await this.deps.billing.accountFor(actor, input.accountId) : undefined;
    const cost = account ? (await this.deps!.billing.quote(account, recipient, count.segments)).cost : 0;
    const nextAttemptAt =
      this.deps?.schedule.firstAttempt(type, recipient, sendAt, validUntil, at.getTime()) ?? null;
    const message: SmsMessageRecord = {
      id: randomUUID(),
      sender: input.from ?? this.options.defaultSender,
      recipient,
      body: input.body,
      encoding: count.encoding,
      segments: count.segments,
      type,
      priority: SMS_PRIORITY[type],
      status: 'queued',
      errorCode: null,
      concatRef: null,
      idempotencyKey: input.idempotencyKey ?? null,
      createdBy:
        actor.kind === 'user'
          ? actor.username
          : actor.kind === 'api_key'
            ? `api-key:${actor.name}`
            : 'system',
      createdAt: at,
      updatedAt: at,
      nextAttemptAt,
      submittedAt: null,
      doneAt: null,
      accountId: account?.id ?? null,
      costMinor: cost,
      sendAt,
      validUntil,
      campaignId: input.campaignId ?? null,
    };
    const queued = {
      messageId: message.id,
      at,
      type: 'queued',
      details: {
        segments: count.segments,
        cost,
        ...(nextAttemptAt ? { notBefore: nextAttemptAt.toISOString() } : {}),
      },
    };
    try {
      await this.accepts.submit({ message, account, actor, queued });
    } catch (err) {
      if (err instanceof DomainError) throw err;
      // Two requests racing with one key: the loser answers with the winner's message.
      if (input.idempotencyKey) {
        const prior = await this.store.sms.byIdempotencyKey(input.idempotencyKey);
        if (prior) return { message: prior, created: false };
      }
      throw err;
    }
    for (const fn of this.waiters) fn();
    return { message, created: true };
  }

  /** Stores a batch of accepted messages and their charges in one transaction (all or none). */
  private write(batch: readonly Accepted[]): Promise<void[]> {
    return this.store.transaction(async (tx) => {
      await tx.sms.insertAll(batch.map((a) => a.message));
      for (const a of batch)
        if (a.account) await this.deps!.billing.charge(tx, a.account, a.message, a.actor);
      await tx.sms.appendEvents(batch.map((a) => a.queued));
      return batch.map(() => undefined);
    });
  }

  /** One message with its parts, events and ledger rows; an API key on an account sees only its own. */
  async get(id: string, actor?: Actor): Promise<SmsDetail> {
    const message = await this.store.sms.byId(id);
    const own = actor ? await this.ownAccount(actor) : undefined;
    if (!message || (own && message.accountId !== own)) {
      throw new DomainError('SMS_NOT_FOUND', 'No such message.');
    }
    const [parts, events, ledger] = await Promise.all([
      this.store.sms.segments(id),
      this.store.sms.events(id),
      this.store.smsBilling.ledgerOfMessage(id),
    ]);
    return { ...message, parts, events, ledger };
  }

  /** The account an API key is limited to (undefined for users and for keys on no account). */
  private async ownAccount(actor: Actor): Promise<string | undefined> {
    if (actor.kind !== 'api_key') return undefined;
    return (await this.store.smsBilling.accountOf(memberOf(actor)))?.id;
  }

  /**
   * Messages newest first; `to` may be written in any spelling. An API key linked to an account
   * only ever sees that account's messages.
   */
  async search(q: Omit<SmsQuery, 'recipient'> & { to?: string }, actor?: Actor): Promise<SmsMessageRecord[]> {
    const { to, ...rest } = q;
    const recipient = to === undefined ? undefined : toE164(to, this.options.defaultCountry);
    const own = actor ? await this.ownAccount(actor) : undefined;
    return this.store.sms.search({
      ...rest,
      ...(recipient ? { recipient } : {}),
      ...(own ? { accountId: own } : {}),
    });
  }
}
