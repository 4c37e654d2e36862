import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallDriver, flowOf } from './fixtures.test.js';

const flow = flowOf({
  find: {
    kind: 'lookup',
    source: 'webhook',
    url: 'https://crm.test/accounts/{{account}}?lang={{call.language}}',
    method: 'POST',
    timeoutMs: 2500,
    params: { pin: '{{pin}}', caller: '{{call.caller}}' },
    map: { 'account.balance': 'balance', 'account.status': 'status', missing: 'nothing' },
    next: 'say_balance',
    onError: 'sorry',
  },
  say_balance: { kind: 'say', as: 'currency', value: '{{balance}}', currency: 'USD', next: 'bye' },
  sorry: { kind: 'play', prompts: 'lookup_failed', next: 'bye' },
  bye: { kind: 'hangup' },
});

const vars = { variables: { account: 'A/1 2', pin: '1234' } };

test('success: the command, a guard timer, then variables from the answer', () => {
  const call = new CallDriver(flow, vars);
  const [lookup] = call.of('lookup');
  assert.deepEqual(lookup, {
    type: 'lookup',
    id: 'c1/l1',
    source: 'webhook',
    url: 'https://crm.test/accounts/A%2F1%202?lang=en',
    method: 'POST',
    timeoutMs: 2500,
    params: { pin: '1234', caller: '+12125550143' },
    sensitive: false,
  });
  assert.deepEqual(call.of('start_timer'), [{ type: 'start_timer', timerId: 'c1/t2', seconds: 4 }]);
  call.send({
    type: 'lookup_result',
    id: 'c1/l1',
    ok: true,
    data: { account: { balance: 42.5, status: 'open' } },
  });
  assert.equal(call.state.variables.balance, '42.5');
  assert.equal(call.state.variables.status, 'open');
  assert.equal(call.timers.size, 0, 'guard timer cancelled');
  assert.deepEqual(call.lastPlay().prompts, [
    'say/40',
    'say/2',
    'say/dollars',
    'say/and',
    'say/50',
    'say/cents',
  ]);
  const missing = call.of('log').find((l) => l.event === 'lookup_field_missing');
  assert.deepEqual(missing?.detail, { field: 'missing' });
});

test('an error answer takes onError', () => {
  const call = new CallDriver(flow, vars);
  call.send({ type: 'lookup_result', ok: false, error: 'HTTP 503' });
  assert.deepEqual(call.lastPlay().prompts, ['lookup_failed']);
  assert.deepEqual(call.path(), ['find', 'sorry']);
  assert.equal(call.timers.size, 0);
});

test('no answer: the guard timer takes onError, and a late answer is ignored', () => {
  const call = new CallDriver(flow, vars);
  call.fireTimer();
  assert.deepEqual(call.path(), ['find', 'sorry']);
  const late = call.send({ type: 'lookup_result', id: 'c1/l1', ok: true, data: {} });
  assert.deepEqual(
    late.map((c) => c.type),
    ['log'],
  );
  assert.equal(call.state.variables.balance, undefined);
});

test('an answer for another lookup id is ignored', () => {
  const call = new CallDriver(flow, vars);
  call.send({ type: 'lookup_result', id: 'other', ok: true, data: { account: { balance: 1 } } });
  assert.equal(call.state.wait.kind, 'lookup');
});

test('a missing template variable is a runtime failure that takes onError', () => {
  const call = new CallDriver(flow, { variables: { account: '1' } });
  assert.equal(call.of('lookup').length, 0);
  assert.deepEqual(call.path(), ['find', 'sorry']);
  const failed = call.of('log').find((l) => l.event === 'node_failed');
  assert.deepEqual(failed?.detail, { reason: 'missing_variable:pin' });
});

test('a value that cannot be said takes the say node error branch (or the errorNode)', () => {
  const call = new CallDriver(flow, vars);
  call.send({ type: 'lookup_result', ok: true, data: { account: { balance: 'n/a' } } });
  assert.deepEqual(call.of('hangup'), [{ type: 'hangup', cause: 'ivr_error' }]);
  assert.ok(!JSON.stringify(call.of('log')).includes('n/a'), 'the value is not logged');
});

test('customer_by_caller: the default map and VIP from the answer', () => {
  const f = flowOf({
    who: { kind: 'lookup', source: 'customer_by_caller', next: 'q', onError: 'q' },
    q: { kind: 'queue', queueId: 'q' },
  });
  const call = new CallDriver(f, { caller: '+8613800000000' });
  assert.deepEqual(call.of('lookup')[0], {
    type: 'lookup',
    id: 'c1/l1',
    source: 'customer_by_caller',
    caller: '+8613800000000',
    timeoutMs: 3000,
  });
  call.send({ type: 'lookup_result', ok: true, data: { id: 'cust-9', name: 'Li Wei', vip: true } });
  assert.equal(call.state.variables.customer_id, 'cust-9');
  assert.equal(call.state.variables.customer_name, 'Li Wei');
  assert.equal(call.state.vip, true);
  assert.equal(call.of('queue')[0]?.vip, true);
});

test('a webhook that sends a sensitive variable is flagged sensitive', () => {
  const f = flowOf({
    card: { kind: 'collect', variable: 'card', maxLength: 16, sensitive: true, next: 'pay' },
    pay: {
      kind: 'lookup',
      source: 'webhook',
      url: 'https://pay.test/charge',
      method: 'POST',
      params: { card: '{{card}}' },
      map: {},
      next: 'q',
    },
    q: { kind: 'queue', queueId: 'q' },
  });
  const call = new CallDriver(f);
  call.digits('4111111111111111');
  const [lookup] = call.of('lookup');
  assert.ok(lookup?.source === 'webhook');
  assert.equal(lookup.sensitive, true);
  assert.deepEqual(lookup.params, { card: '4111111111111111' });
});
