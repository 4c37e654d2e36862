/**
 * The IVR interpreter: a pure state machine. `startCall` and `step` take the call state and an event
 * and return the new state and the commands for call control. They never throw, never read a clock
 * and never strand the caller: every failure ends in an error branch or a hang-up.
 */
import { workingCopy, type CallContext, type CallEnvironment, type CallState } from './call-state.js';
import { isIvrEvent, type IvrCommand, type IvrEvent } from './events.js';
import { DEFAULTS, type Flow, type FlowNode } from './flow.js';
import { LANGUAGES } from './say.js';
import {
  IGNORED,
  collectDigits,
  collectPlaybackDone,
  collectTimeout,
  menuDigit,
  menuPlaybackDone,
  menuTimeout,
  type Handled,
} from './input.js';
import { lookupResult, lookupTimeout } from './lookup.js';
import { enterNode } from './nodes.js';
import {
  MAX_TRANSITIONS,
  cancelTimer,
  end,
  errorBranch,
  fail,
  log,
  play,
  reasonOf,
  renderPrompts,
  setVariable,
  setWait,
  type Next,
  type Turn,
} from './turn.js';

/** The new state and the commands to carry out, in order. */
export interface IvrStep {
  state: CallState;
  commands: IvrCommand[];
}

/** Enters nodes until one waits for an event or the call ends, within the transition cap. */
function run(turn: Turn, first: Next): void {
  let target = first;
  let capped = false;
  for (;;) {
    if (target === undefined) {
      if (turn.state.wait.kind !== 'none') return;
      // A node that neither continued nor waits (an unknown kind in an unchecked flow) must not strand the caller.
      target = fail(turn, 'node_did_not_wait', undefined);
      continue;
    }
    if (turn.hops >= MAX_TRANSITIONS) {
      log(turn, 'transition_cap', { hops: turn.hops });
      turn.hops = 0;
      // One go at the errorNode; if that loops too, hang up.
      target = capped ? end(turn, 'ivr_error', 'ivr_error') : fail(turn, 'transition_cap', undefined);
      capped = true;
      continue;
    }
    turn.hops += 1;
    cancelTimer(turn);
    setWait(turn, { kind: 'none' });
    target = enterNode(turn, target);
  }
}

function currentNode(turn: Turn): FlowNode | undefined {
  const { node, flow } = turn.state;
  return node !== null && Object.hasOwn(flow.nodes, node) ? flow.nodes[node] : undefined;
}

/** Routes an event to the handler for what the call is waiting for. */
function dispatch(turn: Turn, event: IvrEvent, node: FlowNode | undefined): Handled {
  const w = turn.state.wait;
  if (w.kind === 'playback') {
    if (event.type === 'playback_done' && (event.id === undefined || event.id === w.playId)) {
      if (w.then === 'hangup') return end(turn, 'blacklisted', 'blacklisted');
      return node && 'next' in node ? node.next : IGNORED;
    }
    if (event.type === 'digit' && w.bargeIn && node && 'next' in node) {
      turn.state.typeahead += event.digit;
      return node.next;
    }
    return IGNORED;
  }
  if (w.kind === 'menu' && node?.kind === 'menu') {
    if (event.type === 'digit') return menuDigit(turn, node, event.digit);
    if (event.type === 'playback_done') return menuPlaybackDone(turn, node, event.id);
    if (event.type === 'timeout') return menuTimeout(turn, node, event.timerId);
  }
  if (w.kind === 'collect' && node?.kind === 'collect') {
    if (event.type === 'digit') return collectDigits(turn, node, event.digit);
    if (event.type === 'playback_done') return collectPlaybackDone(turn, node, event.id);
    if (event.type === 'timeout') return collectTimeout(turn, node, event.timerId);
  }
  if (w.kind === 'lookup' && node?.kind === 'lookup') {
    if (event.type === 'lookup_result') return lookupResult(turn, node, event);
    if (event.type === 'timeout') return lookupTimeout(turn, node, event.timerId);
  }
  if (w.kind === 'recording' && node?.kind === 'voicemail' && event.type === 'recording_done') {
    if (event.id !== undefined && event.id !== w.recordingId) return IGNORED;
    setVariable(turn, 'voicemail_recording_id', event.recordingId);
    return node.next;
  }
  if (w.kind === 'queue' && event.type === 'queue_result') {
    if (event.ok) return end(turn, 'queued');
    log(turn, 'queue_failed', { reason: event.reason.slice(0, 100) });
    return fail(turn, 'queue_failed', node?.kind === 'queue' ? node.onQueueFailure : undefined);
  }
  if (w.kind === 'transfer' && event.type === 'transfer_result') {
    if (event.ok) return end(turn, 'transferred');
    log(turn, 'transfer_failed', { reason: event.reason.slice(0, 100) });
    return fail(turn, 'transfer_failed', node?.kind === 'transfer' ? node.onError : undefined);
  }
  return IGNORED;
}

