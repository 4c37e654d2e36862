// Takes queued messages by priority, plans their parts and submits them through the SmsGateway;
// applies submit results and receipts. Every write of results and receipts goes through one
// SerialRunner, so a receipt that overtakes its own submit answer can never be overwritten by it;
// whatever waits for it is written together in one transaction (state-batch.ts), one commit for
// many messages, which is what lets the outbox keep up with a wide SMPP window. A batch's parts are
// marked 'submitting' before it goes, in the same turn (PGlite) or by a second writer of their own
// (PostgreSQL, `separateStarts`); a message's slot is freed as soon as the SMSC has answered.
import type { Clock, Logger, SmsGateway, SmsSubmitResult, Store, Timer } from '../ports.js';
import type { SmsMessageRecord, SmsSegmentRecord } from '../records.js';
import type { EventHub } from '../events/event-hub.js';
import { SerialRunner } from '../routing/serial.js';
import { DomainError } from '../../domain/errors.js';
import { encodeGsm7, planMessage, type MessagePart } from '../../domain/sms/index.js';
import { applyStateChangesIn, type StateChange } from './state-batch.js';

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
  /**
   * Writes the 'submitting' marks of taken batches in their own transactions, alongside (not
   * between) the writes of results and receipts: for a database with many connections
   * (PostgreSQL). Without it both go in one transaction (PGlite has one connection anyway).
   */
  separateStarts?: boolean;
}

/** State changes written in one transaction at most. */
const MAX_BATCH = 500;

/** What billing and scheduling add to the sending loop (both optional). */
export interface DispatcherHooks {
  /**
   * Asked as messages are taken (a batch at a time): answers those that may go now; the others are
   * held, expired, or no longer queued.
   */
  gate?(messageIds: readonly string[]): Promise<Set<string>>;
  /** Called in the transaction that makes a message final without delivery; answers the refund. */
  onUndelivered?(tx: Store, messageId: string): Promise<number>;
}

/** A part the SMSC answered, and the write of that answer. */
interface Answered {
  status: SmsSubmitResult['status'];
  stored: Promise<void>;
}

const referenceOf = (messageId: string, seq: number) => `${messageId}:${seq}`;

