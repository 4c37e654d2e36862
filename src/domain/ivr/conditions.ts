/** Evaluation of `condition` node predicates against the facts of a call at an instant. */
import {
  WEEKDAYS,
  isOpen,
  type BusinessHours,
  type TimeRange,
  type Weekday,
} from '../calendar/business-hours.js';
import type { CalendarRef, Predicate } from './flow.js';

/** What a predicate may look at. */
export interface CallFacts {
  now: number;
  vip: boolean;
  blacklisted: boolean;
  caller: string;
  variables: Readonly<Record<string, string>>;
  calendars: Readonly<Record<string, BusinessHours>>;
}

/** A predicate refers to a calendar the call context does not have. */
export class UnknownCalendar extends Error {
  constructor(readonly calendar: string) {
    super(`calendar "${calendar}" is not in the call context`);
    this.name = 'UnknownCalendar';
  }
}

const ALL_DAY: Partial<Record<Weekday, TimeRange[]>> = Object.fromEntries(
  WEEKDAYS.map((d) => [d, [{ from: '00:00', to: '24:00' }]]),
);

function hoursOf(ref: CalendarRef, facts: CallFacts): BusinessHours {
  if ('hours' in ref) return ref.hours;
  const hours = Object.hasOwn(facts.calendars, ref.calendar) ? facts.calendars[ref.calendar] : undefined;
  if (!hours) throw new UnknownCalendar(ref.calendar);
  return hours;
}

/** Whether the local date at `now` is one of the calendar's holidays. */
export function isHoliday(hours: BusinessHours, now: number): boolean {
  // A schedule open all week is closed at `now` exactly when the local date is a holiday.
  return !isOpen({ timeZone: hours.timeZone, weekly: ALL_DAY, holidays: hours.holidays }, now);
}

function compare(p: Extract<Predicate, { type: 'variable' }>, facts: CallFacts): boolean {
  const actual = Object.hasOwn(facts.variables, p.name) ? facts.variables[p.name] : undefined;
  // A variable that is not set makes every comparison false (documented in docs/ivr.md).
  if (actual === undefined) return false;
  const expected = p.value;
  switch (p.op) {
    case 'exists':
      return actual !== '';
    case 'eq':
      return actual === String(expected);
    case 'ne':
      return actual !== String(expected);
    case 'lt':
    case 'gt': {
      const a = Number(actual);
      const b = Number(expected);
      if (actual.trim() === '' || !Number.isFinite(a) || !Number.isFinite(b)) return false;
      return p.op === 'lt' ? a < b : a > b;
    }
    case 'in':
      return Array.isArray(expected) && expected.includes(actual);
    case 'matches':
      return typeof expected === 'string' && new RegExp(`^(?:${expected})$`).test(actual);
  }
}

/**
 * Whether `p` holds for the call. Throws UnknownCalendar for a calendar name the context lacks.
 * @example holds({ type: 'caller_prefix', prefixes: ['+86'] }, facts) // true for +8613800000000
 */
export function holds(p: Predicate, facts: CallFacts): boolean {
  switch (p.type) {
    case 'open':
      return isOpen(hoursOf(p, facts), facts.now);
    case 'closed':
      return !isOpen(hoursOf(p, facts), facts.now);
    case 'holiday':
      return isHoliday(hoursOf(p, facts), facts.now);
    case 'vip':
      return facts.vip;
    case 'blacklisted':
      return facts.blacklisted;
    case 'variable':
      return compare(p, facts);
    case 'caller_prefix':
      return p.prefixes.some((prefix) => facts.caller.startsWith(prefix));
  }
}
