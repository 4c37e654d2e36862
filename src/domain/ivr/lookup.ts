/**
 * `lookup`: ask call control for data (a webhook or the customer by caller number), wait for the
 * LookupResult event, map the answer into variables. An error or a time-out takes `onError`.
 */
import { DEFAULTS, type LookupNode } from './flow.js';
import type { IvrEvent } from './events.js';
import { IGNORED, type Handled } from './input.js';
import { renderTemplate, templateVariables } from './templates.js';
import {
  cancelTimer,
  emit,
  fail,
  log,
  newId,
  setVariable,
  setWait,
  startTimer,
  type Next,
  type Turn,
} from './turn.js';

/** The value at a dotted path ("account.balance") of a JSON answer, if it is a string, number or boolean. */
function pick(data: unknown, path: string): string | undefined {
  let at: unknown = data;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  if (typeof at === 'string') return at;
  if (typeof at === 'number' || typeof at === 'boolean') return String(at);
  return undefined;
}

/** Emits the lookup command and a guard timer slightly longer than the lookup's own time-out. */
export function enterLookup(turn: Turn, node: LookupNode): Next {
  const id = newId(turn, 'l');
  const timeoutMs = node.timeoutMs ?? DEFAULTS.lookupTimeoutMs;
  const vars = turn.state.variables;
  if (node.source === 'webhook') {
    const params: Record<string, string> = {};
    for (const [name, template] of Object.entries(node.params ?? {}))
      params[name] = renderTemplate(template, vars);
    const used = [node.url, ...Object.values(node.params ?? {})].flatMap(templateVariables);
    emit(turn, {
      type: 'lookup',
      id,
      source: 'webhook',
      url: renderTemplate(node.url, vars, encodeURIComponent),
      method: node.method ?? 'GET',
      timeoutMs,
      params,
      sensitive: used.some((v) => turn.state.sensitive.includes(v)),
    });
  } else {
    emit(turn, { type: 'lookup', id, source: 'customer_by_caller', caller: turn.state.caller, timeoutMs });
  }
  // The guard timer makes sure a lost answer cannot strand the caller.
  const timerId = startTimer(turn, Math.ceil(timeoutMs / 1000) + 1);
  setWait(turn, { kind: 'lookup', lookupId: id, timerId });
  return undefined;
}

/** The answer: variables from `map`, then `next`; a failure goes to `onError`. */
export function lookupResult(
  turn: Turn,
  node: LookupNode,
  event: Extract<IvrEvent, { type: 'lookup_result' }>,
): Handled {
  const w = turn.state.wait;
  if (w.kind !== 'lookup' || (event.id !== undefined && event.id !== w.lookupId)) return IGNORED;
  cancelTimer(turn);
  if (!event.ok) {
    log(turn, 'lookup_failed', { error: event.error.slice(0, 100) });
    return fail(turn, 'lookup_failed', node.onError);
  }
  const map = node.map ?? DEFAULTS.customerMap;
  for (const [field, variable] of Object.entries(map)) {
    const value = pick(event.data, field);
    if (value === undefined) log(turn, 'lookup_field_missing', { field });
    else setVariable(turn, variable, value);
  }
  if (node.source === 'customer_by_caller' && pick(event.data, 'vip') === 'true') turn.state.vip = true;
  log(turn, 'lookup_done');
  return node.next;
}

/** The guard timer fired before an answer: `onError`. */
export function lookupTimeout(turn: Turn, node: LookupNode, timerId: string): Handled {
  const w = turn.state.wait;
  if (w.kind !== 'lookup' || w.timerId !== timerId) return IGNORED;
  w.timerId = null;
  log(turn, 'lookup_failed', { error: 'timeout' });
  return fail(turn, 'lookup_timeout', node.onError);
}
