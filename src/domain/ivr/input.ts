/**
 * Caller input: `menu` (one digit picks a branch) and `collect` (a digit string into a variable).
 * Prompts are always barge-in; wrong digits and time-outs share one retry counter per visit.
 */
import type { LogDetail } from './events.js';
import { DEFAULTS, type CollectNode, type MenuNode, type Prompt } from './flow.js';
import {
  cancelTimer,
  fail,
  log,
  play,
  renderPrompts,
  setVariable,
  setWait,
  startTimer,
  type Next,
  type Turn,
} from './turn.js';

/** An event that did not fit the current wait (stale timer, old playback): logged and dropped. */
export const IGNORED: unique symbol = Symbol('ignored');
/** What an event handler answers: where to continue, or that the event did not fit. */
export type Handled = Next | typeof IGNORED;

function menuWait(turn: Turn) {
  const w = turn.state.wait;
  if (w.kind !== 'menu') throw new Error('not waiting in a menu');
  return w;
}

function collectWait(turn: Turn) {
  const w = turn.state.wait;
  if (w.kind !== 'collect') throw new Error('not waiting in a collect');
  return w;
}

/** Plays `prefix` (e.g. "invalid choice") then the menu prompt; with nothing to play, starts the timer. */
function promptMenu(turn: Turn, node: MenuNode, prefix: Prompt | undefined): Next {
  const w = menuWait(turn);
  const prompts = [...renderPrompts(turn, prefix), ...renderPrompts(turn, node.prompt)];
  if (prompts.length > 0) w.playId = play(turn, prompts, true);
  else w.timerId = startTimer(turn, node.timeoutSec ?? DEFAULTS.menuTimeoutSec);
  return undefined;
}

function retryMenu(turn: Turn, node: MenuNode, prefix: Prompt | undefined): Next {
  const w = menuWait(turn);
  w.attempts += 1;
  turn.state.typeahead = '';
  if (w.attempts > (node.maxRetries ?? DEFAULTS.maxRetries)) return fail(turn, 'max_retries', node.onFailure);
  return promptMenu(turn, node, prefix);
}

/** Enters a menu; a type-ahead digit is taken as the choice without playing the prompt. */
export function enterMenu(turn: Turn, node: MenuNode): Next {
  setWait(turn, { kind: 'menu', playId: null, timerId: null, attempts: 0 });
  const digit = turn.state.typeahead[0];
  if (digit !== undefined) {
    turn.state.typeahead = turn.state.typeahead.slice(1);
    return menuDigit(turn, node, digit);
  }
  return promptMenu(turn, node, undefined);
}

/** A digit in a menu: its option's node, or a retry. */
export function menuDigit(turn: Turn, node: MenuNode, digit: string): Next {
  const w = menuWait(turn);
  cancelTimer(turn);
  w.playId = null;
  const target = node.options.find((o) => o.digit === digit)?.next;
  if (target !== undefined) {
    log(turn, 'menu_choice', { digit });
    return target;
  }
  log(turn, 'menu_invalid', { digit });
  return retryMenu(turn, node, node.invalidPrompt);
}

/** The menu prompt ended: start waiting for a digit. */
export function menuPlaybackDone(turn: Turn, node: MenuNode, id: string | undefined): Handled {
  const w = menuWait(turn);
  if (w.playId === null || (id !== undefined && id !== w.playId)) return IGNORED;
  w.playId = null;
  w.timerId = startTimer(turn, node.timeoutSec ?? DEFAULTS.menuTimeoutSec);
  return undefined;
}

/** No digit in time: a retry with the time-out prompt. */
export function menuTimeout(turn: Turn, node: MenuNode, timerId: string): Handled {
  const w = menuWait(turn);
  if (w.timerId !== timerId) return IGNORED;
  w.timerId = null;
  log(turn, 'menu_timeout');
  return retryMenu(turn, node, node.timeoutPrompt);
}