/** The outbox's sending loop; owns its timer. */
export class SmsDispatcher {
  private readonly serial = new SerialRunner();
  private readonly inFlight = new Set<string>();
  /** Answered by the SMSC, the answer not yet stored: not taken again meanwhile. */
  private readonly settling = new Set<string>();
  private readonly work = new Set<Promise<unknown>>();
  private readonly pending: { change: StateChange; resolve: () => void; reject: (err: unknown) => void }[] =
    [];
  /** Taken batches waiting for their parts to be stored and marked 'submitting'. */
  private readonly starting: {
    batch: SmsMessageRecord[];
    resolve: (ready: Map<string, MessagePart[]>) => void;
    reject: (err: unknown) => void;
  }[] = [];
  private writeQueued = false;
  /** The writer of 'submitting' marks when they go apart from the state changes. */
  private readonly startSerial = new SerialRunner();
  private startQueued = false;
  /** Messages given a concatenation reference here: written again if their first write is retried. */
  private readonly unsavedRef = new WeakSet<SmsMessageRecord>();
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
    await Promise.all([this.serial.idle(), this.startSerial.idle()]);
  }

  /** Looks for due messages now (after a send, a result, or the retry timer). */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.again = false;
    this.pumping = this.pump()
      .catch((err) => this.fault(err))
      .finally(() => {
        this.pumping = undefined;
        // A wake while the pump was finishing (after its last look for due messages) would be lost:
        // a campaign resumed or a slot freed then, with no retry timer to come back for it.
        if (this.again) this.wake();
      });
  }

  /**
   * Runs `fn` (a cancel) while this message is not taken; refuses with SMS_NOT_CANCELLABLE when it
   * is being submitted right now.
   */
  async exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    if (this.inFlight.has(id) || this.settling.has(id) || this.claimed.has(id)) {
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
        [...this.inFlight, ...this.settling, ...this.claimed],
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
        return admitted.length ? this.prepare(admitted) : new Map<string, MessagePart[]>();
      })
      .then((ready) =>
        Promise.all(
          batch.map(async (m) => {
            let answers: Answered[] = [];
            try {
              answers = await Promise.all((ready.get(m.id) ?? []).map((p) => this.submitPart(m, p)));
            } catch (err) {
              this.fault(err);
            }
            // Nothing submitted (its campaign was paused meanwhile, or every part was sent before):
            // nothing to store, so it may be taken again at once. Through `settling` it would be
            // left out of the very look the freed slot wakes, and with no wake after it a resumed
            // campaign's held messages stayed queued for good.
            if (answers.length === 0) return done(m.id);
            // Answered by the SMSC: its slot is free for the next message, but until the answers
            // are stored it must not be taken again (its parts may still read 'queued' after a retry).
            this.settling.add(m.id);
            done(m.id);
            try {
              await Promise.all(answers.map((a) => a.stored));
            } catch (err) {
              this.fault(err);
            } finally {
              this.settling.delete(m.id);
              // A retry is due again later: the pump re-arms its timer with it now stored.
              if (answers.some((a) => a.status !== 'accepted')) this.wake();
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
    const open = taken.filter((m) => !this.claimed.has(m.id));
    if (!this.hooks.gate || !open.length) return open;
    const go = await this.hooks.gate(open.map((m) => m.id)).catch((err: unknown) => {
      this.fault(err);
      return new Set<string>();
    });
    return open.filter((m) => go.has(m.id) && !this.claimed.has(m.id));
  }

  /** Queues a taken batch for the next write; resolves with the parts that may be submitted now. */
  private prepare(batch: SmsMessageRecord[]): Promise<Map<string, MessagePart[]>> {
    return new Promise((resolve, reject) => {
      this.starting.push({ batch, resolve, reject });
      if (!this.options.separateStarts) return this.scheduleWrite();
      if (this.startQueued) return;
      this.startQueued = true;
      void this.startSerial.run(() => this.writeStarts());
    });
  }

  /**
   * In the write transaction: fixes concatenation references, stores the parts of every message,
   * and marks the parts that may go now 'submitting' — before the submit, so after a crash they are
   * known to be possibly sent.
   */
  private async startParts(tx: Store, batch: SmsMessageRecord[]): Promise<Map<string, MessagePart[]>> {
    const at = new Date(this.clock.now());
    const gate = this.options.campaigns;
    const plans = new Map<string, MessagePart[]>();
    // A campaign paused (or cancelled) since its messages were taken: they wait, unsent.
    const held: SmsSegmentRecord[] = [];
    const go: SmsSegmentRecord[] = [];
    for (const m of batch) {
      if (m.segments > 1 && (m.concatRef === null || this.unsavedRef.has(m))) {
        if (m.concatRef === null) {
          m.concatRef = this.nextReference;
          this.nextReference = (this.nextReference + 1) % 256;
          this.unsavedRef.add(m);
        }
        await tx.sms.update(m.id, { concatRef: m.concatRef });
      }
      const plan = planMessage(m.body, {
        encoding: m.encoding,
        ...(m.concatRef === null ? {} : { reference: { bits: 8 as const, value: m.concatRef } }),
      });
      plans.set(m.id, plan.parts);
      const allowed = !this.throttled.has(m) || !gate || gate.isRunning(m.campaignId ?? '');
      for (const p of plan.parts) {
        (allowed ? go : held).push({
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
    await tx.sms.insertSegments(held);
    const ready = new Map<string, MessagePart[]>();
    for (const s of await tx.sms.startSegments(go, at)) {
      const part = plans.get(s.messageId)?.find((p) => p.sequence === s.seq);
      if (part) ready.set(s.messageId, [...(ready.get(s.messageId) ?? []), part]);
    }
    return ready;
  }

  /** True when startParts has more than its one statement to write for this batch. */
  private needsTransaction(batch: readonly SmsMessageRecord[]): boolean {
    const gate = this.options.campaigns;
    return batch.some(
      (m) =>
        (m.segments > 1 && (m.concatRef === null || this.unsavedRef.has(m))) ||
        (this.throttled.has(m) && gate !== undefined && !gate.isRunning(m.campaignId ?? '')),
    );
  }

  /** Submits one part; resolves once the SMSC answered, with the write of that answer under way. */
  private async submitPart(m: SmsMessageRecord, part: MessagePart): Promise<Answered> {
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
    const stored = this.change({ kind: 'result', messageId: m.id, seq: part.sequence, result });
    return { status: result.status, stored };
  }

  /** Queues a state change for the next write; resolves once it is stored. */
  private change(c: StateChange): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ change: c, resolve, reject });
      this.scheduleWrite();
    });
  }

  private scheduleWrite(): void {
    if (this.writeQueued) return;
    this.writeQueued = true;
    void this.serial.run(() => this.write());
  }

  /**
   * Writes the state changes and the taken batches queued so far in one transaction (group
   * commit), then publishes the status changes. Should that fail, each batch and the changes are
   * tried on their own, so one bad batch does not take the others down with it.
   */
  private async write(): Promise<void> {
    this.writeQueued = false;
    const changes = this.pending.splice(0, MAX_BATCH);
    const starting = this.options.separateStarts ? [] : this.starting.splice(0);
    if (this.pending.length) this.scheduleWrite();
    if (!changes.length && !starting.length) return;
    const units = (changes.length ? 1 : 0) + starting.length;
    try {
      await this.writeTogether(changes, starting);
    } catch (err) {
      if (units === 1) {
        for (const c of changes) c.reject(err);
        for (const s of starting) s.reject(err);
        return;
      }
      if (changes.length) {
        await this.writeTogether(changes, []).catch((e: unknown) => changes.forEach((c) => c.reject(e)));
      }
      for (const s of starting) {
        await this.writeTogether([], [s]).catch((e: unknown) => s.reject(e));
      }
    }
  }

  /** The taken batches queued so far, in one transaction (or each alone should that fail). */
  private async writeStarts(): Promise<void> {
    this.startQueued = false;
    const starting = this.starting.splice(0);
    if (!starting.length) return;
    try {
      await this.writeTogether([], starting);
    } catch (err) {
      if (starting.length === 1) return starting[0]!.reject(err);
      for (const s of starting) await this.writeTogether([], [s]).catch((e: unknown) => s.reject(e));
    }
  }

  private async writeTogether(changes: typeof this.pending, starting: typeof this.starting): Promise<void> {
    const now = new Date(this.clock.now());
    // The 'submitting' mark must be on disk before the submit: after a crash it makes a part
    // 'uncertain' rather than sent again. Results and receipts alone may commit without waiting for
    // the flush: losing the last of them in a database crash leaves parts 'submitting' (recovered as
    // 'uncertain') or 'submitted' without their receipt, the same as a crash of Hotline just before
    // writing them; and a later durable commit flushes every earlier one.
    const relaxedCommit = starting.length === 0;
    if (!changes.length && starting.length) {
      const batch = starting.flatMap((s) => s.batch);
      // One statement (no reference to fix, no part held back) is atomic and durable on its own:
      // no BEGIN and COMMIT round trips while the batch waits to be submitted.
      if (!this.needsTransaction(batch)) {
        const ready = await this.startParts(this.store, batch);
        for (const s of starting) s.resolve(ready);
        return;
      }
    }
    const { changed, ready } = await this.store.transaction(
      async (tx) => {
        const changed = changes.length
          ? await applyStateChangesIn(
              tx,
              changes.map((b) => b.change),
              {
                now,
                retryDelayMs: this.options.retryDelayMs,
                unknownReceipt: (smscMessageKey) =>
                  this.log.warn({ smscMessageKey }, 'sms receipt for an unknown message'),
                ...(this.hooks.onUndelivered
                  ? { onUndelivered: this.hooks.onUndelivered.bind(this.hooks) }
                  : {}),
              },
            )
          : [];
        // One statement for every taken batch: their messages differ from those changed above.
        const ready = starting.length
          ? await this.startParts(
              tx,
              starting.flatMap((s) => s.batch),
            )
          : new Map<string, MessagePart[]>();
        return { changed, ready };
      },
      { relaxedCommit },
    );
    for (const u of changed) {
      this.hub.publish('sms.updated', u, { staff: true }, now.getTime());
      this.log.debug({ sms: u.id, status: u.status }, 'sms status changed');
    }
    for (const c of changes) c.resolve();
    for (const s of starting) s.resolve(ready);
  }

  private fault(err: unknown): void {
    this.log.error({ err }, 'sms dispatcher fault');
  }
}
