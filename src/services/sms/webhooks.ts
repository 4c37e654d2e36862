// Pushes SMS events (receipts as sms.updated, MO as sms.received) to the configured webhook URL:
// written to webhook_deliveries first (so a restart resumes them), signed, retried with doubling
// delays on a non-2xx answer or a time-out, at least once, each with a stable event id. An SMS
// account (API client) may have its own webhook: the receipts of its messages go there, signed with
// its own secret; everything else goes to the global one.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, Logger, Timer } from '../ports.js';
import type { EventHub } from '../events/event-hub.js';
import type {
  ClientWebhookRecord,
  MoStore,
  WebhookDeliveryRecord,
  WebhookStatus,
  WebhookTransport,
} from './mo-ports.js';
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

/** Time-outs and retries when only per-client webhooks exist (no global one configured). */
const DEFAULT_TIMING = { timeoutMs: 5000, maxAttempts: 12, retryBaseMs: 2000, retryMaxMs: 3_600_000 };

/** A client webhook as shown after it was set: the secret is never shown again. */
export type ClientWebhookView = Omit<ClientWebhookRecord, 'secret'>;

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
  /** Per-account webhooks, loaded at start and kept in step by set/remove (one process). */
  private readonly clients = new Map<string, ClientWebhookRecord>();

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
    return this.settings !== null || this.clients.size > 0;
  }

  /**
   * Sets (or replaces) an account's own webhook with a new secret, returned only here. Receipts
   * of the account's messages go to it from now on.
   */
  async setClientWebhook(accountId: string, url: string): Promise<ClientWebhookRecord> {
    const at = new Date(this.clock.now());
    const prior = this.clients.get(accountId);
    const hook: ClientWebhookRecord = {
      accountId,
      url,
      secret: randomBytes(24).toString('base64url'),
      createdAt: prior?.createdAt ?? at,
      updatedAt: at,
    };
    await this.store.clientWebhooks.put(hook);
    this.clients.set(accountId, hook);
    return hook;
  }

  clientWebhook(accountId: string): ClientWebhookView | undefined {
    const h = this.clients.get(accountId);
    return h && { accountId: h.accountId, url: h.url, createdAt: h.createdAt, updatedAt: h.updatedAt };
  }

  /** Removes it; its pending pushes are given up (the secret is gone). True when there was one. */
  async removeClientWebhook(accountId: string): Promise<boolean> {
    this.clients.delete(accountId);
    return this.store.clientWebhooks.remove(accountId);
  }

  /**
   * Writes a push for `type` (in the caller's transaction, when given) — nothing when no webhook is
   * configured. Call wake() after the transaction commits.
   */
  async enqueue(tx: MoStore, type: string, data: unknown, accountId: string | null = null): Promise<void> {
    const client = accountId === null ? undefined : this.clients.get(accountId);
    const url = client?.url ?? this.settings?.url;
    if (url === undefined) return;
    const at = new Date(this.clock.now());
    const id = randomUUID();
    const body = JSON.stringify({ id, type, createdAt: at.toISOString(), data });
    await tx.webhooks.insert({
      id,
      eventType: type,
      url,
      accountId: client ? client.accountId : null,
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
  async start(): Promise<void> {
    for (const h of await this.store.clientWebhooks.list()) this.clients.set(h.accountId, h);
    this.stopped = false;
    // Receipts are published by the dispatcher after they are stored; a crash between the two loses
    // that push (the message itself is safe in the outbox and can be read with GET /api/sms/{id}).
    this.unsubscribe = this.hub.subscribe((e) => {
      if (!PUSHED.has(e.type) || !this.enabled) return;
      void this.enqueueReceipt(e.type, e.data)
        .then(() => this.wake())
        .catch((err: unknown) => this.log.error({ err }, 'webhook enqueue failed'));
    });
    this.wake();
  }

  /** A receipt goes to its message's account's webhook when it has one, else to the global one. */
  private async enqueueReceipt(type: string, data: unknown): Promise<void> {
    const messageId = (data as { id?: unknown } | null)?.id;
    const accountId =
      this.clients.size > 0 && typeof messageId === 'string'
        ? ((await this.store.accountOfMessage(messageId)) ?? null)
        : null;
    await this.enqueue(this.store, type, data, accountId);
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
    const s = { ...DEFAULT_TIMING, ...this.settings };
    const secret = d.accountId === null ? this.settings?.secret : this.clients.get(d.accountId)?.secret;
    if (secret === undefined) {
      // The client removed its webhook (or the global one was unconfigured): nothing to sign with.
      await this.store.webhooks.update(d.id, { status: 'failed', lastError: 'webhook removed' });
      return;
    }
    const headers = {
      'content-type': 'application/json',
      'x-hotline-event-id': d.id,
      'x-hotline-event-type': d.eventType,
      'x-hotline-signature': signWebhook(secret, d.body, Math.floor(this.clock.now() / 1000)),
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
