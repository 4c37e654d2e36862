/**
 * A call's position in its flow. CallState is plain JSON (no functions, no class instances), so a
 * call can be persisted after every step and resumed by another process.
 */
import type { BusinessHours } from '../calendar/business-hours.js';
import type { Flow, NodeId } from './flow.js';
import type { Language } from './say.js';

/** What the service knows about a call when the flow starts. */
export interface CallContext {
  callId: string;
  /** The caller's number as the trunk gave it (E.164 preferred). */
  caller: string;
  /** The dialed number. */
  dnis: string;
  now: number;
  vip?: boolean;
  blacklisted?: boolean;
  language: Language;
  /** Initial variables (e.g. from the trunk or a CRM pre-lookup). */
  variables?: Record<string, string>;
  /** The dial-plan guard for transfers; without one every transfer is refused. */
  allowTransfer?: (number: string) => boolean;
  /** Named business hours that `condition` nodes refer to with `calendar`. */
  calendars?: Record<string, BusinessHours>;
}

/** What cannot live in the persisted state; pass it again with every step. */
export interface CallEnvironment {
  allowTransfer?: (number: string) => boolean;
}

/** What the interpreter is waiting for. */
export type Wait =
  /** Transient: between nodes within one step. */
  | { kind: 'none' }
  | { kind: 'playback'; playId: string; bargeIn: boolean; then: 'next' | 'hangup' }
  /** playId set while the prompt plays; timerId set while waiting for a digit after it. */
  | { kind: 'menu'; playId: string | null; timerId: string | null; attempts: number }
  | { kind: 'collect'; playId: string | null; timerId: string | null; digits: string; attempts: number }
  | { kind: 'lookup'; lookupId: string; timerId: string | null }
  | { kind: 'recording'; recordingId: string }
  | { kind: 'queue' }
  | { kind: 'transfer' }
  /** The interpreter is finished: hung up, handed to a queue or transferred. */
  | { kind: 'ended'; reason: string };

/** The whole state of one call in the IVR. */
export interface CallState {
  version: 1;
  flow: Flow;
  callId: string;
  caller: string;
  dnis: string;
  language: Language;
  vip: boolean;
  blacklisted: boolean;
  calendars: Record<string, BusinessHours>;
  /** Includes the built-ins `call.id`, `call.caller`, `call.dnis` and `call.language`. */
  variables: Record<string, string>;
  /** Names of variables filled by sensitive collects: never logged, never sent to queues. */
  sensitive: string[];
  node: NodeId | null;
  wait: Wait;
  /** Counter for play, timer, lookup and recording ids. */
  seq: number;
  /** Digits pressed during a barge-in prompt, for the next menu or collect. */
  typeahead: string;
  /** How often the flow's errorNode was used; bounded so an error path cannot loop. */
  errorRoutes: number;
  startedAt: number;
  updatedAt: number;
}

/** Whether the interpreter is done with the call (no event will make it do anything again). */
export function isFinished(state: CallState): boolean {
  return state.wait.kind === 'ended';
}

/**
 * A copy of the state that a step may change. The flow and calendars are shared: the interpreter
 * never writes to them, and copying a large flow on every digit would be the main cost of a step.
 */
export function workingCopy(state: CallState): CallState {
  return {
    ...state,
    variables: { ...state.variables },
    sensitive: [...state.sensitive],
    wait: { ...state.wait },
  };
}
