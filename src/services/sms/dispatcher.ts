// Takes queued messages by priority, plans their parts and submits them through the SmsGateway;
// applies submit results and receipts. Every state change of a segment and its message goes
// through one SerialRunner, so a receipt that overtakes its own submit answer can never be
// overwritten by it.
import type { Clock, Logger, SmsGateway, SmsReceipt, SmsSubmitResult, Store, Timer } from '../ports.js';
import type { SmsMessageRecord, SmsSegmentRecord } from '../records.js';
import type { EventHub } from '../events/event-hub.js';
import { SerialRunner } from '../routing/serial.js';
import { DomainError } from '../../domain/errors.js';
import {
  encodeGsm7,
  isFinalMessage,
  messageStatusOf,
  planMessage,
  segmentStatusForReceipt,
  type MessagePart,
  type SegmentStatus,
} from '../../domain/sms/index.js';

export interface DispatcherOptions {
  /** Messages being submitted at once; the bind's window and pacing do the fine-grained limiting. */
  concurrency: number;
  /** Wait before a message refused with 'retry' is tried again. */
  retryDelayMs: number;
}

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
  /** Messages a cancel is working on: not taken meanwhile. */
  private readonly claimed = new Set<string>();
  private readonly work = new Set<Promise<void>>();
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
    gateway.onReceipt((r) => void this.serial.run(() => this.onReceipt(r)).catch((err) => this.fault(err)));
  }

  /** Settles what a crash left half-done, then starts sending. */
  async start(): Promise<{ uncertain: number }> {
    const ids = await this.store.sms.messagesWithSegment('submitting');
    for (const id of ids) {
      await this.serial.run(async () => {
        for (const s of await this.store.sms.segments(id)) {
          if (s.status !== 'submitting') continue;
          // It may have reached the SMSC: sending it again could deliver it twice.
          await this.setSegment(s.messageId, s.seq, { status: 'uncertain' }, 'uncertain', {
            seq: s.seq,
            reason: 'interrupted while submitting',
          });
        }
      });
    }
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
      const now = new Date(this.clock.now());
      const due = await this.store.sms.due(now, room, [...this.inFlight, ...this.claimed]);
      for (const m of due) this.begin(m);
      if (due.length === room) this.again = true;
    } while (this.again && !this.stopped);
    const next = await this.store.sms.nextRetryAt();
    if (next && !this.stopped) this.timer.set(next.getTime(), () => this.wake());
  }

  private begin(m: SmsMessageRecord): void {
    this.inFlight.add(m.id);
    const job = this.dispatch(m)
      .catch((err) => this.fault(err))
      .finally(() => {
        this.inFlight.delete(m.id);
        this.work.delete(job);
        this.wake();
      });
    this.work.add(job);
  }

  private async dispatch(m: SmsMessageRecord): Promise<void> {
    if (this.claimed.has(m.id)) return;
    if (this.hooks.gate && !(await this.hooks.gate(m.id))) return;
    let concatRef = m.concatRef;
    if (m.segments > 1 && concatRef === null) {
      concatRef = this.nextReference;
      this.nextReference = (this.nextReference + 1) % 256;
      await this.store.sms.update(m.id, { concatRef });
    }
    const plan = planMessage(m.body, {
      encoding: m.encoding,
      ...(concatRef === null ? {} : { reference: { bits: 8 as const, value: concatRef } }),
    });
    const at = new Date(this.clock.now());
    await this.store.sms.insertSegments(
      plan.parts.map((p) => ({
        messageId: m.id,
        seq: p.sequence,
        status: 'queued' as const,
        smscMessageKey: null,
        smscMessageId: null,
        errorCode: null,
        submittedAt: null,
        doneAt: null,
      })),
    );
    const stored = new Map((await this.store.sms.segments(m.id)).map((s) => [s.seq, s]));
    const waiting = plan.parts.filter((p) => stored.get(p.sequence)?.status === 'queued');
    await Promise.all(waiting.map((p) => this.submitPart(m, p, at)));
  }

  private async submitPart(m: SmsMessageRecord, part: MessagePart, at: Date): Promise<void> {
    // Written before the submit: after a crash this part is known to be possibly sent.
    const marked = await this.serial.run(() =>
      this.store.sms.updateSegment(m.id, part.sequence, { status: 'submitting', submittedAt: at }, [
        'queued',
      ]),
    );
    if (!marked) return;
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
    await this.serial.run(() => this.onSubmitted(m, part.sequence, result));
  }

  private async onSubmitted(m: SmsMessageRecord, seq: number, result: SmsSubmitResult): Promise<void> {
    const now = new Date(this.clock.now());
    const route = result.route ?? null;
    switch (result.status) {
      case 'accepted':
        // The ids are kept even when a receipt already settled the segment (it overtook this answer).
        await this.store.sms.updateSegment(m.id, seq, {
          smscMessageId: result.smscMessageId,
          smscMessageKey: result.smscMessageKey,
          route,
        });
        await this.setSegment(m.id, seq, { status: 'submitted' }, 'submitted', { seq, route }, [
          'submitting',
        ]);
        return;
      case 'retry': {
        const changed = await this.store.sms.updateSegment(m.id, seq, { status: 'queued' }, ['submitting']);
        if (!changed) return;
        const retryAt = new Date(now.getTime() + this.options.retryDelayMs);
        await this.store.sms.update(m.id, { nextAttemptAt: retryAt, updatedAt: now });
        await this.store.sms.appendEvents([
          { messageId: m.id, at: now, type: 'retry', details: { seq, reason: result.reason } },
        ]);
        return;
      }
      case 'failed':
        await this.setSegment(
          m.id,
          seq,
          { status: 'failed', errorCode: result.errorCode, doneAt: now, route },
          'failed',
          { seq, errorCode: result.errorCode, route },
          ['submitting'],
        );
        return;
      case 'timeout':
        await this.setSegment(
          m.id,
          seq,
          { status: 'uncertain', route },
          'uncertain',
          { seq, reason: result.reason, route },
          ['submitting'],
        );
        return;
    }
  }

  private async onReceipt(r: SmsReceipt): Promise<void> {
    const status = r.final ? segmentStatusForReceipt(r.state) : undefined;
    let segment: Pick<SmsSegmentRecord, 'messageId' | 'seq'> | undefined;
    const [messageId, seqText] = r.reference?.split(':') ?? [];
    if (messageId && seqText) segment = { messageId, seq: Number(seqText) };
    else if (r.smscMessageKey) segment = await this.store.sms.segmentBySmscKey(r.smscMessageKey);
    if (!segment) {
      this.log.warn({ smscMessageKey: r.smscMessageKey }, 'sms receipt for an unknown message');
      return;
    }
    if (!status) return;
    const now = new Date(this.clock.now());
    const errorCode = status === 'delivered' ? null : r.errorCode;
    // A repeated receipt finds the segment final already and changes nothing.
    await this.setSegment(
      segment.messageId,
      segment.seq,
      { status, errorCode, doneAt: now },
      `receipt:${r.state}`,
      { seq: segment.seq, errorCode },
      ['queued', 'submitting', 'submitted', 'uncertain'],
    );
  }

  /** Changes one segment (if `onlyIf` allows), logs the event, rolls the message up, publishes. */
  private async setSegment(
    messageId: string,
    seq: number,
    patch: Partial<SmsSegmentRecord>,
    eventType: string,
    details: Record<string, unknown>,
    onlyIf: SegmentStatus[] = ['submitting'],
  ): Promise<void> {
    const now = new Date(this.clock.now());
    const updated = await this.store.transaction(async (tx) => {
      if (!(await tx.sms.updateSegment(messageId, seq, patch, onlyIf))) return undefined;
      await tx.sms.appendEvents([{ messageId, at: now, type: eventType, details }]);
      const message = await tx.sms.byId(messageId);
      if (!message) return undefined;
      const segments = await tx.sms.segments(messageId);
      const status = messageStatusOf(segments.map((s) => s.status));
      if (status === message.status || isFinalMessage(message.status)) return undefined;
      const change = {
        status,
        updatedAt: now,
        errorCode: segments.find((s) => s.errorCode !== null)?.errorCode ?? null,
        ...(status === 'submitted' && !message.submittedAt ? { submittedAt: now } : {}),
        ...(isFinalMessage(status) || status === 'uncertain' ? { doneAt: now } : {}),
      };
      await tx.sms.update(messageId, change);
      await tx.sms.appendEvents([{ messageId, at: now, type: status, details: null }]);
      if (isFinalMessage(status) && status !== 'delivered' && this.hooks.onUndelivered) {
        const amount = await this.hooks.onUndelivered(tx, messageId);
        if (amount)
          await tx.sms.appendEvents([{ messageId, at: now, type: 'refunded', details: { amount } }]);
      }
      return { ...message, ...change };
    });
    if (updated) {
      this.hub.publish(
        'sms.updated',
        { id: messageId, status: updated.status, errorCode: updated.errorCode, segments: updated.segments },
        { staff: true },
        now.getTime(),
      );
      this.log.debug({ sms: messageId, status: updated.status }, 'sms status changed');
    }
  }

  private fault(err: unknown): void {
    this.log.error({ err }, 'sms dispatcher fault');
  }
}
