/**
 * Send windows: the local hours in which a message type may reach a recipient (marketing only by
 * day, alarms any time). Pure: `now` and the time zone come in; DST and windows across midnight
 * are handled by reading the zone's wall clock, never by adding fixed offsets.
 */

/** Local wall-clock hours, "HH:MM" 24-hour; `to` is exclusive. from > to spans midnight. */
export interface SendWindow {
  from: string;
  to: string;
}

const MINUTE = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight of `hhmm` ("09:30" → 570); throws on a malformed value. */
export function windowMinute(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`"${hhmm}" is not a time HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The local minute of the day (0..1439) at `at` in `zone`. */
export function localMinuteOfDay(at: number, zone: string): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  let hour = 0;
  let minute = 0;
  for (const p of f.formatToParts(at)) {
    if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return hour * 60 + minute;
}

function contains(window: SendWindow, minute: number): boolean {
  const from = windowMinute(window.from);
  const to = windowMinute(window.to);
  if (from === to) return true; // a 24-hour window
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** Whether `at` lies inside the window in `zone`; no window means any time. */
export function insideWindow(at: number, window: SendWindow | null, zone: string): boolean {
  return window === null || contains(window, localMinuteOfDay(at, zone));
}

/**
 * The first instant at or after `now` inside the window, in the recipient's zone: `now` itself
 * when it is inside, else the minute the window next opens. On a DST change day the opening is
 * the first real minute at or after the window's start (a skipped 02:30 opens at 03:00).
 * @example nextAllowedInstant(Date.UTC(2026, 0, 5, 21), { from: '09:00', to: '20:00' }, 'UTC') // Date.UTC(2026, 0, 6, 9)
 */
export function nextAllowedInstant(now: number, window: SendWindow | null, zone: string): number {
  if (insideWindow(now, window, zone)) return now;
  const from = windowMinute(window!.from);
  const startOfMinute = Math.floor(now / MINUTE) * MINUTE;
  const current = localMinuteOfDay(startOfMinute, zone);
  // Jump by the wall-clock distance, then correct by whole minutes for any offset change between.
  let t = startOfMinute + ((from - current + 1440) % 1440 || 1440) * MINUTE;
  for (let i = 0; i < 240 && !insideWindow(t, window, zone); i++) t += MINUTE;
  for (let i = 0; i < 240 && t - MINUTE > now && insideWindow(t - MINUTE, window, zone); i++) t -= MINUTE;
  return t;
}
