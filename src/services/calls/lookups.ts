/**
 * The IVR's `lookup` commands at run time: an HTTP webhook (through the WebhookClient port) or the
 * CRM's customer by caller number. Every failure — an error answer, a time-out, a peer that is
 * down, a fault of ours — becomes `lookup_result ok: false`, so the flow takes its error branch
 * and the caller is never stranded.
 */
import type { IvrCommand, IvrEvent } from '../../domain/ivr/index.js';
import type { CustomerBook } from '../customers.js';
import type { Logger } from '../ports.js';

/** One webhook request as the flow asked for it. */
export interface WebhookRequest {
  url: string;
  method: 'GET' | 'POST';
  /** Query parameters for GET, a JSON body for POST. */
  params: Record<string, string>;
  timeoutMs: number;
}

/** The answer: parsed JSON, or why there is none (`timeout`, `unreachable`, `http_503`, `bad_response`). */
export type WebhookAnswer = { ok: true; data: unknown } | { ok: false; error: string };

/** Calls webhooks (the HTTP adapter). */
export interface WebhookClient {
  request(r: WebhookRequest): Promise<WebhookAnswer>;
}

type LookupCommand = Extract<IvrCommand, { type: 'lookup' }>;
type LookupResult = Extract<IvrEvent, { type: 'lookup_result' }>;

/**
 * Answers lookup commands.
 * @example await lookups.run({ type: 'lookup', id: 'c1/l1', source: 'customer_by_caller', caller: '+12025550143', timeoutMs: 3000 })
 */
export class IvrLookups {
  constructor(
    private readonly webhooks: WebhookClient,
    private readonly customers: Pick<CustomerBook, 'byNumber'>,
    private readonly log: Logger,
  ) {}

  async run(c: LookupCommand, callId: string): Promise<LookupResult> {
    try {
      const answer = c.source === 'webhook' ? await this.webhook(c) : await this.customer(c.caller);
      if (!answer.ok) this.log.info({ callId, lookup: c.id, error: answer.error }, 'IVR lookup failed');
      return answer.ok
        ? { type: 'lookup_result', id: c.id, ok: true, data: answer.data }
        : { type: 'lookup_result', id: c.id, ok: false, error: answer.error };
    } catch (err) {
      this.log.warn({ err, callId, lookup: c.id }, 'IVR lookup fault');
      return { type: 'lookup_result', id: c.id, ok: false, error: 'lookup_fault' };
    }
  }

  private webhook(c: Extract<LookupCommand, { source: 'webhook' }>): Promise<WebhookAnswer> {
    // The URL and params may carry what the caller typed: only at debug, and never when sensitive.
    if (!c.sensitive) this.log.debug({ url: c.url, params: c.params }, 'IVR webhook lookup');
    return this.webhooks.request({ url: c.url, method: c.method, params: c.params, timeoutMs: c.timeoutMs });
  }

  /** Not found is an answer, not an error: the flow goes on without the variables. */
  private async customer(caller: string): Promise<WebhookAnswer> {
    const found = await this.customers.byNumber(caller);
    if (!found) return { ok: true, data: {} };
    return {
      ok: true,
      data: {
        id: found.id,
        name: found.name,
        vip: found.vip,
        blacklisted: found.blacklisted,
        tags: found.tags,
      },
    };
  }
}
