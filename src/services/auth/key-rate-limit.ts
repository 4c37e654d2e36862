/**
 * Per-API-key request limits: a token bucket per key and per limit (second, minute), in memory.
 * A restart or a second process starts with full buckets — a limit protects this process, it is
 * not an exact quota across a cluster.
 */
import { take, type Bucket } from '../../domain/rate/token-bucket.js';
import { DomainError } from '../../domain/errors.js';

export interface KeyLimits {
  perSecond: number | null;
  perMinute: number | null;
}

export class ApiKeyRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes one request for `keyId`; throws API_KEY_RATE_LIMITED (with retryAfterSec) when over a limit. */
  admit(keyId: string, limits: KeyLimits, now: number): void {
    const checks: [string, number, number][] = [];
    if (limits.perSecond) checks.push([`${keyId}:s`, limits.perSecond, limits.perSecond / 1000]);
    if (limits.perMinute) checks.push([`${keyId}:m`, limits.perMinute, limits.perMinute / 60_000]);
    // Look at every bucket before taking from any, so a refused request costs nothing.
    let wait = 0;
    const next: [string, Bucket][] = [];
    for (const [k, capacity, perMs] of checks) {
      const r = take(this.buckets.get(k), capacity, perMs, now);
      wait = Math.max(wait, r.waitMs);
      next.push([k, r.bucket]);
    }
    if (wait > 0) {
      const retryAfterSec = Math.max(1, Math.ceil(wait / 1000));
      throw new DomainError(
        'API_KEY_RATE_LIMITED',
        `Too many requests for this API key; retry in ${retryAfterSec} s.`,
        {
          retryAfterSec,
        },
      );
    }
    for (const [k, b] of next) this.buckets.set(k, b);
    if (this.buckets.size > 100_000) this.buckets.clear();
  }
}
