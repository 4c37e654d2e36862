/**
 * Daily topic sends: when a schedule ("HH:MM" in a time zone) is due. Pure: time comes in. A send
 * that was missed (the service was down) is still made within the grace period, not later: a
 * morning forecast at night would be worse than none.
 */

/** "HH:MM" (00:00–23:59) → minutes after midnight, or undefined when malformed. */
export function clockMinutes(hhmm: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The local date (YYYY-MM-DD) and minute of the day at `at` in `timeZone`. */
export function localDateMinute(at: number, timeZone: string): { date: string; minute: number } {
  const parts: Record<string, string> = {};
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  for (const p of f.formatToParts(at)) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/**
 * Whether a daily send at `hhmm` local time is due at `now`: the local time is at or up to
 * `graceMinutes` past it, and the last run was not on the same local date.
 * @example dailySendDue({ at: '07:00', timeZone: 'UTC' }, null, Date.UTC(2026, 10, 23, 7, 5)) // true
 */
export function dailySendDue(
  schedule: { at: string; timeZone: string },
  lastRunAt: number | null,
  now: number,
  graceMinutes = 60,
): boolean {
  const target = clockMinutes(schedule.at);
  if (target === undefined) return false;
  const local = localDateMinute(now, schedule.timeZone);
  if (local.minute < target || local.minute >= target + graceMinutes) return false;
  return lastRunAt === null || localDateMinute(lastRunAt, schedule.timeZone).date !== local.date;
}
