import type { Clock, Timer } from '../../src/services/ports.js';

/** A clock that moves only when told to, with the one Timer the routing service arms. */
export class ManualClock implements Clock, Timer {
  private t: number;
  private pending: { at: number; fn: () => void } | null = null;
  private readonly extra: { pending: { at: number; fn: () => void } | null }[] = [];

  constructor(start = Date.UTC(2026, 10, 23, 9, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  set(atMs: number, fn: () => void): void {
    this.pending = { at: atMs, fn };
  }

  clear(): void {
    this.pending = null;
  }

  /** The time the timer is armed for, or null. */
  armedAt(): number | null {
    return this.pending?.at ?? null;
  }

  /** Another Timer on this clock (e.g. the SMS dispatcher's), fired by advance() too. */
  timer(): Timer & { armedAt(): number | null } {
    const slot: { pending: { at: number; fn: () => void } | null } = { pending: null };
    this.extra.push(slot);
    return {
      set: (at, fn) => {
        // Armed for a moment already passed (time moved while it was being computed): fire now,
        // as a system timer would.
        if (at <= this.t) {
          slot.pending = null;
          setImmediate(fn);
        } else slot.pending = { at, fn };
      },
      clear: () => {
        slot.pending = null;
      },
      armedAt: () => slot.pending?.at ?? null,
    };
  }

  /** Moves time forward, firing the timers whose moment passes. */
  advance(ms: number): void {
    this.t += ms;
    const p = this.pending;
    if (p && p.at <= this.t) {
      this.pending = null;
      p.fn();
    }
    for (const slot of this.extra) {
      const q = slot.pending;
      if (q && q.at <= this.t) {
        slot.pending = null;
        q.fn();
      }
    }
  }
}
