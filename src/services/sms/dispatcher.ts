// Takes queued messages by priority, plans their parts and submits them through the SmsGateway;
// applies submit results and receipts. Every state change of a segment and its message goes
// through one SerialRunner, so a receipt that overtakes its own submit answer can never be
// overwritten by it; the changes waiting for it are written together (state-batch.ts), which is
// what lets the outbox keep up with a wide SMPP window.
import type { Clock, Logger, SmsGateway, Store, Timer } from '../ports.js';
import type { SmsMessageRecord, SmsSegmentRecord } from '../records.js';
import type { EventHub } from '../events/event-hub.js';
import { SerialRunner } from '../routing/serial.js';
import { DomainError } from '../../domain/errors.js';
import { encodeGsm7, planMessage, type MessagePart } from '../../domain/sms/index.js';
import { applyStateChanges, type StateChange } from './state-batch.js';

/** Which campaigns may send now, and how many messages each (their state and throttle). */
export interface CampaignGate {
  /** Running campaigns with room now; a campaign not listed sends nothing. */
  allowance(nowMs: number): { id: string; limit: number }[];
  /** `n` of the campaign's messages were taken. */
  took(campaignId: string, n: number): void;
  /** When a throttled campaign has room again, if one waits for it. */
  nextWakeAt(nowMs: number): number | undefined;
  /** False once the campaign is paused or cancelled: its parts not yet submitting stay queued. */
  isRunning(campaignId: string): boolean;
}

export interface DispatcherOptions {
  /** Messages being submitted at once; the bind's window and pacing do the fine-grained limiting. */
  concurrency: number;
  /** Wait before a message refused with 'retry' is tried again. */
  retryDelayMs: number;
  /** Without one, campaign messages are never sent. */
  campaigns?: CampaignGate;
}

/** State changes written in one transaction at most. */
const MAX_BATCH = 500;

/** What billing and scheduling add to the sending loop (both optional). */
export interface DispatcherHooks {
  /** Asked as a message is taken: false = not now (held, expired, or no longer queued). */
  gate?(messageId: string): Promise<boolean>;
  /** Called in the transaction that makes a message final without delivery; answers the refund. */
  onUndelivered?(tx: Store, messageId: string): Promise<number>;
}

const referenceOf = (messageId: string, seq: number) => `${messageId}:${seq}`;

