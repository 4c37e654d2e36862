/**
 * Which SMS routes (SMSC connections) may carry a message, best first. Pure: the caller passes
 * the routes in configuration order and skips the ones that are down.
 */
import type { SmsType } from './lifecycle.js';

/** The selection rules of one route. Empty lists match everything. */
export interface RouteRule {
  name: string;
  /** E.164 prefixes with '+' ("+44", "+1202"); the longest matching one ranks the route. */
  prefixes: readonly string[];
  /** Message types this route carries. */
  types: readonly SmsType[];
}

/** Length of the longest prefix of `rule` matching `destination`; -1 when none does. */
function matchLength(rule: RouteRule, destination: string): number {
  if (rule.prefixes.length === 0) return 0;
  let best = -1;
  for (const p of rule.prefixes) {
    if (destination.startsWith(p) && p.length > best) best = p.length;
  }
  return best;
}

/**
 * Names of the routes allowed to carry a message to `destination` (E.164 with '+') of `type`,
 * ordered by their longest matching prefix (a catch-all route ranks last), then by configuration
 * order. The first is the chosen route; the rest are its failover candidates.
 * @example selectRoutes([{ name: 'uk', prefixes: ['+44'], types: [] }, { name: 'any', prefixes: [], types: [] }], '+447700900123', 'otp') // ['uk', 'any']
 */
export function selectRoutes(rules: readonly RouteRule[], destination: string, type: SmsType): string[] {
  return rules
    .map((rule, order) => ({ rule, order, length: matchLength(rule, destination) }))
    .filter((c) => c.length >= 0 && (c.rule.types.length === 0 || c.rule.types.includes(type)))
    .sort((a, b) => b.length - a.length || a.order - b.order)
    .map((c) => c.rule.name);
}
