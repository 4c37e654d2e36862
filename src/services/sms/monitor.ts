// Counters of the SMS platform over the last minute, per route, and the most recent failures.
// In memory: the monitor answers "what is happening now", the outbox tables answer "what happened".
import type { Clock } from '../ports.js';

/** What is counted: messages taken into the outbox, and segments by how their submit or receipt ended. */
export const SMS_COUNTERS = [
  'accepted',
  'submitted',
  'delivered',
  'failed',
  'retried',
  'uncertain',
  'failover',
] as const;
export type SmsCounter = (typeof SMS_COUNTERS)[number];

/** One failed segment, for the monitor's list of recent failures. */
export interface SmsFailure {
  at: Date;
  route: string | null;
  /** messageId:seq of the segment, when known. */
  reference: string | null;
  /** SMPP command status, receipt err, or Kannel's answer status. */
  errorCode: number | null;
  reason: string;
}

type Counts = Record<SmsCounter, number>;
const zero = (): Counts => ({
  accepted: 0,
  submitted: 0,
  delivered: 0,
  failed: 0,
  retried: 0,
  uncertain: 0,
  failover: 0,
});

const WINDOW_SECONDS = 60;

/** Per-second buckets over one minute, overall and per route; the last failures. */
export class SmsMonitor {
  private readonly buckets = new Map<number, Map<string, Counts>>();
  private readonly failures: SmsFailure[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly keepFailures = 50,
  ) {}

  /** Counts one event, for `route` and overall. */
  count(counter: SmsCounter, route: string | null = null): void {
    const second = Math.floor(this.clock.now() / 1000);
    let bucket = this.buckets.get(second);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(second, bucket);
      for (const s of this.buckets.keys()) if (s <= second - WINDOW_SECONDS) this.buckets.delete(s);
    }
    for (const key of route === null ? [''] : ['', route]) {
      const c = bucket.get(key) ?? zero();
      c[counter]++;
      bucket.set(key, c);
    }
  }

  /** Counts a failed segment and keeps it in the recent list. */
  failure(f: Omit<SmsFailure, 'at'>): void {
    this.count('failed', f.route);
    this.failures.push({ ...f, at: new Date(this.clock.now()) });
    if (this.failures.length > this.keepFailures) this.failures.shift();
  }

  /** Totals of the last minute: overall under '' and per route name. */
  lastMinute(): Map<string, Counts> {
    const from = Math.floor(this.clock.now() / 1000) - WINDOW_SECONDS;
    const totals = new Map<string, Counts>();
    for (const [second, bucket] of this.buckets) {
      if (second <= from) continue;
      for (const [key, c] of bucket) {
        const t = totals.get(key) ?? zero();
        for (const k of SMS_COUNTERS) t[k] += c[k];
        totals.set(key, t);
      }
    }
    return totals;
  }

  /** The most recent failures, newest first. */
  recentFailures(limit: number): SmsFailure[] {
    return this.failures.slice(-limit).reverse();
  }
}

/** Per-second rates of a minute's totals, rounded to 0.01. */
export function perSecond(c: Counts | undefined): Counts {
  const r = zero();
  if (!c) return r;
  for (const k of SMS_COUNTERS) r[k] = Math.round((c[k] / WINDOW_SECONDS) * 100) / 100;
  return r;
}

/** failed / (submitted + failed) of a minute's totals; null without traffic. */
export function errorRate(c: Counts | undefined): number | null {
  if (!c) return null;
  const attempts = c.submitted + c.failed;
  return attempts === 0 ? null : Math.round((c.failed / attempts) * 1000) / 1000;
}

export type { Counts as SmsCounts };
