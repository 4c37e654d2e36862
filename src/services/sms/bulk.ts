// Many messages from one template in one request: each recipient is checked on its own (a bad
// number is reported, the others still go), and all accepted ones are stored in one transaction
// with multi-row inserts, so a 100,000-recipient list is queued in seconds.
import { randomUUID } from 'node:crypto';
import type { Clock, Store } from '../ports.js';
import type { Principal } from '../auth/principal.js';
import type { SmsMessageRecord } from '../records.js';
import { DomainError, type ErrorCode } from '../../domain/errors.js';
import { toE164 } from '../../domain/customers/phone.js';
import { countSegments, MAX_SEGMENTS, SMS_PRIORITY, type SmsType } from '../../domain/sms/index.js';
import { renderTemplate } from '../../domain/sms/template.js';

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
): { messages: SmsMessageRecord[]; rejected: RecipientError[] } {
  const type = req.type ?? 'notification';
  const messages: SmsMessageRecord[] = [];
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
        // Not charged: bulk sends and campaigns are not billed to an SMS account (yet).
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
  return { messages, rejected };
}

/** `POST /api/sms/bulk`: one template, many recipients, one transaction. */
export class SmsBulk {
  private readonly waiters = new Set<(count: number) => void>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: BulkOptions,
  ) {}

  /** Called after messages are stored (the dispatcher wakes on it). */
  onQueued(fn: (count: number) => void): void {
    this.waiters.add(fn);
  }

  /** Stores every valid recipient's message as queued and reports the others. */
  async send(actor: Principal, req: BulkRequest): Promise<BulkResult> {
    const at = new Date(this.clock.now());
    const { messages, rejected } = prepareBulk(req, {
      ...this.options,
      at,
      createdBy: authorOf(actor),
      campaignId: null,
    });
    if (messages.length) {
      await this.store.transaction((tx) => tx.sms.insertMany(messages));
      for (const fn of this.waiters) fn(messages.length);
    }
    return { accepted: messages.length, rejected };
  }
}
