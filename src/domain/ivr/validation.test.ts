import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { assertFlow, validateFlow, type Problem } from './validation.js';

/** A minimal valid flow with `nodes` merged over it. */
function doc(
  nodes: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: 1,
    name: 'test',
    start: 'hello',
    nodes: { hello: { kind: 'play', prompts: ['welcome'], next: 'bye' }, bye: { kind: 'hangup' }, ...nodes },
    ...extra,
  };
}

function problems(d: unknown): Problem[] {
  const v = validateFlow(d);
  assert.equal(v.ok, false, 'the flow is rejected');
  return v.ok ? [] : v.problems;
}

/** The one problem at `path`, whose message contains `words`. */
function hasProblem(d: unknown, path: string, words: string): void {
  const found = problems(d).filter((p) => p.path === path);
  assert.equal(found.length, 1, `one problem at ${path}: ${JSON.stringify(problems(d))}`);
  assert.match(found[0]!.message, new RegExp(words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
}

const menu = (over: Record<string, unknown> = {}) => ({
  kind: 'menu',
  prompt: 'main_menu',
  options: [
    { digit: '1', next: 'hello' },
    { digit: '2', next: 'bye' },
  ],
  ...over,
});

test('a minimal flow is valid and comes back as a copy', () => {
  const d = doc();
  const v = validateFlow(d);
  assert.ok(v.ok);
  assert.deepEqual(v.flow, d);
  assert.notEqual(v.flow, d);
  assert.deepEqual(v.warnings, []);
});

test('the document and its top-level fields', () => {
  assert.deepEqual(problems('flow'), [{ path: '', message: 'must be an object, not a string' }]);
  const withFunction = doc({
    c: {
      kind: 'condition',
      branches: [
        {
          when: {
            type: 'open',
            hours: {
              timeZone: 'UTC',
              weekly: { mon: [{ from: '08:00', to: '09:00', x: () => 1 }] },
              holidays: [],
            },
          },
          next: 'bye',
        },
      ],
      else: 'bye',
    },
  });
  assert.deepEqual(problems(withFunction), [{ path: '', message: 'must be plain JSON data' }]);
  hasProblem(doc({}, { version: 2 }), '/version', 'must be 1');
  hasProblem({ ...doc(), name: undefined }, '/name', 'required');
  hasProblem(doc({}, { name: 42 }), '/name', 'must be a string, not a number');
  hasProblem(doc({}, { nodes: [] }), '/nodes', 'must be an object, not an array');
  hasProblem(doc({}, { owner: 'me' }), '/owner', 'unknown field');
  hasProblem(doc({}, { vipPriorityBoost: 500 }), '/vipPriorityBoost', 'from 0 to 100');
  hasProblem(doc({}, { blacklist: { action: 'play_then_hangup' } }), '/blacklist/prompt', 'required');
  hasProblem(doc({}, { blacklist: { action: 'shout' } }), '/blacklist/action', 'one of hangup');
});

test('references to missing nodes, with the exact path', () => {
  hasProblem(doc({}, { start: 'nowhere' }), '/start', 'no node "nowhere"');
  hasProblem(doc({}, { errorNode: 'oops' }), '/errorNode', 'no node "oops"');
  const d = doc({
    main_menu: menu({
      options: [
        { digit: '1', next: 'hello' },
        { digit: '2', next: 'billing' },
      ],
    }),
  });
  hasProblem(d, '/nodes/main_menu/options/1/next', 'no node "billing"');
  hasProblem(
    doc({ hello: { kind: 'play', prompts: 'x', next: 'gone' } }),
    '/nodes/hello/next',
    'no node "gone"',
  );
});

test('unknown node kinds, missing fields, wrong types and unknown fields', () => {
  hasProblem(doc({ x: { kind: 'dance', next: 'bye' } }), '/nodes/x/kind', 'unknown node kind "dance"');
  hasProblem(doc({ x: { next: 'bye' } }), '/nodes/x/kind', 'required');
  hasProblem(doc({ x: 'play' }), '/nodes/x', 'must be a node object, not a string');
  hasProblem(doc({ hello: { kind: 'play', prompts: 'welcome' } }), '/nodes/hello/next', 'required');
  hasProblem(
    doc({ hello: { kind: 'play', prompts: 'w', next: 'bye', bargeIn: 'yes' } }),
    '/nodes/hello/bargeIn',
    'true or false',
  );
  hasProblem(doc({ m: menu({ timeout: 5 }) }), '/nodes/m/timeout', 'unknown field');
  hasProblem(doc({ 'bad id!': { kind: 'hangup' } }), '/nodes/bad id!', 'node ids');
  hasProblem(doc({ h: { kind: 'hangup', cause: 'Busy Signal' } }), '/nodes/h/cause', 'lower-case');
});

test('menu digits: only 0-9, * and #, each at most once', () => {
  hasProblem(
    doc({ m: menu({ options: [{ digit: 'A', next: 'bye' }] }) }),
    '/nodes/m/options/0/digit',
    '0-9, * or #',
  );
  hasProblem(
    doc({ m: menu({ options: [{ digit: '12', next: 'bye' }] }) }),
    '/nodes/m/options/0/digit',
    '0-9',
  );
  const dup = menu({
    options: [
      { digit: '1', next: 'hello' },
      { digit: '#', next: 'bye' },
      { digit: '1', next: 'bye' },
    ],
  });
  hasProblem(doc({ m: dup }), '/nodes/m/options/2/digit', 'already used by option 0');
  hasProblem(doc({ m: menu({ options: [] }) }), '/nodes/m/options', '1 to 12 items');
});

test('limits: retries 0..10, lengths 1..64, time-outs 1..120 s', () => {
  hasProblem(doc({ m: menu({ maxRetries: 11 }) }), '/nodes/m/maxRetries', 'from 0 to 10');
  hasProblem(doc({ m: menu({ timeoutSec: 0 }) }), '/nodes/m/timeoutSec', 'from 1 to 120');
  hasProblem(doc({ m: menu({ timeoutSec: 121 }) }), '/nodes/m/timeoutSec', 'from 1 to 120');
  hasProblem(doc({ m: menu({ timeoutSec: 2.5 }) }), '/nodes/m/timeoutSec', 'integer');
  const collect = (over: Record<string, unknown>) => ({
    kind: 'collect',
    variable: 'v',
    maxLength: 4,
    next: 'bye',
    ...over,
  });
  hasProblem(doc({ c: collect({ maxLength: 65 }) }), '/nodes/c/maxLength', 'from 1 to 64');
  hasProblem(doc({ c: collect({ minLength: 0 }) }), '/nodes/c/minLength', 'from 1 to 64');
  hasProblem(doc({ c: collect({ minLength: 5 }) }), '/nodes/c/minLength', 'must not exceed maxLength');
  hasProblem(doc({ c: collect({ interDigitTimeoutSec: 200 }) }), '/nodes/c/interDigitTimeoutSec', '1 to 120');
  hasProblem(doc({ c: collect({ terminator: '0' }) }), '/nodes/c/terminator', 'one of #, *, none');
  hasProblem(doc({ c: collect({ pattern: '[0-9' }) }), '/nodes/c/pattern', 'not a valid regular expression');
  hasProblem(doc({ c: collect({ variable: '9lives' }) }), '/nodes/c/variable', 'variable name');
  hasProblem(doc({ c: collect({ variable: 'call.caller' }) }), '/nodes/c/variable', 'set by the interpreter');
  hasProblem(doc({ c: collect({ maxLength: undefined }) }), '/nodes/c/maxLength', 'required');
});

test('prompt ids and say items', () => {
  hasProblem(
    doc({ hello: { kind: 'play', prompts: 'Welcome Message', next: 'bye' } }),
    '/nodes/hello/prompts',
    'prompt id',
  );
  hasProblem(
    doc({ hello: { kind: 'play', prompts: ['ok', 'x y'], next: 'bye' } }),
    '/nodes/hello/prompts/1',
    'prompt id',
  );
  hasProblem(
    doc({ hello: { kind: 'play', prompts: ['say/1'], next: 'bye' } }),
    '/nodes/hello/prompts/0',
    'reserved',
  );
  hasProblem(
    doc({ hello: { kind: 'play', prompts: [], next: 'bye' } }),
    '/nodes/hello/prompts',
    '1 to 20 items',
  );
  const sayItem = (say: Record<string, unknown>) =>
    doc({ hello: { kind: 'play', prompts: [{ say }], next: 'bye' } });
  hasProblem(sayItem({ as: 'currency', value: '1.50' }), '/nodes/hello/prompts/0/say/currency', 'required');
  hasProblem(
    sayItem({ as: 'date', value: '2026-02-30' }),
    '/nodes/hello/prompts/0/say/value',
    'cannot be said as date',
  );
  hasProblem(
    sayItem({ as: 'number', value: '{{ 1x }}' }),
    '/nodes/hello/prompts/0/say/value',
    'not a valid variable name',
  );
  hasProblem(sayItem({ as: 'number', value: 'a {{b' }), '/nodes/hello/prompts/0/say/value', 'unbalanced');
  hasProblem(sayItem({ as: 'shout', value: '1' }), '/nodes/hello/prompts/0/say/as', 'one of digits');
  hasProblem(
    doc({ s: { kind: 'say', as: 'number', value: true, next: 'bye' } }),
    '/nodes/s/value',
    'template string or a number',
  );
  assert.ok(validateFlow(sayItem({ as: 'number', value: '{{amount}}' })).ok);
});

test('unreachable nodes are warnings, not problems', () => {
  const v = validateFlow(doc({ orphan: { kind: 'hangup' } }));
  assert.ok(v.ok);
  assert.deepEqual(v.warnings, [{ path: '/nodes/orphan', message: 'not reachable from start or errorNode' }]);
  assert.deepEqual(validateFlow(doc({ oops: { kind: 'hangup' } }, { errorNode: 'oops' })).warnings, []);
});

test('a loop without a menu or collect is a problem; a loop through a menu is fine', () => {
  const spin = doc({
    hello: { kind: 'play', prompts: 'w', next: 'a' },
    a: { kind: 'set', values: { x: '1' }, next: 'b' },
    b: { kind: 'condition', branches: [{ when: { type: 'vip' }, next: 'bye' }], else: 'hello' },
  });
  hasProblem(spin, '/nodes/hello', 'nodes hello, a, b form a loop without a menu or collect');
  hasProblem(doc({ hello: { kind: 'set', values: { x: 1 }, next: 'hello' } }), '/nodes/hello', 'loop');
  const queueRetry = doc({
    hello: { kind: 'queue', queueId: 'q', onQueueFailure: 'wait' },
    wait: { kind: 'play', prompts: 'please_hold', next: 'hello' },
  });
  hasProblem(queueRetry, '/nodes/hello', 'loop');
  const viaMenu = doc({
    hello: { kind: 'play', prompts: 'w', next: 'm' },
    m: menu({ options: [{ digit: '1', next: 'hello' }], onFailure: 'bye' }),
  });
  assert.ok(validateFlow(viaMenu).ok);
});

test('condition predicates', () => {
  const cond = (when: unknown) =>
    doc({ hello: { kind: 'condition', branches: [{ when, next: 'bye' }], else: 'bye' } });
  const at = '/nodes/hello/branches/0/when';
  hasProblem(cond({ type: 'weather' }), `${at}/type`, 'must be one of open');
  hasProblem(cond({ type: 'open' }), at, 'exactly one of "hours" or "calendar"');
  hasProblem(cond({ type: 'open', calendar: 'main', hours: {} }), at, 'exactly one');
  hasProblem(
    cond({ type: 'closed', hours: { timeZone: 'Mars/Olympus', weekly: {}, holidays: [] } }),
    `${at}/hours`,
    'unknown time zone',
  );
  hasProblem(
    cond({
      type: 'open',
      hours: { timeZone: 'UTC', weekly: { mon: [{ from: '18:00', to: '08:00' }] }, holidays: [] },
    }),
    `${at}/hours`,
    '"from" must be before "to"',
  );
  hasProblem(cond({ type: 'variable', name: 'x', op: 'in', value: 'a' }), `${at}/value`, 'must be an array');
  hasProblem(
    cond({ type: 'variable', name: 'x', op: 'matches', value: '(' }),
    `${at}/value`,
    'not a valid regular',
  );
  hasProblem(
    cond({ type: 'variable', name: 'x', op: 'lt', value: 'ten' }),
    `${at}/value`,
    'must be a number',
  );
  hasProblem(cond({ type: 'variable', name: 'x', op: 'eq' }), `${at}/value`, 'required');
  hasProblem(cond({ type: 'variable', name: 'x', op: 'exists', value: 1 }), `${at}/value`, 'not used');
  hasProblem(cond({ type: 'caller_prefix', prefixes: ['+1', 'abc'] }), `${at}/prefixes/1`, 'digits');
  hasProblem(cond({ type: 'vip', name: 'x' }), `${at}/name`, 'unknown field');
  hasProblem(
    doc({ hello: { kind: 'condition', branches: [], else: 'bye' } }),
    '/nodes/hello/branches',
    '1 to 50',
  );
});

test('lookup, set, queue, voicemail and transfer fields', () => {
  const hook = (over: Record<string, unknown>) => ({
    kind: 'lookup',
    source: 'webhook',
    url: 'https://x.test/a',
    map: {},
    next: 'bye',
    ...over,
  });
  hasProblem(doc({ l: hook({ url: 'ftp://x' }) }), '/nodes/l/url', 'http:// or https://');
  hasProblem(doc({ l: hook({ map: undefined }) }), '/nodes/l/map', 'required');
  hasProblem(doc({ l: hook({ map: { balance: 'not a name' } }) }), '/nodes/l/map/balance', 'variable name');
  hasProblem(doc({ l: hook({ timeoutMs: 60_000 }) }), '/nodes/l/timeoutMs', 'from 100 to 30000');
  hasProblem(doc({ l: hook({ method: 'PUT' }) }), '/nodes/l/method', 'GET, POST');
  hasProblem(
    doc({ l: hook({ source: 'customer_by_caller' }) }),
    '/nodes/l/url',
    'only for "source": "webhook"',
  );
  hasProblem(
    doc({ s: { kind: 'set', values: { 'call.caller': 'x' }, next: 'bye' } }),
    '/nodes/s/values/call.caller',
    'set by the interpreter',
  );
  hasProblem(
    doc({ s: { kind: 'set', values: { x: null }, next: 'bye' } }),
    '/nodes/s/values/x',
    'template string, number or boolean',
  );
  hasProblem(
    doc({ q: { kind: 'queue', queueId: 'q', priority: 5000 } }),
    '/nodes/q/priority',
    '-1000 to 1000',
  );
  hasProblem(
    doc({ q: { kind: 'queue', queueId: 'q', skills: [{ skill: 's', minLevel: 11 }] } }),
    '/nodes/q/skills/0/minLevel',
    '1 to 10',
  );
  hasProblem(doc({ q: { kind: 'queue' } }), '/nodes/q/queueId', 'required');
  hasProblem(
    doc({ v: { kind: 'voicemail', maxSeconds: 0, next: 'bye' } }),
    '/nodes/v/maxSeconds',
    '1 to 600',
  );
  hasProblem(
    doc({ t: { kind: 'transfer', to: '12#34' } }),
    '/nodes/t/to',
    'digits with an optional leading +',
  );
  assert.ok(validateFlow(doc({ t: { kind: 'transfer', to: '{{oncall}}' } })).ok);
});

test('every problem is reported at once, in document order', () => {
  const d = doc({ m: menu({ maxRetries: -1, options: [{ digit: 'x', next: 'nope' }] }) }, { version: 3 });
  assert.deepEqual(
    problems(d).map((p) => p.path),
    ['/version', '/nodes/m/maxRetries', '/nodes/m/options/0/digit', '/nodes/m/options/0/next'],
  );
});

test('assertFlow throws VALIDATION_FAILED with the first path and every problem', () => {
  const d = doc({ hello: { kind: 'play', prompts: 'w', next: 'gone' } }, { vipPriorityBoost: -1 });
  assert.throws(
    () => assertFlow(d),
    (e: unknown) => {
      assert.ok(e instanceof DomainError);
      assert.equal(e.code, 'VALIDATION_FAILED');
      assert.equal(e.details?.path, '/vipPriorityBoost');
      assert.equal((e.details?.problems as Problem[]).length, 2);
      assert.match(e.message, /\/vipPriorityBoost .* \(and 1 more\)/);
      return true;
    },
  );
  assert.equal(assertFlow(doc()).name, 'test');
});
