import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialPlanGuard, isDialable } from './dial-plan.js';
import { CallDriver, flowOf } from './fixtures.test.js';

const queueFlow = (extra: Record<string, unknown> = {}) =>
  flowOf(
    {
      q: {
        kind: 'queue',
        queueId: 'support',
        priority: '{{prio}}',
        skills: ['lang_{{call.language}}', { skill: 'billing', minLevel: 4 }],
        announcePosition: true,
        onQueueFailure: 'vm',
      },
      vm: {
        kind: 'voicemail',
        prompt: 'leave_message',
        maxSeconds: 60,
        mailbox: '{{call.dnis}}',
        next: 'bye',
      },
      bye: { kind: 'hangup' },
    },
    extra,
  );

test('queue: priority from a variable, skills, variables for the screen pop', () => {
  const call = new CallDriver(queueFlow(), { variables: { prio: '3' }, language: 'zh' });
  assert.deepEqual(call.of('queue'), [
    {
      type: 'queue',
      queueId: 'support',
      priority: 3,
      basePriority: 3,
      vip: false,
      skills: [
        { skill: 'lang_zh', minLevel: 1 },
        { skill: 'billing', minLevel: 4 },
      ],
      announcePosition: true,
      announceWaitTime: false,
      announceEverySeconds: 30,
      averageHandleSeconds: 180,
      variables: {
        prio: '3',
        'call.id': 'c1',
        'call.caller': '+12125550143',
        'call.dnis': '+18005550000',
        'call.language': 'zh',
      },
      language: 'zh',
    },
  ]);
  assert.equal(call.state.wait.kind, 'queue');
  call.send({ type: 'queue_result', ok: true });
  assert.deepEqual(call.state.wait, { kind: 'ended', reason: 'queued' });
});

test('VIP callers get the flow boost (default 10)', () => {
  const vip = new CallDriver(queueFlow(), { variables: { prio: '3' }, vip: true });
  assert.equal(vip.of('queue')[0]?.priority, 13);
  assert.equal(vip.of('queue')[0]?.basePriority, 3);
  const custom = new CallDriver(queueFlow({ vipPriorityBoost: 50 }), {
    variables: { prio: '-2' },
    vip: true,
  });
  assert.equal(custom.of('queue')[0]?.priority, 48);
});

test('a closed or full queue continues at onQueueFailure (voicemail), which records and ends', () => {
  const call = new CallDriver(queueFlow(), { variables: { prio: '1' } });
  call.send({ type: 'queue_result', ok: false, reason: 'closed' });
  assert.deepEqual(call.of('record_voicemail'), [
    {
      type: 'record_voicemail',
      id: 'c1/r1',
      prompts: ['leave_message'],
      maxSeconds: 60,
      beep: true,
      mailbox: '+18005550000',
      language: 'en',
    },
  ]);
  call.send({ type: 'digit', digit: '5' }); // ignored while recording
  call.send({ type: 'recording_done', id: 'c1/r1', recordingId: 'rec-77' });
  assert.equal(call.state.variables.voicemail_recording_id, 'rec-77');
  assert.deepEqual(call.of('hangup'), [{ type: 'hangup', cause: 'normal' }]);
  assert.deepEqual(call.path(), ['q', 'vm', 'bye']);
});

test('a priority that is not a number takes onQueueFailure', () => {
  const call = new CallDriver(queueFlow(), { variables: { prio: 'high' } });
  assert.equal(call.of('queue').length, 0);
  assert.deepEqual(call.path(), ['q', 'vm']);
});

const transferFlow = flowOf({
  t: { kind: 'transfer', to: '{{target}}', onError: 'refused' },
  refused: { kind: 'play', prompts: 'cannot_transfer', next: 'bye' },
  bye: { kind: 'hangup' },
});
const allowTransfer = dialPlanGuard(['+1800NXXXXXX', '+1212NXXXXXX', '+8610.']);