function handle(turn: Turn, event: unknown): void {
  if (!isIvrEvent(event)) {
    log(turn, 'event_ignored', { reason: 'malformed' });
    return;
  }
  if (turn.state.wait.kind === 'ended') {
    log(turn, 'event_ignored', { event: event.type, reason: 'call_ended' });
    return;
  }
  if (event.type === 'hangup') {
    log(turn, 'caller_hangup');
    end(turn, 'caller_hangup');
    return;
  }
  const node = currentNode(turn);
  let next: Handled;
  try {
    next = dispatch(turn, event, node);
  } catch (error) {
    next = fail(turn, reasonOf(error), node ? errorBranch(node) : undefined);
  }
  if (next === IGNORED) {
    log(turn, 'event_ignored', { event: event.type, reason: 'unexpected', waiting: turn.state.wait.kind });
    return;
  }
  run(turn, next);
}

/** Last resort for a bug: the caller is hung up cleanly rather than left in silence. */
function fault(state: CallState, now: number): IvrStep {
  const turn: Turn = { state: workingCopy(state), commands: [], now, env: {}, hops: 0 };
  log(turn, 'interpreter_fault');
  end(turn, 'ivr_error', 'ivr_error');
  return { state: turn.state, commands: turn.commands };
}

/**
 * Starts a flow for a new call: applies the blacklist treatment, then runs from `flow.start`.
 * @example
 * const { state, commands } = startCall(flow, { callId: 'c1', caller: '+8613800000000', dnis: '95598', now, language: 'zh' });
 * // commands: [{ type: 'log', event: 'node', … }, { type: 'play', id: 'c1/p1', prompts: ['welcome'], … }]
 */
export function startCall(flow: Flow, context: CallContext): IvrStep {
  // A language the interpreter cannot speak (from an untyped caller) falls back to English.
  const language = LANGUAGES.includes(context.language) ? context.language : 'en';
  const variables: Record<string, string> = {
    ...context.variables,
    'call.id': context.callId,
    'call.caller': context.caller,
    'call.dnis': context.dnis,
    'call.language': language,
  };
  const state: CallState = {
    version: 1,
    flow: structuredClone(flow),
    callId: context.callId,
    caller: context.caller,
    dnis: context.dnis,
    language,
    vip: context.vip === true,
    blacklisted: context.blacklisted === true,
    calendars: structuredClone(context.calendars ?? {}),
    variables,
    sensitive: [],
    node: null,
    wait: { kind: 'none' },
    seq: 0,
    typeahead: '',
    errorRoutes: 0,
    startedAt: context.now,
    updatedAt: context.now,
  };
  const env: CallEnvironment = { allowTransfer: context.allowTransfer };
  const turn: Turn = { state, commands: [], now: context.now, env, hops: 0 };
  try {
    const treatment = flow.blacklist ?? DEFAULTS.blacklist;
    if (state.blacklisted && treatment.action !== 'continue') {
      log(turn, 'blacklisted', { action: treatment.action });
      const prompts = treatment.action === 'play_then_hangup' ? renderPrompts(turn, treatment.prompt) : [];
      if (prompts.length === 0) end(turn, 'blacklisted', 'blacklisted');
      else
        setWait(turn, {
          kind: 'playback',
          playId: play(turn, prompts, false),
          bargeIn: false,
          then: 'hangup',
        });
    } else {
      run(turn, flow.start);
    }
    return { state: turn.state, commands: turn.commands };
  } catch {
    return fault(state, context.now);
  }
}

/**
 * Feeds one event to a call. `env` carries what cannot be persisted (the transfer guard); without it
 * every transfer is refused. Unexpected or malformed events are ignored with a log command.
 * @example
 * ({ state, commands } = step(state, { type: 'digit', digit: '1' }, now, { allowTransfer }));
 */
export function step(state: CallState, event: IvrEvent, now: number, env: CallEnvironment = {}): IvrStep {
  const turn: Turn = { state: workingCopy(state), commands: [], now, env, hops: 0 };
  turn.state.updatedAt = now;
  try {
    handle(turn, event);
    return { state: turn.state, commands: turn.commands };
  } catch {
    return fault(state, now);
  }
}
