/**
 * A scheduler that runs callbacks at absolute times. Media pacing schedules frame n at
 * start + n·20 ms so timer lateness never accumulates; tests drive a ManualScheduler instead.
 */

/** A pending callback that can be cancelled. */
export interface ScheduledTask {
  cancel(): void;
}

/** Runs callbacks at absolute times (ms on the scheduler's own clock). */
export interface Scheduler {
  now(): number;
  at(timeMs: number, fn: () => void): ScheduledTask;
}

/** A Scheduler on setTimeout and performance.now(), unref'd so it never keeps the process alive. */
export function createSystemScheduler(): Scheduler {
  return {
    now: () => performance.now(),
    at(timeMs, fn) {
      const handle = setTimeout(fn, Math.max(0, timeMs - performance.now()));
      handle.unref();
      return { cancel: () => clearTimeout(handle) };
    },
  };
}

/** A Scheduler whose time moves only when `advanceTo` is called; tasks run in time order. */
export class ManualScheduler implements Scheduler {
  private time: number;
  private readonly tasks: { at: number; seq: number; fn: () => void; live: boolean }[] = [];
  private seq = 0;

  constructor(start = 0) {
    this.time = start;
  }

  /** The current fake time. */
  now(): number {
    return this.time;
  }

  /** Schedules `fn` at `timeMs` (a past time runs on the next advance). */
  at(timeMs: number, fn: () => void): ScheduledTask {
    const task = { at: timeMs, seq: this.seq++, fn, live: true };
    this.tasks.push(task);
    return { cancel: () => void (task.live = false) };
  }

  /** Number of live pending tasks. */
  pending(): number {
    return this.tasks.filter((t) => t.live).length;
  }

  /** Moves time forward to `timeMs`, running every due task at its own scheduled time. */
  advanceTo(timeMs: number): void {
    for (;;) {
      let next: (typeof this.tasks)[number] | undefined;
      for (const t of this.tasks) {
        if (t.live && t.at <= timeMs && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)))
          next = t;
      }
      if (!next) break;
      next.live = false;
      this.tasks.splice(this.tasks.indexOf(next), 1);
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = Math.max(this.time, timeMs);
    for (let i = this.tasks.length - 1; i >= 0; i--) if (!this.tasks[i]!.live) this.tasks.splice(i, 1);
  }
}