/** The outbox's sending loop; owns its timer. */
export class SmsDispatcher {
  private readonly serial = new SerialRunner();
  private readonly inFlight = new Set<string>();
  private readonly work = new Set<Promise<unknown>>();
  private readonly pending: { change: StateChange; resolve: () => void; reject: (err: unknown) => void }[] =
    [];
  /** Messages a cancel is working on: not taken meanwhile. */
  private readonly claimed = new Set<string>();
  /** Messages taken under their campaign's allowance (not those merely tagged with a campaign id). */
  private readonly throttled = new WeakSet<SmsMessageRecord>();
  private pumping: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  // Concatenation references only need to differ between a recipient's messages in flight.
  private nextReference = Math.floor(Math.random() * 256);

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly timer: Timer,
    private readonly gateway: SmsGateway,
    private readonly hub: EventHub,
    private readonly log: Logger,
    private readonly options: DispatcherOptions,
    private readonly hooks: DispatcherHooks = {},
  ) {
    gateway.onReceipt(
      (r) => void this.change({ kind: 'receipt', receipt: r }).catch((err) => this.fault(err)),
    );
  }

  /** Settles what a crash left half-done, then starts sending. */
  async start(): Promise<{ uncertain: number }> {
    const ids = await this.store.sms.messagesWithSegment('submitting');
    const interrupted = (await this.store.sms.segmentsOf(ids)).filter((s) => s.status === 'submitting');
    await Promise.all(
      interrupted.map((s) => this.change({ kind: 'interrupted', messageId: s.messageId, seq: s.seq })),
    );
    this.gateway.start();
    this.wake();
    return { uncertain: ids.length };
  }

  /** Stops taking messages and waits for those being submitted. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer.clear();
    while (this.work.size > 0 || this.pumping) await Promise.all([...this.work, this.pumping]);
    await this.serial.idle();
  }

  /** Looks for due messages now (after a send, a result, or the retry timer). */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump()
      .catch((err) => this.fault(err))
      .finally(() => {
        this.pumping = undefined;
      });
  }

  /**
   * Runs `fn` (a cancel) while this message is not taken; refuses with SMS_NOT_CANCELLABLE when it
   * is being submitted right now.
   */
  async exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    if (this.inFlight.has(id) || this.claimed.has(id)) {
      throw new DomainError('SMS_NOT_CANCELLABLE', 'The message is being submitted.');
    }
    this.claimed.add(id);
    try {
      return await fn();
    } finally {
      this.claimed.delete(id);
      this.wake();
    }
  }

  private async pump(): Promise<void> {
    do {
      this.again = false;
      const room = this.options.concurrency - this.inFlight.size;
      if (room <= 0 || this.stopped) return;
      const now = this.clock.now();
      const gate = this.options.campaigns;
      const allowance = gate?.allowance(now);
      const campaigns = new Set(allowance?.map((a) => a.id));
      const due = await this.store.sms.due(
        new Date(now),
        room,
        [...this.inFlight, ...this.claimed],
        allowance,
      );
      for (const m of due) {
        if (m.campaignId && campaigns.has(m.campaignId)) {
          gate?.took(m.campaignId, 1);
          this.throttled.add(m);
        }
        this.inFlight.add(m.id);
      }
      if (due.length) this.begin(due);
      if (due.length === room) this.again = true;
    } while (this.again && !this.stopped);
    const retryAt = (await this.store.sms.nextRetryAt())?.getTime();
    const gateAt = this.options.campaigns?.nextWakeAt(this.clock.now());
    const next = retryAt === undefined ? gateAt : gateAt === undefined ? retryAt : Math.min(retryAt, gateAt);
    if (next !== undefined && !this.stopped) this.timer.set(next, () => this.wake());
  }

  /**
   * Asks the gate hook (schedule, validity, send window) about each message, then plans and marks
   * the ones that may go, then submits each one's parts.
   */
  private begin(taken: SmsMessageRecord[]): void {
    const done = (id: string) => {
      this.inFlight.delete(id);
      this.wake();
    };
    let batch = taken;
    const job = this.admit(taken)
      .then((admitted) => {
        batch = admitted;
        for (const m of taken) if (!admitted.includes(m)) done(m.id);
        return admitted.length
          ? this.serial.run(() => this.prepare(admitted))
          : new Map<string, MessagePart[]>();
      })
      .then((ready) =>
        Promise.all(
          batch.map(async (m) => {
            try {
              await Promise.all((ready.get(m.id) ?? []).map((p) => this.submitPart(m, p)));
            } catch (err) {
              this.fault(err);
            } finally {
              done(m.id);
            }
          }),
        ),
      )
      .catch((err) => {
        this.fault(err);
        for (const m of batch) done(m.id);
      })
      .finally(() => this.work.delete(job));
    this.work.add(job);
  }

  /** The messages that may go now: not being cancelled, and let through by the gate hook. */
  private async admit(taken: SmsMessageRecord[]): Promise<SmsMessageRecord[]> {
    const gate = this.hooks.gate?.bind(this.hooks);
    const open = taken.filter((m) => !this.claimed.has(m.id));
    if (!gate) return open;
    const verdicts = await Promise.all(
      open.map((m) =>
        gate(m.id).catch((err: unknown) => {
          this.fault(err);
          return false;
        }),
      ),
    );
    return open.filter((m, i) => verdicts[i] && !this.claimed.has(m.id));
  }

  /**
   * In one transaction: fixes concatenation references, stores the parts of every message, and
   * marks the parts that may go now 'submitting' — before the submit, so after a crash they are
   * known to be possibly sent.
   */
  private async prepare(batch: SmsMessageRecord[]): Promise<Map<string, MessagePart[]>> {
    const at = new Date(this.clock.now());
    const gate = this.options.campaigns;
    return this.store.transaction(async (tx) => {
      const plans = new Map<string, MessagePart[]>();
      const rows: SmsSegmentRecord[] = [];
      for (const m of batch) {
        if (m.segments > 1 && m.concatRef === null) {
          m.concatRef = this.nextReference;
          this.nextReference = (this.nextReference + 1) % 256;
          await tx.sms.update(m.id, { concatRef: m.concatRef });
        }
        const plan = planMessage(m.body, {
          encoding: m.encoding,
          ...(m.concatRef === null ? {} : { reference: { bits: 8 as const, value: m.concatRef } }),
        });
        plans.set(m.id, plan.parts);
        for (const p of plan.parts) {
          rows.push({
            messageId: m.id,
            seq: p.sequence,
            status: 'queued',
            smscMessageKey: null,
            smscMessageId: null,
            errorCode: null,
            submittedAt: null,
            doneAt: null,
          });
        }
      }
      await tx.sms.insertSegments(rows);
      // A campaign paused (or cancelled) since its messages were taken: they wait, unsent.
      const allowed = new Set(
        batch
          .filter((m) => !this.throttled.has(m) || !gate || gate.isRunning(m.campaignId ?? ''))
          .map((m) => m.id),
      );
      const marked = (await tx.sms.segmentsOf([...allowed])).filter((s) => s.status === 'queued');
      for (const s of marked) Object.assign(s, { status: 'submitting', submittedAt: at });
      await tx.sms.saveSegments(marked);
      const ready = new Map<string, MessagePart[]>();
      for (const s of marked) {
        const part = plans.get(s.messageId)?.find((p) => p.sequence === s.seq);
        if (part) ready.set(s.messageId, [...(ready.get(s.messageId) ?? []), part]);
      }
      return ready;
    });
  }

  private async submitPart(m: SmsMessageRecord, part: MessagePart): Promise<void> {
    const result = await this.gateway.submit({
      source: m.sender,
      destination: m.recipient,
      dataCoding: part.dataCoding,
      udh: part.udh,
      // SMPP carries the GSM default alphabet one septet per octet; the SMSC packs it for the air.
      shortMessage: part.dataCoding === 0 ? encodeGsm7(part.text) : part.payload,
      reference: referenceOf(m.id, part.sequence),
      type: m.type,
    });
    await this.change({ kind: 'result', messageId: m.id, seq: part.sequence, result });
  }

  /** Queues a state change for the next batch; resolves once it is stored. */
  private change(c: StateChange): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ change: c, resolve, reject });
      if (this.pending.length === 1) void this.serial.run(() => this.flush());
    });
  }

  /** Applies every change queued so far in one transaction, then publishes the status changes. */
  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, MAX_BATCH);
    if (this.pending.length) void this.serial.run(() => this.flush());
    if (!batch.length) return;
    const now = new Date(this.clock.now());
    try {
      const changed = await applyStateChanges(
        this.store,
        batch.map((b) => b.change),
        {
          now,
          retryDelayMs: this.options.retryDelayMs,
          unknownReceipt: (smscMessageKey) =>
            this.log.warn({ smscMessageKey }, 'sms receipt for an unknown message'),
          ...(this.hooks.onUndelivered ? { onUndelivered: this.hooks.onUndelivered.bind(this.hooks) } : {}),
        },
      );
      for (const u of changed) {
        this.hub.publish('sms.updated', u, { staff: true }, now.getTime());
        this.log.debug({ sms: u.id, status: u.status }, 'sms status changed');
      }
      for (const b of batch) b.resolve();
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }

  private fault(err: unknown): void {
    this.log.error({ err }, 'sms dispatcher fault');
  }
}
