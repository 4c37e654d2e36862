// Many messages from one template in one request: each recipient is checked on its own (a bad
// number is reported, the others still go), and all accepted ones are stored in one transaction
// with multi-row inserts, so a 100,000-recipient list is queued in seconds. Bulk sends and campaigns
// are billed like single sends (per message, in request order: see SmsBilling.debitMany) and
// marketing to numbers that opted out is suppressed and reported.
import { randomUUID } from 'node:crypto';
import type { Clock, Store } from '../ports.js';
import type { Principal } from '../auth/principal.js';
import type { SmsBilling } from './billing.js';
import type { SmsAccountRecord } from './billing-ports.js';
import type { SmsMessageRecord } from '../records.js';
import { DomainError, type ErrorCode } from '../../domain/errors.js';
import { toE164 } from '../../domain/customers/phone.js';
import { countSegments, MAX_SEGMENTS, SMS_PRIORITY, type SmsType } from '../../domain/sms/index.js';
import { renderTemplate } from '../../domain/sms/template.js';
import { costOf, priceFor } from '../../domain/sms/pricing.js';

/** One recipient of a bulk send: a number in any spelling and the template's variables. */
export interface BulkRecipient {
  to: string;
  variables?: Record<string, string>;
}

/** A bulk send: one template to many recipients. */
export interface BulkRequest {
  template: string;
  recipients: readonly BulkRecipient[];
  from?: string;
  type?: SmsType;
  encoding?: 'auto' | 'gsm7' | 'ucs2';
  /** The SMS account to bill (users may name one; default: the caller's own). */
  accountId?: string;
}

/** Why one recipient was not accepted; `index` is its position in the request. */
export interface RecipientError {
  index: number;
  to: string;
  code: ErrorCode;
  message: string;
}

export interface BulkResult {
  accepted: number;
  rejected: RecipientError[];
}

export interface BulkOptions {
  defaultCountry: string;
  defaultSender: string;
}

/** Who wrote a message, as stored in created_by. */
export const authorOf = (actor: Principal): string =>
  actor.kind === 'user' ? actor.username : `api-key:${actor.name}`;

/**
 * Builds the queued messages of a bulk request; each recipient that cannot be sent (bad number,
 * missing variable, text too long or unencodable, a number listed twice) is reported instead.
 */
