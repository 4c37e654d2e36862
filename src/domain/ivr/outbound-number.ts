/**
 * What may be dialled out through a trunk: the number as typed (by an agent, or into an IVR
 * variable) normalised to E.164 in the center's default country, then held against the dial plan.
 * Only the normalised form ('+' and digits) goes on, so nothing else can reach a Request-URI.
 */
import { tryE164 } from '../customers/phone.js';
import { dialPlanGuard, isDialable } from './dial-plan.js';

/** The verdict on one number. */
export type OutboundVerdict =
  { ok: true; number: string } | { ok: false; reason: 'not_a_number' | 'not_in_dial_plan' };

/** A dial plan: the allow-list patterns and the country for numbers written without "+". */
export interface OutboundDialPlan {
  patterns: readonly string[];
  defaultCountry: string;
}

/**
 * A checker for numbers to dial out (empty patterns: every number refused).
 * @example outboundChecker({ patterns: ['+1NXXNXXXXXX'], defaultCountry: 'US' })('(202) 555-0143')
 *   // { ok: true, number: '+12025550143' }
 */
export function outboundChecker(plan: OutboundDialPlan): (input: string) => OutboundVerdict {
  const allowed = dialPlanGuard(plan.patterns);
  return (input) => {
    const number = tryE164(input, plan.defaultCountry);
    if (number === undefined || !isDialable(number)) return { ok: false, reason: 'not_a_number' };
    return allowed(number) ? { ok: true, number } : { ok: false, reason: 'not_in_dial_plan' };
  };
}