test('transfer allowed by the dial plan', () => {
  const call = new CallDriver(transferFlow, { variables: { target: '+18005550100' } }, { allowTransfer });
  assert.deepEqual(call.of('transfer'), [{ type: 'transfer', to: '+18005550100' }]);
  assert.equal(call.state.wait.kind, 'transfer');
  call.send({ type: 'transfer_result', ok: true });
  assert.deepEqual(call.state.wait, { kind: 'ended', reason: 'transferred' });
});

test('transfer refused by the guard: premium numbers, spaces, DTMF symbols, no guard at all', () => {
  for (const target of ['+19005550100', '+1 900 555 0100', '12#34', '+44', '0086105550100']) {
    const call = new CallDriver(transferFlow, { variables: { target } }, { allowTransfer });
    assert.equal(call.of('transfer').length, 0, target);
    assert.deepEqual(call.lastPlay().prompts, ['cannot_transfer']);
    assert.ok(
      !JSON.stringify(call.of('log')).includes(target.replace(/\D/g, '').slice(0, 6)),
      'number not logged',
    );
  }
  const unguarded = new CallDriver(transferFlow, { variables: { target: '+18005550100' } });
  assert.equal(unguarded.of('transfer').length, 0, 'no guard: every transfer is refused');
  const throwing = new CallDriver(
    transferFlow,
    { variables: { target: '+18005550100' } },
    {
      allowTransfer: () => {
        throw new Error('dial plan down');
      },
    },
  );
  assert.equal(throwing.of('transfer').length, 0);
});

test('a failed transfer (busy) continues at onError', () => {
  const call = new CallDriver(transferFlow, { variables: { target: '+12125550100' } }, { allowTransfer });
  call.send({ type: 'transfer_result', ok: false, reason: 'busy' });
  assert.deepEqual(call.lastPlay().prompts, ['cannot_transfer']);
});

test('dial plan patterns', () => {
  assert.ok(isDialable('+8613800000000') && isDialable('911'));
  assert.ok(!isDialable('') && !isDialable('+') && !isDialable('12*3') && !isDialable('1'.repeat(21)));
  const guard = dialPlanGuard(['+1800NXXXXXX', 'ZXX', 'bogus']);
  assert.equal(guard('+18005550100'), true);
  assert.equal(guard('+18001550100'), false, 'N is 2-9');
  assert.equal(guard('+180055501000'), false, 'length is exact');
  assert.equal(guard('411'), true);
  assert.equal(guard('011'), false);
});

const blacklistFlow = (blacklist?: Record<string, unknown>) =>
  flowOf(
    { hello: { kind: 'play', prompts: 'welcome', next: 'bye' }, bye: { kind: 'hangup' } },
    blacklist ? { blacklist } : {},
  );

test('blacklist treatments: hangup (default), play then hangup, continue', () => {
  const byDefault = new CallDriver(blacklistFlow(), { blacklisted: true });
  assert.deepEqual(byDefault.last, [
    { type: 'log', event: 'blacklisted', node: null, detail: { action: 'hangup' } },
    { type: 'hangup', cause: 'blacklisted' },
  ]);
  const notice = new CallDriver(blacklistFlow({ action: 'play_then_hangup', prompt: 'not_accepted' }), {
    blacklisted: true,
  });
  assert.deepEqual(notice.lastPlay().prompts, ['not_accepted']);
  assert.equal(notice.lastPlay().bargeIn, false);
  notice.digits('0'); // cannot skip the notice
  assert.equal(notice.of('hangup').length, 0);
  notice.playDone();
  assert.deepEqual(notice.of('hangup'), [{ type: 'hangup', cause: 'blacklisted' }]);
  const goOn = new CallDriver(blacklistFlow({ action: 'continue' }), { blacklisted: true });
  assert.deepEqual(goOn.lastPlay().prompts, ['welcome']);
  const clean = new CallDriver(blacklistFlow({ action: 'hangup' }));
  assert.deepEqual(clean.lastPlay().prompts, ['welcome'], 'only blacklisted callers are treated');
});
