/**
 * System alarms: from what the health checks found now and the alarms already open, decide which
 * notifications to send — one per new problem, a reminder every re-notify interval while it lasts,
 * and an "all clear" when it goes away. Pure: time comes in as milliseconds.
 */

/** What one check found this round. */
export interface CheckResult {
  /** Stable name of the problem, e.g. "smsc", "database.slow", "queue.wait:<id>". */
  key: string;
  ok: boolean;
  /** What is wrong (or fine), for the message and the API. */
  detail: string;
}

/** A problem that is going on. */
export interface OpenAlarm {
  key: string;
  detail: string;
  sinceMs: number;
  lastNotifiedMs: number;
}

/** A message to the on-call list. */
export interface AlarmNotice {
  kind: 'problem' | 'reminder' | 'clear';
  key: string;
  detail: string;
  /** For a clear: since when the problem lasted. */
  sinceMs: number;
}

/**
 * The next open alarms and the notices to send. A check not reported this round leaves its alarm
 * as it was (a check that could not run says nothing about the problem).
 * @example decideAlarms(new Map(), [{ key: 'smsc', ok: false, detail: 'down' }], 0, 60_000).notices[0].kind // 'problem'
 */
export function decideAlarms(
  open: ReadonlyMap<string, OpenAlarm>,
  results: readonly CheckResult[],
  nowMs: number,
  reNotifyMs: number,
): { open: Map<string, OpenAlarm>; notices: AlarmNotice[] } {
  const next = new Map(open);
  const notices: AlarmNotice[] = [];
  for (const r of results) {
    const current = next.get(r.key);
    if (r.ok) {
      if (current) {
        next.delete(r.key);
        notices.push({ kind: 'clear', key: r.key, detail: r.detail, sinceMs: current.sinceMs });
      }
      continue;
    }
    if (!current) {
      next.set(r.key, { key: r.key, detail: r.detail, sinceMs: nowMs, lastNotifiedMs: nowMs });
      notices.push({ kind: 'problem', key: r.key, detail: r.detail, sinceMs: nowMs });
    } else if (reNotifyMs > 0 && nowMs - current.lastNotifiedMs >= reNotifyMs) {
      next.set(r.key, { ...current, detail: r.detail, lastNotifiedMs: nowMs });
      notices.push({ kind: 'reminder', key: r.key, detail: r.detail, sinceMs: current.sinceMs });
    } else {
      next.set(r.key, { ...current, detail: r.detail });
    }
  }
  return { open: next, notices };
}

/** The SMS text of a notice (GSM-7 only, short enough for one or two segments). */
export function alarmText(n: AlarmNotice, nowMs: number, system = 'Hotline'): string {
  const minutes = Math.max(0, Math.round((nowMs - n.sinceMs) / 60_000));
  switch (n.kind) {
    case 'problem':
      return `${system} ALARM ${n.key}: ${n.detail}`;
    case 'reminder':
      return `${system} ALARM still open (${minutes} min) ${n.key}: ${n.detail}`;
    case 'clear':
      return `${system} ALL CLEAR ${n.key} after ${minutes} min: ${n.detail}`;
  }
}
