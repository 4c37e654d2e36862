/**
 * SMS prices and refunds in integer minor units (cents): never floats. A price applies per
 * segment to destinations whose E.164 digits start with its prefix; the longest prefix wins, and a
 * price naming a route beats one without when the message goes by that route.
 */
import type { SegmentStatus } from './lifecycle.js';

/** One price-list entry. */
export interface SmsPrice {
  /** Leading digits of the E.164 number without "+" ("1", "44", "4477"); "" matches everything. */
  prefix: string;
  /** Route name, or null for any route. */
  route: string | null;
  /** Per segment, in minor units. */
  perSegment: number;
}

/**
 * The price for `e164` (optionally sent by `route`): longest matching prefix, a route-specific
 * entry before a general one of the same length; undefined when nothing matches.
 * @example priceFor([{ prefix: '1', route: null, perSegment: 2 }], '+12025550143')?.perSegment // 2
 */
export function priceFor(
  prices: readonly SmsPrice[],
  e164: string,
  route: string | null = null,
): SmsPrice | undefined {
  const digits = e164.replace(/^\+/, '');
  let best: SmsPrice | undefined;
  for (const p of prices) {
    if (!digits.startsWith(p.prefix)) continue;
    if (p.route !== null && p.route !== route) continue;
    if (
      !best ||
      p.prefix.length > best.prefix.length ||
      (p.prefix.length === best.prefix.length && p.route !== null && best.route === null)
    )
      best = p;
  }
  return best;
}

/** segments × price, checked to stay an exact integer. */
export function costOf(segments: number, perSegment: number): number {
  const cost = segments * perSegment;
  if (!Number.isSafeInteger(cost) || cost < 0) throw new RangeError(`cost out of range: ${cost}`);
  return cost;
}

/**
 * How many of a message's segments never reached the SMSC — the ones refunded when the message
 * ends failed, expired, rejected or cancelled. A segment reached the SMSC when the SMSC accepted it
 * (it has an SMSC id), when a receipt settled it, or when it may have (submitting, uncertain).
 * Segments never planned (the message never left the outbox) count as not reached.
 * @example refundableSegments(3, [{ status: 'failed', smscMessageId: null }]) // 3
 */
export function refundableSegments(
  total: number,
  parts: readonly { status: SegmentStatus; smscMessageId: string | null }[],
): number {
  const reached = parts.filter(
    (p) =>
      p.smscMessageId !== null || !(p.status === 'queued' || p.status === 'failed' || p.status === 'expired'),
  ).length;
  return Math.max(0, total - reached);
}
