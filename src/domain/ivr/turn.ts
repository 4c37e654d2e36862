/**
 * One interpreter step in progress: the working copy of the state, the commands produced so far and
 * the helpers every node uses (ids, timers, prompts, error routing, ending the call).
 */
import type { CallEnvironment, CallState, Wait } from './call-state.js';
import type { IvrCommand, LogDetail } from './events.js';
import { promptItems, type FlowNode, type NodeId, type Prompt } from './flow.js';
import { SAY_PREFIX, Unspeakable, sayFragments } from './say.js';
import { MissingVariable, renderTemplate } from './templates.js';

/** Node entries allowed between two events before the flow is declared stuck. */
export const MAX_TRANSITIONS = 100;
/** Times the flow's errorNode may be used in one call before the interpreter just hangs up. */
export const MAX_ERROR_ROUTES = 3;

/** The step being computed. */
export interface Turn {
  /** A private copy: mutated freely, returned at the end of the step. */
  state: CallState;
  commands: IvrCommand[];
  now: number;
  env: CallEnvironment;
  /** Node entries in this step. */
  hops: number;
}

/** Where to continue: a node to enter, or undefined to stop and wait (or because the call ended). */
export type Next = NodeId | undefined;

/** Adds a command to the step's output. */
export function emit(turn: Turn, command: IvrCommand): void {
  turn.commands.push(command);
}

/** Adds a log command at the current node. */
export function log(turn: Turn, event: string, detail?: LogDetail): void {
  emit(turn, { type: 'log', event, node: turn.state.node, ...(detail ? { detail } : {}) });
}

/** A new id unique within the call (and across calls, since it starts with the call id). */
export function newId(turn: Turn, letter: 'p' | 't' | 'l' | 'r'): string {
  turn.state.seq += 1;
  return `${turn.state.callId}/${letter}${turn.state.seq}`;
}

/** Emits start_timer and returns the timer id. */
export function startTimer(turn: Turn, seconds: number): string {
  const timerId = newId(turn, 't');
  emit(turn, { type: 'start_timer', timerId, seconds });
  return timerId;
}

/** Cancels the timer of the current wait, if it has one. */
export function cancelTimer(turn: Turn): void {
  const wait = turn.state.wait;
  if ('timerId' in wait && wait.timerId !== null) {
    emit(turn, { type: 'cancel_timer', timerId: wait.timerId });
    wait.timerId = null;
  }
}

/** Records what the call now waits for. */
export function setWait(turn: Turn, wait: Wait): void {
  turn.state.wait = wait;
}

/** Prompt ids for a prompt field: recorded ids as they are, `say` items as `say/…` fragments. */
export function renderPrompts(turn: Turn, prompt: Prompt | undefined): string[] {
  const out: string[] = [];
  for (const item of promptItems(prompt)) {
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    const { as, value, currency } = item.say;
    const text = typeof value === 'number' ? value : renderTemplate(value, turn.state.variables);
    out.push(...sayFragments(as, text, turn.state.language, currency).map((f) => SAY_PREFIX + f));
  }
  return out;
}

/** Emits a play command and returns its id. */
export function play(turn: Turn, prompts: string[], bargeIn: boolean): string {
  const id = newId(turn, 'p');
  emit(turn, { type: 'play', id, prompts, bargeIn, language: turn.state.language });
  return id;
}

/** Sets a variable and tells call control (without the value when it is sensitive). */
export function setVariable(turn: Turn, name: string, value: string, sensitive = false): void {
  turn.state.variables[name] = value;
  const list = turn.state.sensitive;
  if (sensitive && !list.includes(name)) list.push(name);
  if (!sensitive && list.includes(name)) list.splice(list.indexOf(name), 1);
  emit(turn, { type: 'set_variable', name, value: sensitive ? null : value, sensitive });
}

/** The interpreter is done: cancels a pending timer, optionally hangs up. */
export function end(turn: Turn, reason: string, hangupCause?: string): Next {
  cancelTimer(turn);
  if (hangupCause !== undefined) emit(turn, { type: 'hangup', cause: hangupCause });
  setWait(turn, { kind: 'ended', reason });
  return undefined;
}

/**
 * A runtime failure: take `branch` if the node has one, else the flow's errorNode (a bounded number
 * of times), else hang up with cause 'ivr_error' — the caller is never left in silence.
 */
export function fail(turn: Turn, reason: string, branch: NodeId | undefined): Next {
  cancelTimer(turn);
  log(turn, 'node_failed', { reason });
  if (branch !== undefined) return branch;
  const errorNode = turn.state.flow.errorNode;
  if (errorNode !== undefined && turn.state.errorRoutes < MAX_ERROR_ROUTES) {
    turn.state.errorRoutes += 1;
    return errorNode;
  }
  return end(turn, 'ivr_error', 'ivr_error');
}

/** The branch a node takes when something goes wrong while running it. */
export function errorBranch(node: FlowNode): NodeId | undefined {
  switch (node.kind) {
    case 'menu':
    case 'collect':
      return node.onFailure;
    case 'queue':
      return node.onQueueFailure;
    case 'say':
    case 'lookup':
    case 'condition':
    case 'set':
    case 'transfer':
      return node.onError;
    default:
      return undefined;
  }
}

/** A log-safe reason for a caught error: never the value itself (it may be a card number). */
export function reasonOf(error: unknown): string {
  if (error instanceof MissingVariable) return `missing_variable:${error.variable}`;
  if (error instanceof Unspeakable) return 'unspeakable_value';
  return 'runtime_error';
}
