/**
 * Validation of each node kind's fields: required fields, types, limits (retries 0–10, lengths
 * 1–64, time-outs 1–120 s), menu digits, and the references the node makes to other nodes.
 */
import { isDialable } from './dial-plan.js';
import { FieldReader, describe, isRecord, pointer } from './field-reader.js';
import { NODE_KINDS, type NodeKind } from './flow.js';
import { VARIABLE_NAME, templateProblems } from './templates.js';
import {
  nodeRef,
  predicate,
  prompt,
  regexField,
  saySpec,
  template,
  variableName,
  type NodeRef,
} from './value-rules.js';

const DIGIT = /^[0-9*#]$/;
const HANGUP_CAUSE = /^[a-z][a-z0-9_]{0,31}$/;
const HTTP_URL = /^https?:\/\/[^\s]+$/;
const FIELD_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** The fields each kind may have (besides `kind` and `description`). */
const FIELDS: Record<NodeKind, string[]> = {
  play: ['prompts', 'bargeIn', 'next'],
  menu: ['prompt', 'options', 'timeoutSec', 'maxRetries', 'invalidPrompt', 'timeoutPrompt', 'onFailure'],
  collect: [
    'variable',
    'prompt',
    'minLength',
    'maxLength',
    'terminator',
    'firstDigitTimeoutSec',
    'interDigitTimeoutSec',
    'pattern',
    'maxRetries',
    'invalidPrompt',
    'timeoutPrompt',
    'sensitive',
    'next',
    'onFailure',
  ],
  say: ['as', 'value', 'currency', 'bargeIn', 'next', 'onError'],
  lookup: ['source', 'url', 'method', 'timeoutMs', 'params', 'map', 'next', 'onError'],
  condition: ['branches', 'else', 'onError'],
  set: ['values', 'next', 'onError'],
  queue: [
    'queueId',
    'priority',
    'skills',
    'announcePosition',
    'announceWaitTime',
    'announceEverySeconds',
    'averageHandleSeconds',
    'onQueueFailure',
  ],
  voicemail: ['prompt', 'maxSeconds', 'beep', 'mailbox', 'next'],
  transfer: ['to', 'onError'],
  hangup: ['cause'],
};

function menu(r: FieldReader, refs: NodeRef[]): void {
  prompt(r, 'prompt', true);
  prompt(r, 'invalidPrompt');
  prompt(r, 'timeoutPrompt');
  r.integer('timeoutSec', 1, 120);
  r.integer('maxRetries', 0, 10);
  nodeRef(r, 'onFailure', refs, false);
  const seen = new Map<string, number>();
  r.array('options', 1, 12, true)?.forEach((item, i) => {
    const path = pointer(r.at('options'), i);
    if (!isRecord(item))
      return r.problems.push({ path, message: `must be { "digit", "next" }, not ${describe(item)}` });
    const option = new FieldReader(item, path, r.problems);
    option.only(['digit', 'next']);
    const digit = option.string('digit', {
      required: true,
      pattern: DIGIT,
      patternMessage: 'must be one of 0-9, * or #',
    });
    nodeRef(option, 'next', refs);
    if (digit === undefined) return;
    const first = seen.get(digit);
    if (first !== undefined) option.problem('digit', `digit "${digit}" is already used by option ${first}`);
    else seen.set(digit, i);
  });
}

function collect(r: FieldReader, refs: NodeRef[]): void {
  variableName(r, 'variable', true);
  prompt(r, 'prompt');
  prompt(r, 'invalidPrompt');
  prompt(r, 'timeoutPrompt');
  const min = r.integer('minLength', 1, 64);
  const max = r.integer('maxLength', 1, 64, true);
  if (min !== undefined && max !== undefined && min > max)
    r.problem('minLength', 'must not exceed maxLength');
  r.oneOf('terminator', ['#', '*', 'none']);
  r.integer('firstDigitTimeoutSec', 1, 120);
  r.integer('interDigitTimeoutSec', 1, 120);
  r.integer('maxRetries', 0, 10);
  r.boolean('sensitive');
  if (r.has('pattern')) regexField(r, 'pattern', r.obj.pattern);
  nodeRef(r, 'next', refs);
  nodeRef(r, 'onFailure', refs, false);
}

function lookup(r: FieldReader, refs: NodeRef[]): void {
  const source = r.oneOf('source', ['webhook', 'customer_by_caller'], true);
  r.integer('timeoutMs', 100, 30_000);
  nodeRef(r, 'next', refs);
  nodeRef(r, 'onError', refs, false);
  if (source === 'customer_by_caller') {
    for (const key of ['url', 'method', 'params'])
      if (r.has(key)) r.problem(key, 'only for "source": "webhook"');
  }
  if (source === 'webhook') {
    const url = template(r, 'url', true, 2000);
    if (url !== undefined && !HTTP_URL.test(url)) r.problem('url', 'must be an http:// or https:// URL');
    r.oneOf('method', ['GET', 'POST']);
    const params = r.object('params');
    if (params) for (const key of Object.keys(params.obj)) template(params, key);
  }
  const map = r.object('map', source === 'webhook');
  if (!map) return;
  for (const field of Object.keys(map.obj)) {
    if (!FIELD_PATH.test(field)) map.problem(field, 'field paths are names separated by "."');
    variableName(map, field, true);
  }
}

function condition(r: FieldReader, refs: NodeRef[]): void {
  r.array('branches', 1, 50, true)?.forEach((item, i) => {
    const path = pointer(r.at('branches'), i);
    if (!isRecord(item))
      return r.problems.push({ path, message: `must be { "when", "next" }, not ${describe(item)}` });
    const branch = new FieldReader(item, path, r.problems);
    branch.only(['when', 'next']);
    const when = branch.object('when', true);
    if (when) predicate(when);
    nodeRef(branch, 'next', refs);
  });
  nodeRef(r, 'else', refs);
  nodeRef(r, 'onError', refs, false);
}

function set(r: FieldReader, refs: NodeRef[]): void {
  nodeRef(r, 'next', refs);
  nodeRef(r, 'onError', refs, false);
  const values = r.object('values', true);
  if (!values) return;
  const names = Object.keys(values.obj);
  if (names.length < 1 || names.length > 50) values.problem(null, 'must set 1 to 50 variables');
  for (const name of names) {
    if (!VARIABLE_NAME.test(name)) values.problem(name, 'is not a variable name');
    else if (name.startsWith('call.')) values.problem(name, '"call." variables are set by the interpreter');
    const v = values.obj[name];
    if (typeof v === 'string') template(values, name);
    else if (typeof v !== 'boolean' && (typeof v !== 'number' || !Number.isFinite(v))) {
      values.problem(name, `must be a template string, number or boolean, not ${describe(v)}`);
    }
  }
}

function queue(r: FieldReader, refs: NodeRef[]): void {
  r.string('queueId', { required: true, max: 100 });
  if (typeof r.obj.priority === 'string') template(r, 'priority');
  else r.integer('priority', -1000, 1000);
  r.array('skills', 0, 20)?.forEach((item, i) => {
    const path = pointer(r.at('skills'), i);
    if (typeof item === 'string') {
      const messages =
        item.length === 0 || item.length > 100 ? ['must be 1 to 100 characters'] : templateProblems(item);
      return messages.forEach((message) => r.problems.push({ path, message }));
    }
    if (!isRecord(item))
      return r.problems.push({ path, message: 'must be a skill name or { "skill", "minLevel" }' });
    const skill = new FieldReader(item, path, r.problems);
    skill.only(['skill', 'minLevel']);
    template(skill, 'skill', true, 100);
    skill.integer('minLevel', 1, 10);
  });
  r.boolean('announcePosition');
  r.boolean('announceWaitTime');
  r.integer('announceEverySeconds', 5, 3600);
  r.integer('averageHandleSeconds', 10, 7200);
  nodeRef(r, 'onQueueFailure', refs, false);
}

function transfer(r: FieldReader, refs: NodeRef[]): void {
  const to = template(r, 'to', true, 100);
  if (to !== undefined && !to.includes('{{') && !isDialable(to)) {
    r.problem('to', 'must be 2 to 20 digits with an optional leading + (or a template)');
  }
  nodeRef(r, 'onError', refs, false);
}

/** Checks one node's fields; `refs` collects its references to other nodes. */
export function checkNode(r: FieldReader, refs: NodeRef[]): void {
  if (!r.has('kind')) return r.problem('kind', 'required');
  const kind = NODE_KINDS.find((k) => k === r.obj.kind);
  if (kind === undefined) {
    return r.problem(
      'kind',
      `unknown node kind ${JSON.stringify(r.obj.kind)} (one of ${NODE_KINDS.join(', ')})`,
    );
  }
  r.only(['kind', 'description', ...FIELDS[kind]]);
  r.string('description', { max: 500 });
  switch (kind) {
    case 'play':
      prompt(r, 'prompts', true);
      r.boolean('bargeIn');
      return nodeRef(r, 'next', refs);
    case 'say':
      saySpec(r);
      r.boolean('bargeIn');
      nodeRef(r, 'next', refs);
      return nodeRef(r, 'onError', refs, false);
    case 'voicemail':
      prompt(r, 'prompt');
      r.integer('maxSeconds', 1, 600);
      r.boolean('beep');
      template(r, 'mailbox', false, 100);
      return nodeRef(r, 'next', refs);
    case 'hangup':
      r.string('cause', {
        pattern: HANGUP_CAUSE,
        patternMessage: 'must be lower-case letters, digits and _',
      });
      return;
    case 'menu':
      return menu(r, refs);
    case 'collect':
      return collect(r, refs);
    case 'lookup':
      return lookup(r, refs);
    case 'condition':
      return condition(r, refs);
    case 'set':
      return set(r, refs);
    case 'queue':
      return queue(r, refs);
    case 'transfer':
      return transfer(r, refs);
  }
}
