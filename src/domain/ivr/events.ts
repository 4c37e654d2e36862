/**
 * The interpreter's protocol with call control: events in (what happened on the call) and commands
 * out (what to do). Both are plain data; docs/ivr.md describes each one.
 */
import type { Language } from './say.js';

/** What call control reports to the interpreter. */
export type IvrEvent =
  | { type: 'digit'; digit: string }
  /** `id` is the play command's id; without it the current playback is meant. */
  | { type: 'playback_done'; id?: string }
  | { type: 'timeout'; timerId: string }
  | { type: 'lookup_result'; id?: string; ok: true; data: unknown }
  | { type: 'lookup_result'; id?: string; ok: false; error: string }
  | { type: 'queue_result'; ok: true }
  | { type: 'queue_result'; ok: false; reason: string }
  | { type: 'transfer_result'; ok: true }
  | { type: 'transfer_result'; ok: false; reason: string }
  | { type: 'recording_done'; recordingId: string; id?: string }
  | { type: 'hangup' };

/** A skill the queued interaction needs, at a minimum level (routing's SkillRequirement). */
export interface SkillRequirementCommand {
  skill: string;
  minLevel: number;
}

/** Detail values on log commands: never digits of a sensitive collect, never phone numbers. */
export type LogDetail = Record<string, string | number | boolean>;

/** What the interpreter asks call control to do, in order. */
export type IvrCommand =
  /** Play prompt ids in order from the language's prompt folder; a new play replaces the current one. */
  | { type: 'play'; id: string; prompts: string[]; bargeIn: boolean; language: Language }
  | { type: 'start_timer'; timerId: string; seconds: number }
  | { type: 'cancel_timer'; timerId: string }
  | {
      type: 'lookup';
      id: string;
      source: 'webhook';
      url: string;
      method: 'GET' | 'POST';
      timeoutMs: number;
      params: Record<string, string>;
      /** The request carries a sensitive variable: do not log it. */
      sensitive: boolean;
    }
  | { type: 'lookup'; id: string; source: 'customer_by_caller'; caller: string; timeoutMs: number }
  | {
      type: 'queue';
      queueId: string;
      /** Includes the VIP boost when `vip`; `basePriority` is the flow's own value. */
      priority: number;
      basePriority: number;
      vip: boolean;
      skills: SkillRequirementCommand[];
      announcePosition: boolean;
      announceWaitTime: boolean;
      /** How often announcements interrupt the hold music (seconds). */
      announceEverySeconds: number;
      /** The handle time the expected wait is estimated with (seconds). */
      averageHandleSeconds: number;
      /** The call's variables without sensitive ones, for the agent's screen pop. */
      variables: Record<string, string>;
      language: Language;
    }
  | {
      type: 'record_voicemail';
      id: string;
      prompts: string[];
      maxSeconds: number;
      beep: boolean;
      mailbox: string | null;
      language: Language;
    }
  | { type: 'transfer'; to: string }
  | { type: 'hangup'; cause: string }
  /** `value` is null for sensitive variables: the interpreter keeps them, nobody else needs them. */
  | { type: 'set_variable'; name: string; value: string | null; sensitive: boolean }
  | { type: 'log'; event: string; node: string | null; detail?: LogDetail };

const DIGIT = /^[0-9*#]$/;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function optionalString(x: unknown): boolean {
  return x === undefined || typeof x === 'string';
}

/** Whether `x` is a well-formed event (events come from adapters, so they are checked). */
export function isIvrEvent(x: unknown): x is IvrEvent {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'digit':
      return typeof x.digit === 'string' && DIGIT.test(x.digit);
    case 'playback_done':
      return optionalString(x.id);
    case 'timeout':
      return typeof x.timerId === 'string';
    case 'lookup_result':
      return optionalString(x.id) && (x.ok === true || (x.ok === false && typeof x.error === 'string'));
    case 'queue_result':
    case 'transfer_result':
      return x.ok === true || (x.ok === false && typeof x.reason === 'string');
    case 'recording_done':
      return typeof x.recordingId === 'string' && optionalString(x.id);
    case 'hangup':
      return true;
    default:
      return false;
  }
}