export function prepareBulk(
  req: BulkRequest,
  o: BulkOptions & { at: Date; createdBy: string; campaignId: string | null },
): PreparedBulk {
  const type = req.type ?? 'notification';
  const messages: SmsMessageRecord[] = [];
  const origins: { index: number; to: string }[] = [];
  const rejected: RecipientError[] = [];
  const seen = new Set<string>();
  req.recipients.forEach((r, index) => {
    try {
      const recipient = toE164(r.to, o.defaultCountry);
      if (seen.has(recipient)) {
        throw new DomainError('SMS_RECIPIENT_DUPLICATE', `${r.to} is listed more than once`);
      }
      const filled = renderTemplate(req.template, r.variables ?? {});
      if (!filled.ok) {
        throw new DomainError('SMS_TEMPLATE_VARIABLE_MISSING', `missing ${filled.missing.join(', ')}`, {
          missing: filled.missing,
        });
      }
      if (filled.text.length === 0) throw new DomainError('VALIDATION_FAILED', 'the text is empty');
      const count = countSegments(filled.text, req.encoding ?? 'auto');
      if (count.segments > MAX_SEGMENTS) {
        throw new DomainError('SMS_TOO_LONG', `the text needs ${count.segments} segments`);
      }
      seen.add(recipient);
      origins.push({ index, to: r.to });
      messages.push({
        id: randomUUID(),
        sender: req.from ?? o.defaultSender,
        recipient,
        body: filled.text,
        encoding: count.encoding,
        segments: count.segments,
        type,
        priority: SMS_PRIORITY[type],
        status: 'queued',
        errorCode: null,
        concatRef: null,
        idempotencyKey: null,
        createdBy: o.createdBy,
        createdAt: o.at,
        updatedAt: o.at,
        nextAttemptAt: null,
        submittedAt: null,
        doneAt: null,
        // Priced and charged by BulkAdmission.
        accountId: null,
        costMinor: 0,
        sendAt: null,
        validUntil: null,
        campaignId: o.campaignId,
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      rejected.push({ index, to: r.to, code: err.code, message: err.message });
    }
  });
  return { messages, rejected, origins };
}

/** Prepared messages; `origins[i]` is the recipient (position and number) of `messages[i]`. */
export interface PreparedBulk {
  messages: SmsMessageRecord[];
  rejected: RecipientError[];
  origins: { index: number; to: string }[];
}

/** What billing and opt-outs need (SmsBilling, SmsOptOuts). */
export interface BulkDeps {
  billing: SmsBilling;
  optOuts: { among(phones: readonly string[]): Promise<Set<string>> };
}

/**
 * Billing and opt-outs for bulk sends and campaigns. `screen` (before the transaction) reports
 * marketing to opted-out numbers (SMS_RECIPIENT_OPTED_OUT) and destinations without a price on a
 * billed account, and prices the rest on the caller's account; `charge` (inside it) takes the
 * money per message and reports those the balance or quota does not cover.
 */
export class BulkAdmission {
  constructor(private readonly deps: BulkDeps) {}

  async screen(
    actor: Principal,
    accountId: string | undefined,
    prepared: PreparedBulk,
  ): Promise<PreparedBulk & { account: SmsAccountRecord }> {
    const { billing, optOuts } = this.deps;
    const account = await billing.accountFor(actor, accountId);
    const prices = await billing.prices();
    const marketing = prepared.messages.filter((m) => m.type === 'marketing').map((m) => m.recipient);
    const out = await optOuts.among(marketing);
    const kept: PreparedBulk = { messages: [], rejected: [...prepared.rejected], origins: [] };
    prepared.messages.forEach((m, i) => {
      const origin = prepared.origins[i]!;
      const reject = (code: ErrorCode, message: string) => kept.rejected.push({ ...origin, code, message });
      if (m.type === 'marketing' && out.has(m.recipient)) {
        return reject('SMS_RECIPIENT_OPTED_OUT', 'This number opted out of marketing messages.');
      }
      const price = priceFor(prices, m.recipient);
      if (!price && account.billing !== 'unbilled') {
        return reject('SMS_DESTINATION_NOT_PRICED', 'The price list has no price for this destination.');
      }
      kept.messages.push({
        ...m,
        accountId: account.id,
        costMinor: price ? costOf(m.segments, price.perSegment) : 0,
      });
      kept.origins.push(origin);
    });
    kept.rejected.sort((a, b) => a.index - b.index);
    return { ...kept, account };
  }

  /**
   * Inside the transaction: debits what the account covers, writes those messages with `write`
   * and their charges; the others are added to `rejected`. Throws the first refusal (402) when
   * nothing at all is covered, so nothing is stored.
   */
  async charge(
    tx: Store,
    actor: Principal,
    screened: PreparedBulk & { account: SmsAccountRecord },
    write: (messages: SmsMessageRecord[]) => Promise<void>,
  ): Promise<PreparedBulk> {
    const { billing } = this.deps;
    const { charged, refused } = await billing.debitMany(tx, screened.account, screened.messages);
    if (charged.length === 0 && refused.length > 0) throw refused[0]!.error;
    await write(charged);
    await billing.recordCharges(tx, screened.account, charged, actor);
    const rejected = [...screened.rejected];
    refused.forEach((r, i) => {
      const origin = screened.origins[charged.length + i]!;
      rejected.push({ ...origin, code: r.error.code, message: r.error.message });
    });
    rejected.sort((a, b) => a.index - b.index);
    return { messages: charged, rejected, origins: screened.origins.slice(0, charged.length) };
  }

  /** Refunds a message that ended unsent (a cancelled campaign's), once; the amount given back. */
  async refund(tx: Store, messageId: string, at: Date): Promise<number> {
    const amount = await this.deps.billing.settle(tx, messageId);
    if (amount) {
      await tx.sms.appendEvents([{ messageId, at, type: 'refunded', details: { amount } }]);
    }
    return amount;
  }
}

/** `POST /api/sms/bulk`: one template, many recipients, one transaction. */
export class SmsBulk {
  private readonly waiters = new Set<(count: number) => void>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: BulkOptions,
    private readonly admission?: BulkAdmission,
  ) {}

  /** Called after messages are stored (the dispatcher wakes on it). */
  onQueued(fn: (count: number) => void): void {
    this.waiters.add(fn);
  }

  /** Stores every valid recipient's message as queued and reports the others. */
  async send(actor: Principal, req: BulkRequest): Promise<BulkResult> {
    const at = new Date(this.clock.now());
    const prepared = prepareBulk(req, {
      ...this.options,
      at,
      createdBy: authorOf(actor),
      campaignId: null,
    });
    let { messages, rejected } = prepared;
    if (messages.length && this.admission) {
      const screened = await this.admission.screen(actor, req.accountId, prepared);
      ({ messages, rejected } = screened.messages.length
        ? await this.store.transaction((tx) =>
            this.admission!.charge(tx, actor, screened, (charged) => tx.sms.insertMany(charged)),
          )
        : screened);
    } else if (messages.length) {
      await this.store.transaction((tx) => tx.sms.insertMany(messages));
    }
    if (messages.length) for (const fn of this.waiters) fn(messages.length);
    return { accepted: messages.length, rejected };
  }
}
