// Time for the transaction layer (RFC 3261 17 and Table 4). The state machines never read a clock:
// they take `now` and answer with actions that arm timers at absolute times. A Scheduler turns those
// into real timeouts (unref'd, so a pending retransmission never keeps the process alive) or, in
// tests, into a manual clock.
import type { SipMessage } from '../message.js';

/** RFC 3261 base intervals, in milliseconds; all configurable. */
export interface TimerSettings {
  /** RTT estimate: first retransmission interval. Default 500. */
  t1: number;
  /** Cap on non-INVITE and final-response retransmission intervals. Default 4000. */
  t2: number;
  /** Longest a message stays in the network. Default 5000. */
  t4: number;
  /** Timer D: how long a client INVITE keeps absorbing final responses over UDP. Default 32000. */
  d: number;
  /** Delay before an INVITE server transaction sends 100 Trying on its own. Default 200. */
  trying: number;
}

/** The RFC 3261 defaults. */
export const DEFAULT_TIMERS: Readonly<TimerSettings> = { t1: 500, t2: 4000, t4: 5000, d: 32000, trying: 200 };

/** RFC 3261 timer letters, L and M from RFC 6026, and the 100 Trying delay. */
export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'Trying';

/** Why a transaction ended without the outcome its user waited for. */
export type TransactionFailure = 'timeout' | 'transport';

/** What a state machine asks its driver to do, in order. */
export type TransactionAction =
  /** Hand the message to the transport, towards the transaction's peer. */
  | { kind: 'send'; message: SipMessage }
  /** Arm the timer (replacing an armed one of the same name) to fire at `at`. */
  | { kind: 'arm'; timer: TimerName; at: number }
  | { kind: 'disarm'; timer: TimerName }
  /** Pass the message up to the transaction user. */
  | { kind: 'deliver'; message: SipMessage }
  /** Tell the transaction user the transaction failed (Timer B, F or H; a transport error). */
  | { kind: 'fail'; reason: TransactionFailure }
  /** The transaction is over: forget it and disarm whatever is left. */
  | { kind: 'terminate' };

/** A clock with one-shot timers. */
export interface Scheduler {
  now(): number;
  /** Calls fn at time `at` (or as soon as possible once it has passed); returns a canceller. */
  at(at: number, fn: () => void): () => void;
}

/** The process clock; timers are unref'd. */
export const realScheduler: Scheduler = {
  now: () => performance.now(),
  at(at, fn) {
    const handle = setTimeout(fn, Math.max(0, at - performance.now()));
    handle.unref();
    return () => clearTimeout(handle);
  },
};

/** Fills in defaults for the settings not given. */
export function timerSettings(given: Partial<TimerSettings> = {}): TimerSettings {
  const out = { ...DEFAULT_TIMERS, ...given };
  for (const [name, value] of Object.entries(out)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`timer ${name} must be >= 0 ms`);
  }
  return out;
}
