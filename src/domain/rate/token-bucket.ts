/**
 * A token bucket: `capacity` tokens, refilled continuously at `perMs` tokens per millisecond.
 * Pure state plus `now` passed in; the caller keeps one per key.
 */
export interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Takes one token at `now`. Answers the bucket's new state and, when empty, how many ms until a
 * token is back (0 = allowed).
 * @example take(undefined, 1, 1 / 1000, 0).waitMs // 0
 */
export function take(
  bucket: Bucket | undefined,
  capacity: number,
  perMs: number,
  now: number,
): { bucket: Bucket; waitMs: number } {
  const b = bucket ?? { tokens: capacity, at: now };
  const tokens = Math.min(capacity, b.tokens + Math.max(0, now - b.at) * perMs);
  if (tokens >= 1) return { bucket: { tokens: tokens - 1, at: now }, waitMs: 0 };
  // The epsilon keeps float noise (0.998 tokens → 1.0000001 ms) from adding a millisecond.
  return { bucket: { tokens, at: now }, waitMs: Math.ceil((1 - tokens) / perMs - 1e-9) };
}
