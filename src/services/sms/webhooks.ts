// Pushes SMS events (receipts as sms.updated, MO as sms.received) to the configured webhook URL:
// written to webhook_deliveries first (so a restart resumes them), signed, retried with doubling
// delays on a non-2xx answer or a time-out, at least once, each with a stable event id.
import { randomUUID } from 'node:crypto';
import type { Clock, Logger, Timer } from '../ports.js';
import type { EventHub } from '../events/event-hub.js';
import type { MoStore, WebhookDeliveryRecord, WebhookStatus, WebhookTransport } from './mo-ports.js';
import { signWebhook } from './webhook-signature.js';

export interface WebhookSettings {
  url: string;
  secret: string;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/** The hub events that are pushed. */
const PUSHED = new Set(['sms.updated']);

/** Delay before attempt `attempts + 1`: base, 2·base, 4·base … capped. */
export function retryDelay(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/** The webhook outbox and its delivery loop; owns its timer. */
export class SmsWebhooks {
  private pumping: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly store: MoStore,
    private readonly clock: Clock,
    private readonly timer: Timer,
    private readonly transport: WebhookTransport,
    private readonly hub: EventHub,
    private readonly log: Logger,
    private readonly settings: WebhookSettings | null,
  ) {}

  get enabled(): boolean {
    return this.settings !== null;
  }

  /**
   * Writes a push for `type` (in the caller's transaction, when given) — nothing when no webhook is
   * configured. Call wake() after the transaction commits.
   */
  async enqueue(tx: MoStore, type: string, data: unknown): Promise<void> {
    if (!this.settings) return;
    const at = new Date(this.clock.now());
    const id = randomUUID();
    const body = JSON.stringify({ id, type, createdAt: at.toISOString(), data });
    await tx.webhooks.insert({
      id,
      eventType: type,
      url: this.settings.url,
      body,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      lastError: null,
      createdAt: at,
      deliveredAt: null,
    });
  }

  /** Starts pushing what is pending (also what a previous run left) and follows receipts. */
  start(): void {
    if (!this.settings) return;
    this.stopped = false;
    // Receipts are published by the dispatcher after they are stored; a crash between the two loses
    // that push (the message itself is safe in the outbox and can be read with GET /api/sms/{id}).
    this.unsubscribe = this.hub.subscribe((e) => {
      if (!PUSHED.has(e.type)) return;
      void this.enqueue(this.store, e.type, e.data)
        .then(() => this.wake())
        .catch((err: unknown) => this.log.error({ err }, 'webhook enqueue failed'));
    });
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.timer.clear();
    while (this.pumping) await this.pumping;
  }

  /** Looks for due pushes now. */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump()
      .catch((err: unknown) => this.log.error({ err }, 'webhook delivery fault'))
      .finally(() => {
        this.pumping = undefined;
      });
  }

  list(q: { status?: WebhookStatus; limit: number; offset: number }): Promise<WebhookDeliveryRecord[]> {
    return this.store.webhooks.list(q);
  }

  private async pump(): Promise<void> {
    do {
      this.again = false;
      const due = await this.store.webhooks.due(new Date(this.clock.now()), 20);
      // One at a time, oldest first: receivers mostly see events in order.
      for (const d of due) {
        if (this.stopped) return;
        await this.attempt(d);
      }
      if (due.length === 20) this.again = true;
    } while (this.again && !this.stopped);
    const next = await this.store.webhooks.nextDueAt();
    if (next && !this.stopped) this.timer.set(next.getTime(), () => this.wake());
  }

  private async attempt(d: WebhookDeliveryRecord): Promise<void> {
    const s = this.settings!;
    const headers = {
      'content-type': 'application/json',
      'x-hotline-event-id': d.id,
      'x-hotline-event-type': d.eventType,
      'x-hotline-signature': signWebhook(s.secret, d.body, Math.floor(this.clock.now() / 1000)),
    };
    let error: string;
    try {
      const status = await this.transport.post(d.url, d.body, headers, s.timeoutMs);
      if (status >= 200 && status < 300) {
        await this.store.webhooks.update(d.id, {
          status: 'delivered',
          attempts: d.attempts + 1,
          lastError: null,
          deliveredAt: new Date(this.clock.now()),
        });
        return;
      }
      error = `HTTP ${status}`;
    } catch (err) {
      error = (err as Error).message || 'request failed';
    }
    const attempts = d.attempts + 1;
    const failed = attempts >= s.maxAttempts;
    const nextAttemptAt = new Date(this.clock.now() + retryDelay(attempts, s.retryBaseMs, s.retryMaxMs));
    await this.store.webhooks.update(d.id, {
      attempts,
      lastError: error,
      ...(failed ? { status: 'failed' as const } : { nextAttemptAt }),
    });
    this.log.warn({ webhook: d.id, attempts, error, givenUp: failed }, 'webhook push failed');
  }
}
