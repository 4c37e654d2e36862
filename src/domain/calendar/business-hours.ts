/**
 * Business hours: a weekly schedule in a time zone, with holidays. Pure: the instant to check is
 * passed in, and Intl (deterministic for a given instant and zone) converts it to local time.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "HH:MM" local times; `to` is exclusive, and "24:00" means end of day. */
export interface TimeRange {
  from: string;
  to: string;
}

export interface BusinessHours {
  timeZone: string;
  /** Days missing from the map are closed. */
  weekly: Partial<Record<Weekday, TimeRange[]>>;
  /** Local dates "YYYY-MM-DD" that are closed all day. */
  holidays: string[];
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Problems with a schedule as "path: message" strings; empty when valid. */
export function businessHoursProblems(bh: BusinessHours): string[] {
  const problems: string[] = [];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: bh.timeZone });
  } catch {
    problems.push(`timeZone: unknown time zone "${bh.timeZone}"`);
  }
  for (const [day, ranges] of Object.entries(bh.weekly)) {
    if (!WEEKDAYS.includes(day as Weekday)) problems.push(`weekly.${day}: not a weekday (mon..sun)`);
    (ranges ?? []).forEach((r, i) => {
      if (!HHMM.test(r.from) || !HHMM.test(r.to)) problems.push(`weekly.${day}[${i}]: times must be HH:MM`);
      else if (minutes(r.from) >= minutes(r.to))
        problems.push(`weekly.${day}[${i}]: "from" must be before "to"`);
    });
  }
  bh.holidays.forEach((d, i) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) problems.push(`holidays[${i}]: dates must be YYYY-MM-DD`);
  });
  return problems;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(now: number, timeZone: string): { date: string; day: Weekday; minute: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(now)) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    day: (parts.weekday ?? 'Mon').toLowerCase().slice(0, 3) as Weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/**
 * Whether the center is open at `now`.
 * @example isOpen({ timeZone: 'UTC', weekly: { mon: [{ from: '08:00', to: '18:00' }] }, holidays: [] }, Date.UTC(2026, 10, 23, 9)) // true
 */
export function isOpen(bh: BusinessHours, now: number): boolean {
  const local = localParts(now, bh.timeZone);
  if (bh.holidays.includes(local.date)) return false;
  const ranges = bh.weekly[local.day] ?? [];
  return ranges.some((r) => local.minute >= minutes(r.from) && local.minute < minutes(r.to));
}
