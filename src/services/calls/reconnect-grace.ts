/**
 * Grace periods for agents' browser phones that lost their connection mid-call: each call gets a
 * deadline, all of them share one Timer (armed for the earliest), and a call whose browser comes
 * back before its deadline is taken off. What happens at the deadline is the caller's business.
 */
import type { Clock, Timer } from '../ports.js';

/** Deadlines by call (interaction id) over one Timer; see the file comment. */
export class GraceTimers {
  private readonly deadlines = new Map<string, { at: number; fn: () => void }>();

  constructor(
    private readonly clock: Clock,
    private readonly timer: Timer,
    /** How long a lost browser may take to come back. */
    readonly graceMs: number,
  ) {}

  /** Starts the grace period of `key` (a running one is kept: the first loss counts). */
  start(key: string, fn: () => void): number {
    const running = this.deadlines.get(key);
    if (running !== undefined) return running.at;
    const at = this.clock.now() + this.graceMs;
    this.deadlines.set(key, { at, fn });
    this.arm();
    return at;
  }

  /** The browser came back (or the call ended): no deadline any more. True if one was running. */
  cancel(key: string): boolean {
    if (!this.deadlines.delete(key)) return false;
    this.arm();
    return true;
  }

  /** Whether `key` is within its grace period now. */
  running(key: string): boolean {
    return this.deadlines.has(key);
  }

  /** Drops every deadline without running it (shutdown). */
  clear(): void {
    this.deadlines.clear();
    this.timer.clear();
  }

  private arm(): void {
    let next: number | null = null;
    for (const d of this.deadlines.values()) if (next === null || d.at < next) next = d.at;
    if (next === null) {
      this.timer.clear();
      return;
    }
    this.timer.set(next, () => this.fire());
  }

  private fire(): void {
    const now = this.clock.now();
    const due = [...this.deadlines].filter(([, d]) => d.at <= now);
    for (const [key] of due) this.deadlines.delete(key);
    this.arm();
    for (const [, d] of due) d.fn();
  }
}
