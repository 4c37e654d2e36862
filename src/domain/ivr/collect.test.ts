import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallDriver, flowOf } from './fixtures.test.js';

const collectFlow = (over: Record<string, unknown> = {}) =>
  flowOf({
    ask: {
      kind: 'collect',
      variable: 'account',
      prompt: 'enter_account',
      minLength: 3,
      maxLength: 6,
      firstDigitTimeoutSec: 7,
      interDigitTimeoutSec: 3,
      maxRetries: 1,
      invalidPrompt: 'invalid_entry',
      timeoutPrompt: 'no_input',
      next: 'thanks',
      onFailure: 'agent',
      ...over,
    },
    thanks: { kind: 'say', as: 'digits', value: '{{account}}', next: 'bye' },
    agent: { kind: 'queue', queueId: 'q' },
    bye: { kind: 'hangup' },
  });

test('digits end with the terminator, which is not stored', () => {
  const call = new CallDriver(collectFlow());
  assert.deepEqual(call.lastPlay().prompts, ['enter_account']);
  call.playDone();
  assert.deepEqual(call.of('start_timer', call.last)[0]?.seconds, 7, 'first-digit time-out');
  call.digits('12');
  assert.deepEqual(call.of('start_timer', call.last)[0]?.seconds, 3, 'inter-digit time-out');
  call.digits('34#');
  assert.equal(call.state.variables.account, '1234');
  assert.deepEqual(call.of('set_variable'), [
    { type: 'set_variable', name: 'account', value: '1234', sensitive: false },
  ]);
  assert.deepEqual(call.lastPlay().prompts, ['say/1', 'say/2', 'say/3', 'say/4']);
  const done = call.of('log').find((l) => l.event === 'collect_done');
  assert.deepEqual(done?.detail, { length: 4, digits: '1234' });
  assert.equal(call.timers.size, 0);
});

test('reaching maxLength ends the entry without a terminator', () => {
  const call = new CallDriver(collectFlow());
  call.digits('123456');
  assert.equal(call.state.variables.account, '123456');
  assert.equal(call.state.node, 'thanks');
});

test('digits during the prompt barge in and count', () => {
  const call = new CallDriver(collectFlow());
  call.digits('98');
  call.send({ type: 'playback_done', id: 'c1/p1' }); // the interrupted prompt: ignored
  call.digits('7#');
  assert.equal(call.state.variables.account, '987');
});

test('the inter-digit time-out ends the entry with the digits so far', () => {
  const call = new CallDriver(collectFlow());
  call.playDone();
  call.digits('4321');
  call.fireTimer();
  assert.equal(call.state.variables.account, '4321');
  assert.equal(call.state.node, 'thanks');
});

test('too short: invalid prompt and a retry, then onFailure', () => {
  const call = new CallDriver(collectFlow());
  call.playDone();
  call.digits('12#');
  assert.deepEqual(call.lastPlay().prompts, ['invalid_entry', 'enter_account']);
  assert.equal(call.state.wait.kind === 'collect' && call.state.wait.digits, '');
  call.playDone();
  call.digits('9');
  call.fireTimer(); // inter-digit: "9" is too short again
  assert.equal(call.of('queue').length, 1);
  assert.equal(call.state.variables.account, undefined);
});

test('no digit at all: time-out prompt, then onFailure', () => {
  const call = new CallDriver(collectFlow());
  call.playDone();
  call.fireTimer();
  assert.deepEqual(call.lastPlay().prompts, ['no_input', 'enter_account']);
  call.playDone();
  call.fireTimer();
  assert.deepEqual(call.path(), ['ask', 'agent']);
});

test('pattern and the "none" terminator', () => {
  const call = new CallDriver(collectFlow({ pattern: '0[1-9]+', terminator: 'none', maxRetries: 0 }));
  call.playDone();
  call.digits('0123#');
  assert.equal(call.state.wait.kind, 'collect', '# is a digit when there is no terminator');
  call.fireTimer();
  assert.equal(call.state.variables.account, undefined, '"0123#" does not match the pattern');
  assert.equal(call.of('queue').length, 1);
  const ok = new CallDriver(collectFlow({ pattern: '0[1-9]+' }));
  ok.digits('0123#');
  assert.equal(ok.state.variables.account, '0123');
});

test('a sensitive collect never puts the digits in a log or a set_variable command', () => {
  const call = new CallDriver(
    flowOf({
      card: {
        kind: 'collect',
        variable: 'card',
        prompt: 'card',
        minLength: 13,
        maxLength: 19,
        sensitive: true,
        next: 'copy',
        maxRetries: 1,
      },
      copy: { kind: 'set', values: { card_copy: 'x{{card}}' }, next: 'agent' },
      agent: { kind: 'queue', queueId: 'q' },
    }),
  );
  call.digits('4111'); // too short with the terminator next
  call.digits('#');
  call.digits('4111111111111111#');
  assert.equal(call.state.variables.card, '4111111111111111');
  assert.deepEqual(call.state.sensitive, ['card', 'card_copy']);
  const text = JSON.stringify([...call.of('log'), ...call.of('set_variable'), ...call.of('queue')]);
  assert.ok(!text.includes('4111'), text);
  assert.deepEqual(
    call
      .of('log')
      .filter((l) => l.event.startsWith('collect_'))
      .map((l) => l.detail),
    [{ length: 4 }, { length: 16 }],
  );
  assert.deepEqual(
    call.of('set_variable').map((s) => [s.name, s.value, s.sensitive]),
    [
      ['card', null, true],
      ['card_copy', null, true],
    ],
  );
  assert.equal(call.of('queue')[0]?.variables.card, undefined);
});
