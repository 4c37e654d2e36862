import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BusinessHours } from '../calendar/business-hours.js';
import { CallDriver, T0, flowOf } from './fixtures.test.js';

const hours: BusinessHours = {
  timeZone: 'America/New_York',
  weekly: { mon: [{ from: '08:00', to: '18:00' }], tue: [{ from: '08:00', to: '18:00' }] },
  holidays: ['2026-11-26'],
};

const ends = (id: string) => ({ kind: 'hangup', cause: id });

function branchTo(when: unknown, over: Record<string, unknown> = {}) {
  return flowOf({
    check: { kind: 'condition', branches: [{ when, next: 'yes' }], else: 'no', ...over },
    yes: ends('yes'),
    no: ends('no'),
    oops: ends('oops'),
  });
}

const cause = (call: CallDriver) => call.of('hangup')[0]?.cause;

test('business hours inline: the same flow at two instants', () => {
  const f = branchTo({ type: 'open', hours });
  assert.equal(cause(new CallDriver(f, { now: T0 })), 'yes', 'Monday 10:00 New York');
  assert.equal(
    cause(new CallDriver(f, { now: Date.UTC(2026, 10, 24, 0, 30) })),
    'no',
    'Monday 19:30 New York',
  );
  const closed = branchTo({ type: 'closed', hours });
  assert.equal(cause(new CallDriver(closed, { now: Date.UTC(2026, 10, 24, 0, 30) })), 'yes');
});

test('a named calendar from the context, and holidays', () => {
  const f = branchTo({ type: 'open', calendar: 'main' });
  assert.equal(cause(new CallDriver(f, { calendars: { main: hours } })), 'yes');
  const holiday = branchTo({ type: 'holiday', calendar: 'main' });
  const thanksgiving = Date.UTC(2026, 10, 26, 15);
  assert.equal(cause(new CallDriver(holiday, { calendars: { main: hours }, now: thanksgiving })), 'yes');
  assert.equal(cause(new CallDriver(holiday, { calendars: { main: hours }, now: T0 })), 'no');
});

test('an unknown calendar is a runtime failure: onError, else the errorNode', () => {
  const withBranch = branchTo({ type: 'open', calendar: 'nope' }, { onError: 'oops' });
  assert.equal(cause(new CallDriver(withBranch)), 'oops');
  const call = new CallDriver(branchTo({ type: 'open', calendar: 'nope' }));
  assert.equal(cause(call), 'ivr_error');
  assert.deepEqual(call.of('log').find((l) => l.event === 'node_failed')?.detail, {
    reason: 'runtime_error',
  });
});

test('VIP, blacklisted and caller prefix', () => {
  assert.equal(cause(new CallDriver(branchTo({ type: 'vip' }), { vip: true })), 'yes');
  assert.equal(cause(new CallDriver(branchTo({ type: 'vip' }))), 'no');
  const bl = flowOf(
    {
      check: { kind: 'condition', branches: [{ when: { type: 'blacklisted' }, next: 'yes' }], else: 'no' },
      yes: ends('yes'),
      no: ends('no'),
    },
    { blacklist: { action: 'continue' } },
  );
  assert.equal(cause(new CallDriver(bl, { blacklisted: true })), 'yes');
  const prefix = branchTo({ type: 'caller_prefix', prefixes: ['+86', '+852'] });
  assert.equal(cause(new CallDriver(prefix, { caller: '+8613800000000' })), 'yes');
  assert.equal(cause(new CallDriver(prefix, { caller: '+12125550143' })), 'no');
});

test('variable comparisons; an unset variable makes every comparison false', () => {
  const cases: [unknown, Record<string, string>, string][] = [
    [{ op: 'eq', value: 'gold' }, { tier: 'gold' }, 'yes'],
    [{ op: 'eq', value: 'gold' }, { tier: 'silver' }, 'no'],
    [{ op: 'ne', value: 'gold' }, { tier: 'silver' }, 'yes'],
    [{ op: 'ne', value: 'gold' }, {}, 'no'],
    [{ op: 'lt', value: 100 }, { tier: '99.5' }, 'yes'],
    [{ op: 'lt', value: 100 }, { tier: 'lots' }, 'no'],
    [{ op: 'gt', value: 100 }, { tier: '1000' }, 'yes'],
    [{ op: 'gt', value: 100 }, { tier: '' }, 'no'],
    [{ op: 'in', value: ['gold', 'platinum'] }, { tier: 'platinum' }, 'yes'],
    [{ op: 'matches', value: 'g.l' }, { tier: 'gold' }, 'no'],
    [{ op: 'matches', value: 'g.l.' }, { tier: 'gold' }, 'yes'],
    [{ op: 'exists' }, { tier: 'x' }, 'yes'],
    [{ op: 'exists' }, { tier: '' }, 'no'],
    [{ op: 'eq', value: 3 }, { tier: '3' }, 'yes'],
  ];
  for (const [cmp, variables, expected] of cases) {
    const f = branchTo({ type: 'variable', name: 'tier', ...(cmp as object) });
    assert.equal(cause(new CallDriver(f, { variables })), expected, JSON.stringify([cmp, variables]));
  }
});

test('branches are tried in order and the log says which was taken', () => {
  const f = flowOf({
    check: {
      kind: 'condition',
      branches: [
        { when: { type: 'vip' }, next: 'a' },
        { when: { type: 'caller_prefix', prefixes: ['+1'] }, next: 'b' },
        { when: { type: 'caller_prefix', prefixes: ['+12'] }, next: 'a' },
      ],
      else: 'a',
    },
    a: ends('a'),
    b: ends('b'),
  });
  const call = new CallDriver(f);
  assert.equal(cause(call), 'b');
  assert.deepEqual(call.of('log').find((l) => l.event === 'branch')?.detail, { taken: 1 });
});

test('set: literals and templates, all or nothing', () => {
  const f = flowOf({
    s: { kind: 'set', values: { greeting: 'hi {{name}}', n: 3, flag: true }, next: 'bye', onError: 'oops' },
    bye: ends('bye'),
    oops: ends('oops'),
  });
  const call = new CallDriver(f, { variables: { name: 'Ann' } });
  assert.deepEqual(
    call.of('set_variable').map((c) => [c.name, c.value]),
    [
      ['greeting', 'hi Ann'],
      ['n', '3'],
      ['flag', 'true'],
    ],
  );
  const failing = new CallDriver(f);
  assert.equal(cause(failing), 'oops');
  assert.equal(failing.of('set_variable').length, 0);
});
