// Per-bind submit pacing on a monotonic clock. Slots are scheduled at exact 1/rate intervals from
// the previous slot, not from when the timer happened to fire, so timer lateness does not lower
// the rate; a slot missed by more than the catch-up allowance restarts the schedule from now, so
// an idle bind never saves up a burst. Pure: times are passed in.

/** Slot scheduler for one bind. */
export class SubmitPacer {
  private nextSlot = -Infinity;
  private pausedUntil = -Infinity;
  private intervalMs: number;

  /** @param ratePerSecond submits per second; Infinity disables pacing. */
  constructor(ratePerSecond: number) {
    this.intervalMs = SubmitPacer.interval(ratePerSecond);
  }

  private static interval(rate: number): number {
    if (!(rate > 0)) throw new RangeError('submit rate must be a positive number');
    return 1000 / rate;
  }

  /** Changes the rate from the next slot on. */
  setRate(ratePerSecond: number): void {
    this.intervalMs = SubmitPacer.interval(ratePerSecond);
  }

  /** Earliest time the next submit may go (pause included). */
  nextAt(): number {
    return Math.max(this.nextSlot, this.pausedUntil);
  }

  /** End of the current pause, or -Infinity. */
  get pauseEnd(): number {
    return this.pausedUntil;
  }

  /** Holds every submit until the given time (throttled / queue-full answers). */
  pauseUntil(atMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, atMs);
  }

  /** Takes the slot at `nowMs` (call only when nowMs >= nextAt()). */
  take(nowMs: number): void {
    // Timers fire late by a millisecond or so; keeping the schedule makes up for it. Later than
    // one interval (and at least 20 ms) means the bind was idle or paused: start afresh.
    const catchUp = Math.max(this.intervalMs, 20);
    const base = nowMs - this.nextSlot <= catchUp ? this.nextSlot : nowMs;
    this.nextSlot = base + this.intervalMs;
  }
}
