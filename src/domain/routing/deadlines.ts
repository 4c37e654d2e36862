/**
 * Every pending deadline (offer timeouts, wrap-up ends, overflow steps, sticky expiry, max wait) in
 * one indexed min-heap ordered by time, then by scheduling order, so ties resolve deterministically
 * and a cancelled deadline leaves nothing behind.
 */
import { KeyedHeap } from './heap.js';
import type { InteractionRecord, Reservation, Timer, TimerKind } from './model.js';

export class Deadlines {
  private seq = 0;
  private readonly heap = new KeyedHeap<Timer>((a, b) => a.seq < b.seq, {
    get: (t) => t.index,
    set: (t, i) => {
      t.index = i;
    },
  });

  /** Schedules a deadline. */
  schedule(
    at: number,
    kind: TimerKind,
    interaction: InteractionRecord,
    reservation: Reservation | null = null,
  ): Timer {
    const timer: Timer = { at, seq: this.seq++, kind, interaction, reservation, index: -1 };
    this.heap.push(timer, at, timer.seq);
    return timer;
  }

  /** Cancels a deadline if any; returns null to clear the caller's field in one statement. */
  cancel(timer: Timer | null): null {
    if (timer) this.heap.remove(timer);
    return null;
  }

  /** The earliest pending deadline. */
  next(): number | null {
    return this.heap.peek()?.at ?? null;
  }

  /** Removes and returns the earliest deadline if it is due by `now`. */
  takeDue(now: number): Timer | undefined {
    const top = this.heap.peek();
    if (top === undefined || top.at > now) return undefined;
    this.heap.pop();
    return top;
  }

  /** Number of pending deadlines. */
  get size(): number {
    return this.heap.size;
  }
}
