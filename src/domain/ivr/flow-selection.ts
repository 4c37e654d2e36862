/**
 * Which flow answers a dialed number (DNIS) at an instant: a binding per number, with overrides by
 * business hours or time of day (a night flow is an override whose schedule covers the night).
 */
import { isOpen, type BusinessHours } from '../calendar/business-hours.js';
import { isHoliday } from './conditions.js';

/** Use `flowId` while the schedule is open, closed, or on one of its holidays. */
export interface FlowOverride {
  when: 'open' | 'closed' | 'holiday';
  hours: BusinessHours;
  flowId: string;
}

/** A dialed number's flow; `dnis: "*"` is the fallback for numbers without their own binding. */
export interface FlowBinding {
  dnis: string;
  flowId: string;
  /** Tried in order; the first that applies wins. */
  overrides?: FlowOverride[];
}

/** Digits and a leading '+' only, so "+86 10 9559-8" and "+86109559 8" are the same number. */
export function normaliseDnis(dnis: string): string {
  return dnis.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
}

function applies(o: FlowOverride, now: number): boolean {
  if (o.when === 'open') return isOpen(o.hours, now);
  if (o.when === 'closed') return !isOpen(o.hours, now);
  return isHoliday(o.hours, now);
}

/**
 * The flow id for a call to `dnis` at `now`, or undefined when no binding (and no "*") matches.
 * @example
 * selectFlow([{ dnis: '+861095598', flowId: 'day', overrides: [{ when: 'closed', hours, flowId: 'night' }] }], '+861095598', now)
 * // 'night' outside `hours`
 */
export function selectFlow(bindings: readonly FlowBinding[], dnis: string, now: number): string | undefined {
  const wanted = normaliseDnis(dnis);
  const binding =
    bindings.find((b) => b.dnis !== '*' && normaliseDnis(b.dnis) === wanted) ??
    bindings.find((b) => b.dnis === '*');
  if (!binding) return undefined;
  return (binding.overrides ?? []).find((o) => applies(o, now))?.flowId ?? binding.flowId;
}