function promptCollect(turn: Turn, node: CollectNode, prefix: Prompt | undefined): Next {
  const w = collectWait(turn);
  const prompts = [...renderPrompts(turn, prefix), ...renderPrompts(turn, node.prompt)];
  if (prompts.length > 0) w.playId = play(turn, prompts, true);
  else w.timerId = startTimer(turn, node.firstDigitTimeoutSec ?? DEFAULTS.firstDigitTimeoutSec);
  return undefined;
}

function retryCollect(turn: Turn, node: CollectNode, prefix: Prompt | undefined): Next {
  const w = collectWait(turn);
  w.attempts += 1;
  w.digits = '';
  turn.state.typeahead = '';
  if (w.attempts > (node.maxRetries ?? DEFAULTS.maxRetries)) return fail(turn, 'max_retries', node.onFailure);
  return promptCollect(turn, node, prefix);
}

function accepts(node: CollectNode, digits: string): boolean {
  if (digits.length < (node.minLength ?? DEFAULTS.minLength) || digits.length > node.maxLength) return false;
  return node.pattern === undefined || new RegExp(`^(?:${node.pattern})$`).test(digits);
}

/** Entry complete (terminator, full length or inter-digit time-out): store it or retry. */
function finishCollect(turn: Turn, node: CollectNode): Next {
  const w = collectWait(turn);
  const digits = w.digits;
  const sensitive = node.sensitive === true;
  // Sensitive digits (card numbers, PINs) never reach a log command; their length is enough.
  const detail: LogDetail = sensitive ? { length: digits.length } : { length: digits.length, digits };
  if (!accepts(node, digits)) {
    log(turn, 'collect_invalid', detail);
    return retryCollect(turn, node, node.invalidPrompt);
  }
  setVariable(turn, node.variable, digits, sensitive);
  // Digits typed past a sensitive entry may be more of the card number: drop them, never log them.
  if (sensitive) turn.state.typeahead = '';
  log(turn, 'collect_done', detail);
  return node.next;
}

/** Digits for a collect (one event, or the type-ahead); left-over digits stay as type-ahead. */
export function collectDigits(turn: Turn, node: CollectNode, digits: string): Next {
  const w = collectWait(turn);
  cancelTimer(turn);
  w.playId = null;
  const terminator = node.terminator ?? DEFAULTS.terminator;
  for (let i = 0; i < digits.length; i++) {
    const d = digits[i] ?? '';
    if (d !== terminator) w.digits += d;
    if (d === terminator || w.digits.length >= node.maxLength) {
      turn.state.typeahead = digits.slice(i + 1);
      return finishCollect(turn, node);
    }
  }
  w.timerId = startTimer(turn, node.interDigitTimeoutSec ?? DEFAULTS.interDigitTimeoutSec);
  return undefined;
}

/** Enters a collect; type-ahead digits count as the start of the entry. */
export function enterCollect(turn: Turn, node: CollectNode): Next {
  setWait(turn, { kind: 'collect', playId: null, timerId: null, digits: '', attempts: 0 });
  const typeahead = turn.state.typeahead;
  if (typeahead !== '') {
    turn.state.typeahead = '';
    return collectDigits(turn, node, typeahead);
  }
  return promptCollect(turn, node, undefined);
}

/** The collect prompt ended: start the first-digit timer. */
export function collectPlaybackDone(turn: Turn, node: CollectNode, id: string | undefined): Handled {
  const w = collectWait(turn);
  if (w.playId === null || (id !== undefined && id !== w.playId)) return IGNORED;
  w.playId = null;
  w.timerId = startTimer(turn, node.firstDigitTimeoutSec ?? DEFAULTS.firstDigitTimeoutSec);
  return undefined;
}

/** First-digit time-out retries; inter-digit time-out ends the entry with the digits so far. */
export function collectTimeout(turn: Turn, node: CollectNode, timerId: string): Handled {
  const w = collectWait(turn);
  if (w.timerId !== timerId) return IGNORED;
  w.timerId = null;
  if (w.digits !== '') return finishCollect(turn, node);
  log(turn, 'collect_timeout');
  return retryCollect(turn, node, node.timeoutPrompt);
}
