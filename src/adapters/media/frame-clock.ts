/**
 * One 20 ms clock shared by every call on a scheduler, instead of a timer per call: at 500 bridged
 * calls a timer each is 25,000 timer callbacks a second, about a seventh of the media thread's CPU
 * (bench:media profile); one clock is 50. Ticks fall at start + n·20 ms, so lateness never
 * accumulates; a late tick runs at once and the next keeps its own time.
 */
import type { ScheduledTask, Scheduler } from './scheduler.js';

const FRAME_MS = 20;

/** The shared clock of one scheduler. */
export class FrameClock {
  private static readonly clocks = new WeakMap<Scheduler, FrameClock>();
  private readonly members = new Set<() => void>();
  private task: ScheduledTask | null = null;
  private next = 0;

  private constructor(private readonly scheduler: Scheduler) {}

  /** The clock of `scheduler`, made on first use. */
  static of(scheduler: Scheduler): FrameClock {
    let clock = FrameClock.clocks.get(scheduler);
    if (clock === undefined) {
      clock = new FrameClock(scheduler);
      FrameClock.clocks.set(scheduler, clock);
    }
    return clock;
  }

  /** Calls `tick` every 20 ms from the next tick on; returns what stops it. */
  join(tick: () => void): () => void {
    this.members.add(tick);
    if (this.task === null) {
      this.next = this.scheduler.now() + FRAME_MS;
      this.arm();
    }
    return () => {
      this.members.delete(tick);
      if (this.members.size === 0) {
        this.task?.cancel();
        this.task = null;
      }
    };
  }

  private arm(): void {
    this.task = this.scheduler.at(this.next, () => {
      let failure: Error | null = null;
      // A member that leaves during the tick is skipped; one that joins runs from this tick.
      for (const tick of this.members) {
        try {
          tick();
        } catch (err) {
          failure ??=
            err instanceof Error ? err : new Error(`frame clock member failed: ${JSON.stringify(err)}`);
        }
      }
      this.next += FRAME_MS;
      if (this.members.size > 0) this.arm();
      else this.task = null;
      // One member's error does not stop the others' clock; it still surfaces, as from its own timer.
      if (failure !== null) throw failure;
    });
  }
}
