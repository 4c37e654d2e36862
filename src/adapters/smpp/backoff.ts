// Reconnect delays: exponential, capped, with jitter so that many binds (or many Hotline nodes)
// dropped by one SMSC restart do not all come back in the same second.

/** Reconnect back-off settings. */
export interface BackoffPolicy {
  /** First delay; default 1 s. */
  initialMs: number;
  /** Cap; default 60 s. */
  maxMs: number;
  /** Growth per failed attempt; default 2. */
  multiplier: number;
  /** Fraction of the delay that is random, 0..1; default 0.3. */
  jitter: number;
}

/** Defaults for BackoffPolicy. */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 60_000, multiplier: 2, jitter: 0.3 };

/** Delay before reconnect attempt `attempt` (0 for the first retry); `random` returns [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** Math.max(0, attempt));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(base * (1 - jitter) + base * jitter * random());
}
