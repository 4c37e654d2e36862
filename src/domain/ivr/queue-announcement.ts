/**
 * What a queued caller hears between stretches of hold music: "you are caller number N" and "your
 * expected wait is about M minutes", as prompt names (say fragments carry the `say/` prefix).
 */
import { SAY_PREFIX, sayFragments, type Language } from './say.js';

/** Which parts to say, and the figures they are built from. */
export interface QueueAnnouncement {
  /** 1 for the next caller to be served. */
  position: number;
  /** Agents logged in for the queue (any state but logged out). */
  staffedAgents: number;
  averageHandleSeconds: number;
  sayPosition: boolean;
  sayWaitTime: boolean;
  language: Language;
}

/**
 * Expected wait in whole minutes (at least 1): the callers ahead and this one, shared among the
 * staffed agents (at least one, so an empty floor still gives an estimate), each taking the
 * average handle time.
 * @example expectedWaitMinutes(3, 2, 120) // 3
 */
export function expectedWaitMinutes(
  position: number,
  staffedAgents: number,
  averageHandleSeconds: number,
): number {
  const seconds = (position * averageHandleSeconds) / Math.max(1, staffedAgents);
  return Math.max(1, Math.ceil(seconds / 60));
}

/**
 * The prompts of one announcement, empty when neither part is wanted.
 * @example announcementPrompts({ position: 2, sayPosition: true, sayWaitTime: false, language: 'en', ... })
 *   // ['queue-position', 'say/2', 'queue-position-end']
 */
export function announcementPrompts(a: QueueAnnouncement): string[] {
  const say = (n: number) => sayFragments('number', n, a.language).map((f) => SAY_PREFIX + f);
  const out: string[] = [];
  if (a.sayPosition) out.push('queue-position', ...say(a.position), 'queue-position-end');
  if (a.sayWaitTime) {
    const minutes = expectedWaitMinutes(a.position, a.staffedAgents, a.averageHandleSeconds);
    out.push('queue-wait', ...say(minutes), minutes === 1 ? 'queue-wait-minute' : 'queue-wait-minutes');
  }
  return out;
}
