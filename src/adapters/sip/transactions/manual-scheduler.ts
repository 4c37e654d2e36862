// A Scheduler whose time moves only when a test says so, so that retransmission schedules can be
// checked to the millisecond without waiting for them.
import type { Scheduler } from './timers.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A manual clock for tests.
 * @example const s = new ManualScheduler(); s.at(500, fire); s.advance(500); // fire ran
 */
export class ManualScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  at(at: number, fn: () => void): () => void {
    const entry = { at, seq: this.seq++, fn };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  /** Timers still armed. */
  get armed(): number {
    return this.pending.length;
  }

  /** Moves time forward by ms, firing due timers in time order (timers they arm included). */
  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /** Moves time forward to t, firing due timers in order. */
  advanceTo(t: number): void {
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.pending) {
        if (p.at <= t && (next === undefined || p.at < next.at || (p.at === next.at && p.seq < next.seq))) {
          next = p;
        }
      }
      if (next === undefined) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = Math.max(this.time, t);
  }
}
