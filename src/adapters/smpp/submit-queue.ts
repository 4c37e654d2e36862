// The bind's local FIFO of submits: each leaves when the bind is ready, the window has room and the
// pacer gives it a slot. A submit that waits too long, or is still queued at close, comes back as
// 'retry' — it was never sent, so sending it again elsewhere is safe.
import { SubmitPacer } from './pacer.js';
import type { PduValue } from './pdu.js';
import type { SubmitResult } from './submit.js';

/** A submit handed to the bind for sending. */
export interface QueuedSubmit {
  fields: Record<string, PduValue | undefined>;
  reference: string | undefined;
  resolve: (r: SubmitResult) => void;
}

/** Settings of SubmitQueue. */
export interface SubmitQueueOptions {
  submitsPerSecond: number;
  windowSize: number;
  maxQueued: number;
  maxQueueWaitMs: number;
  now: () => number;
}

/** Window, pacing and waiting room for one bind's submits. */
export class SubmitQueue {
  private readonly jobs: { submit: QueuedSubmit; expiry: NodeJS.Timeout }[] = [];
  private readonly pacer: SubmitPacer;
  private sending = 0;
  private ready = false;
  private timer: NodeJS.Timeout | undefined;

  /** @param send puts one submit on the wire and calls finished() when it is answered or lost. */
  constructor(
    private readonly opts: SubmitQueueOptions,
    private readonly send: (submit: QueuedSubmit) => void,
  ) {
    this.pacer = new SubmitPacer(opts.submitsPerSecond);
  }

  /** Submits waiting. */
  get queued(): number {
    return this.jobs.length;
  }

  /** Submits sent and not yet finished. */
  get inFlight(): number {
    return this.sending;
  }

  /** Remaining pause after a throttled / queue-full answer, in ms. */
  get pausedForMs(): number {
    return Math.max(0, this.pacer.pauseEnd - this.opts.now());
  }

  /** Queues a submit; resolves when the bind answers it or it comes back unsent. */
  add(fields: QueuedSubmit['fields'], reference: string | undefined): Promise<SubmitResult> {
    if (this.jobs.length >= this.opts.maxQueued)
      return Promise.resolve({ status: 'retry', reason: 'local-queue-full' });
    return new Promise((resolve) => {
      const submit: QueuedSubmit = { fields, reference, resolve };
      const expiry = setTimeout(() => this.drop(submit, 'queue-wait'), this.opts.maxQueueWaitMs);
      this.jobs.push({ submit, expiry });
      this.pump();
    });
  }

  /** The bind is bound (true) or not (false); submits leave only while ready. */
  setReady(ready: boolean): void {
    this.ready = ready;
    if (ready) this.pump();
    else this.clearTimer();
  }

  /** One sent submit finished; frees its window place. */
  finished(): void {
    this.sending--;
    this.pump();
  }

  /** Holds all submits for a while (the SMSC said throttled or queue full). */
  pauseFor(ms: number): void {
    this.pacer.pauseUntil(this.opts.now() + ms);
  }

  /** Returns every waiting submit as 'retry' with this reason. */
  dropAll(reason: 'closed'): void {
    for (const { submit } of [...this.jobs]) this.drop(submit, reason);
    this.clearTimer();
  }

  private drop(submit: QueuedSubmit, reason: 'queue-wait' | 'closed'): void {
    const i = this.jobs.findIndex((j) => j.submit === submit);
    if (i < 0) return;
    const [job] = this.jobs.splice(i, 1);
    clearTimeout(job?.expiry);
    submit.resolve({ status: 'retry', reason });
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    while (this.ready && this.jobs.length > 0 && this.sending < this.opts.windowSize) {
      const now = this.opts.now();
      const at = this.pacer.nextAt();
      if (at > now) {
        this.armTimer(at - now);
        return;
      }
      this.pacer.take(now);
      const job = this.jobs.shift()!;
      clearTimeout(job.expiry);
      this.sending++;
      this.send(job.submit);
    }
  }

  private armTimer(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil(delayMs)),
    );
  }
}
