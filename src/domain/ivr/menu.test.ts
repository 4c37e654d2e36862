import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallDriver, flowOf } from './fixtures.test.js';

const flow = flowOf({
  welcome: { kind: 'play', prompts: ['welcome'], bargeIn: true, next: 'main' },
  main: {
    kind: 'menu',
    prompt: 'main_menu',
    options: [
      { digit: '1', next: 'billing' },
      { digit: '2', next: 'sales' },
    ],
    timeoutSec: 4,
    maxRetries: 2,
    invalidPrompt: 'invalid_choice',
    timeoutPrompt: 'no_input',
    onFailure: 'operator',
  },
  billing: { kind: 'play', prompts: 'billing_info', next: 'bye' },
  sales: { kind: 'play', prompts: 'sales_info', next: 'bye' },
  operator: { kind: 'queue', queueId: 'operators' },
  bye: { kind: 'hangup' },
});

test('menu happy path: prompt, timer after the prompt, a digit picks the branch', () => {
  const call = new CallDriver(flow);
  assert.deepEqual(
    call.last.map((c) => c.type),
    ['log', 'play'],
  );
  assert.deepEqual(call.lastPlay(), {
    type: 'play',
    id: 'c1/p1',
    prompts: ['welcome'],
    bargeIn: true,
    language: 'en',
  });
  call.playDone();
  assert.deepEqual(call.lastPlay().prompts, ['main_menu']);
  assert.equal(call.lastPlay().bargeIn, true);
  assert.equal(call.timers.size, 0, 'no timer while the prompt plays');
  call.playDone();
  assert.deepEqual(call.of('start_timer', call.last), [
    { type: 'start_timer', timerId: 'c1/t3', seconds: 4 },
  ]);
  const after = call.digits('1');
  assert.deepEqual(
    after.map((c) => c.type),
    ['cancel_timer', 'log', 'log', 'play'],
  );
  assert.deepEqual(call.lastPlay().prompts, ['billing_info']);
  call.playDone();
  assert.deepEqual(call.of('hangup'), [{ type: 'hangup', cause: 'normal' }]);
  assert.deepEqual(call.path(), ['welcome', 'main', 'billing', 'bye']);
  assert.equal(call.state.wait.kind, 'ended');
});

test('a digit during the menu prompt barges in', () => {
  const call = new CallDriver(flow);
  call.playDone();
  call.digits('2');
  assert.deepEqual(call.lastPlay().prompts, ['sales_info']);
  // The adapter still reports the interrupted playback: it is ignored with a log, nothing else.
  const late = call.send({ type: 'playback_done', id: 'c1/p2' });
  assert.deepEqual(
    late.map((c) => c.type),
    ['log'],
  );
  assert.equal(call.of('log', late)[0]?.event, 'event_ignored');
});

test('type-ahead: a digit during a barge-in play skips it and answers the menu', () => {
  const call = new CallDriver(flow);
  call.digits('1');
  assert.deepEqual(call.path(), ['welcome', 'main', 'billing']);
  assert.deepEqual(
    call.of('play').map((p) => p.prompts),
    [['welcome'], ['billing_info']],
  );
});

test('invalid digits re-prompt with invalidPrompt, then onFailure after maxRetries', () => {
  const call = new CallDriver(flow);
  call.playDone();
  call.playDone();
  call.digits('9');
  assert.deepEqual(call.lastPlay().prompts, ['invalid_choice', 'main_menu']);
  call.playDone();
  call.digits('*');
  assert.deepEqual(call.lastPlay().prompts, ['invalid_choice', 'main_menu']);
  call.playDone();
  call.digits('#');
  assert.deepEqual(
    call.of('queue').map((q) => q.queueId),
    ['operators'],
  );
  const menuLogs = call
    .of('log')
    .filter((l) => l.node === 'main')
    .map((l) => l.event);
  assert.deepEqual(menuLogs, ['node', 'menu_invalid', 'menu_invalid', 'menu_invalid', 'node_failed']);
  assert.deepEqual(call.path(), ['welcome', 'main', 'operator']);
});

test('time-outs re-prompt with timeoutPrompt and count with invalid digits', () => {
  const call = new CallDriver(flow);
  call.playDone();
  call.playDone();
  call.fireTimer();
  assert.deepEqual(call.lastPlay().prompts, ['no_input', 'main_menu']);
  call.playDone();
  call.digits('7');
  assert.deepEqual(call.lastPlay().prompts, ['invalid_choice', 'main_menu']);
  call.playDone();
  call.fireTimer();
  assert.equal(call.of('queue').length, 1, 'third failure → onFailure');
});

test('a stale timer (already cancelled) is ignored', () => {
  const call = new CallDriver(flow);
  call.playDone();
  call.playDone();
  const timerId = call.of('start_timer')[0]!.timerId;
  call.digits('9'); // cancels the timer, re-prompts
  const r = call.send({ type: 'timeout', timerId });
  assert.deepEqual(
    r.map((c) => c.type),
    ['log'],
  );
  assert.equal(call.state.wait.kind, 'menu');
});

test('a menu without onFailure falls back to the errorNode, then to hang-up', () => {
  const strict = flowOf(
    {
      m: { kind: 'menu', prompt: 'p', options: [{ digit: '1', next: 'bye' }], maxRetries: 0 },
      sorry: { kind: 'play', prompts: 'sorry', next: 'bye' },
      bye: { kind: 'hangup' },
    },
    { errorNode: 'sorry' },
  );
  const call = new CallDriver(strict);
  call.digits('5');
  assert.deepEqual(call.lastPlay().prompts, ['sorry']);
  const bare = flowOf({
    m: { kind: 'menu', prompt: 'p', options: [{ digit: '1', next: 'bye' }], maxRetries: 0 },
    bye: { kind: 'hangup' },
  });
  const call2 = new CallDriver(bare);
  call2.digits('5');
  assert.deepEqual(call2.of('hangup'), [{ type: 'hangup', cause: 'ivr_error' }]);
});
