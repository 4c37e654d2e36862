import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flow } from './flow.js';
import { CallDriver, context, flowOf } from './fixtures.test.js';
import { startCall, step } from './interpreter.js';
import { MAX_TRANSITIONS } from './turn.js';

const menuFlow = flowOf({
  m: { kind: 'menu', prompt: 'p', options: [{ digit: '1', next: 'c' }], onFailure: 'bye' },
  c: { kind: 'collect', variable: 'x', maxLength: 4, next: 'bye' },
  bye: { kind: 'hangup' },
});

test('malformed and unexpected events are ignored with a log command', () => {
  const call = new CallDriver(menuFlow);
  const before = JSON.stringify(call.state.wait);
  for (const event of [
    { type: 'digit', digit: 'x' },
    { type: 'digit' },
    { type: 'teleport' },
    { type: 'timeout', timerId: 'nope' },
    { type: 'lookup_result', ok: true, data: {} },
    { type: 'queue_result', ok: false, reason: 'full' },
    { type: 'recording_done', recordingId: 'r' },
    { type: 'lookup_result', ok: false },
  ]) {
    const out = call.send(event);
    assert.deepEqual(
      out.map((c) => c.type),
      ['log'],
      JSON.stringify(event),
    );
    assert.equal(call.of('log', out)[0]?.event, 'event_ignored');
  }
  assert.equal(JSON.stringify(call.state.wait), before);
  const nonsense = step(call.state, null as never, call.now);
  assert.deepEqual(
    nonsense.commands.map((c) => c.type),
    ['log'],
  );
});

test('caller hang-up cancels the running timer; later events are ignored', () => {
  const call = new CallDriver(menuFlow);
  call.playDone();
  call.digits('1');
  call.digits('12');
  const out = call.send({ type: 'hangup' });
  assert.deepEqual(
    out.map((c) => c.type),
    ['log', 'cancel_timer'],
  );
  assert.deepEqual(call.state.wait, { kind: 'ended', reason: 'caller_hangup' });
  assert.equal(call.of('hangup').length, 0, 'no hang-up command for a caller who is gone');
  assert.deepEqual(
    call.send({ type: 'digit', digit: '3' }).map((c) => c.type),
    ['log'],
  );
});

test('step is pure: the input state is not changed, the same input gives the same output', () => {
  const { state } = startCall(menuFlow, context());
  const frozen = JSON.stringify(state);
  const a = step(state, { type: 'digit', digit: '1' }, 5);
  const b = step(state, { type: 'digit', digit: '1' }, 5);
  assert.equal(JSON.stringify(state), frozen);
  assert.deepEqual(a, b);
});

/** Flows the validator would reject, run anyway: the interpreter must still not strand the caller. */
function unchecked(nodes: Record<string, unknown>, extra: Record<string, unknown> = {}): Flow {
  return { version: 1, name: 'raw', start: Object.keys(nodes)[0] ?? 'x', nodes, ...extra } as unknown as Flow;
}

test('a loop without input hits the transition cap, tries the errorNode once, then hangs up', () => {
  const spin = unchecked({
    a: { kind: 'set', values: { x: '1' }, next: 'b' },
    b: { kind: 'set', values: { y: '2' }, next: 'a' },
  });
  const { commands } = startCall(spin, context());
  const logs = commands.filter((c) => c.type === 'log');
  assert.equal(logs.filter((l) => l.event === 'node').length, MAX_TRANSITIONS);
  assert.deepEqual(commands.at(-1), { type: 'hangup', cause: 'ivr_error' });
  const withError = unchecked(
    { a: { kind: 'set', values: { x: '1' }, next: 'a' }, e: { kind: 'set', values: { z: '1' }, next: 'e' } },
    { errorNode: 'e' },
  );
  const r = startCall(withError, context());
  assert.equal(r.commands.filter((c) => c.type === 'log' && c.event === 'transition_cap').length, 2);
  assert.equal(r.commands.filter((c) => c.type === 'log' && c.event === 'node').length, 2 * MAX_TRANSITIONS);
  assert.deepEqual(r.commands.at(-1), { type: 'hangup', cause: 'ivr_error' });
});

test('a missing node, a broken node, an errorNode that fails itself: always a hang-up', () => {
  for (const flow of [
    unchecked({ a: { kind: 'play', prompts: ['x'], next: 'b' } }),
    unchecked({ a: { kind: 'menu', prompt: 'p' } }),
    unchecked({ a: { kind: 'warp' } }),
    unchecked({ a: { kind: 'say', as: 'number', value: '{{nope}}', next: 'a' } }, { errorNode: 'a' }),
    unchecked({ a: { kind: 'hangup' } }, { start: 'zz' }),
  ]) {
    const call = new CallDriver(flow);
    if (call.state.wait.kind === 'playback') call.playDone();
    if (call.state.wait.kind === 'menu') call.digits('1'); // the menu has no options list
    assert.deepEqual(call.of('hangup'), [{ type: 'hangup', cause: 'ivr_error' }], JSON.stringify(flow.nodes));
  }
});

test('the errorNode is used a bounded number of times', () => {
  const flow = flowOf(
    {
      m: { kind: 'menu', prompt: 'p', options: [{ digit: '1', next: 'bad' }], onFailure: 'bye' },
      bad: { kind: 'say', as: 'number', value: '{{missing}}', next: 'bye' },
      sorry: { kind: 'play', prompts: 'sorry', next: 'm' },
      bye: { kind: 'hangup' },
    },
    { errorNode: 'sorry' },
  );
  const call = new CallDriver(flow);
  for (let i = 0; i < 10 && call.state.wait.kind !== 'ended'; i++) {
    if (call.state.wait.kind === 'playback') call.playDone();
    else call.digits('1');
  }
  assert.equal(call.path().filter((n) => n === 'sorry').length, 3);
  assert.deepEqual(call.of('hangup'), [{ type: 'hangup', cause: 'ivr_error' }]);
});
