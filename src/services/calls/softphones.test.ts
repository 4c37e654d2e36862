import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChoosingAgentPhones, Softphones, type SoftphoneMessage } from './softphones.js';
import type { AgentCall, AgentPhones } from './ports.js';

test('phone choice is SIP by default and per agent', () => {
  const s = new Softphones();
  assert.equal(s.kindOf('a1'), 'sip');
  s.choose('a1', 'browser');
  assert.equal(s.kindOf('a1'), 'browser');
  assert.equal(s.kindOf('a2'), 'sip');
  s.choose('a1', 'sip');
  assert.equal(s.kindOf('a1'), 'sip');
});

test('signals reach every open stream of the agent; the last one closing is reported once', () => {
  const s = new Softphones();
  const got: [string, SoftphoneMessage][] = [];
  s.onMessage((agentId, m) => got.push([agentId, m]));
  const one: string[] = [];
  const two: string[] = [];
  assert.equal(s.send('a1', { type: 'webrtc.hangup', callId: 'c', reason: 'x' }), false);
  const closeOne = s.attach('a1', (t) => one.push(t));
  const closeTwo = s.attach('a1', (t) => two.push(t));
  assert.equal(s.send('a1', { type: 'webrtc.hangup', callId: 'c', reason: 'x' }), true);
  assert.equal(one.length, 1);
  assert.equal(two.length, 1);
  closeOne();
  assert.deepEqual(got, []);
  closeTwo();
  assert.deepEqual(got, [['a1', { type: 'webrtc.gone' }]]);
});

test('only well-formed browser messages are passed on', () => {
  const s = new Softphones();
  const got: SoftphoneMessage[] = [];
  s.onMessage((_, m) => got.push(m));
  s.receive('a1', { type: 'webrtc.answer', callId: 'c1', sdp: 'v=0' });
  s.receive('a1', { type: 'webrtc.answer', callId: 'c1' });
  s.receive('a1', { type: 'webrtc.reject', callId: 'c1' });
  s.receive('a1', { type: 'webrtc.gone', callId: 'c1' });
  s.receive('a1', { type: 'webrtc.hangup' });
  s.receive('a1', 'webrtc.hangup');
  assert.deepEqual(got, [
    { type: 'webrtc.answer', callId: 'c1', sdp: 'v=0' },
    { type: 'webrtc.reject', callId: 'c1' },
  ]);
});

test('the choosing phones ring the kind the agent chose', async () => {
  const s = new Softphones();
  const rung: string[] = [];
  const call = (target: string): AgentCall => ({
    callId: target,
    target,
    outcome: Promise.resolve({ kind: 'refused', status: 486 }),
  });
  const sip: AgentPhones = { ring: (u) => (rung.push(`sip:${u}`), Promise.resolve(call('sip'))) };
  const phones = new ChoosingAgentPhones(
    sip,
    { ring: (a) => (rung.push(`browser:${a}`), Promise.resolve(call('browser'))) },
    s,
    (u) => Promise.resolve(u === 'alice' ? 'agent-1' : undefined),
  );
  const options = { caller: '1', signal: new AbortController().signal, onRinging: () => undefined };
  await phones.ring('alice', options);
  s.choose('agent-1', 'browser');
  await phones.ring('alice', options);
  await phones.ring('bob', options);
  assert.deepEqual(rung, ['sip:alice', 'browser:agent-1', 'sip:bob']);
});

test('by agent: the browser softphone rings without a SIP account, a SIP phone needs one', async () => {
  const s = new Softphones();
  const rung: string[] = [];
  const call = (target: string): AgentCall => ({
    callId: target,
    target,
    outcome: new Promise(() => undefined),
  });
  const sip: AgentPhones = {
    ring: (username) => {
      rung.push(`sip:${username}`);
      return Promise.resolve(call(username));
    },
  };
  const browser = {
    ring: (agentId: string) => {
      rung.push(`browser:${agentId}`);
      return Promise.resolve(call(agentId));
    },
  };
  const phones = new ChoosingAgentPhones(sip, browser, s, () => Promise.resolve(undefined));
  const options = { caller: '1', signal: new AbortController().signal, onRinging: () => undefined };
  assert.equal(await phones.ringAgent('a1', undefined, options), null);
  s.choose('a1', 'browser');
  assert.notEqual(await phones.ringAgent('a1', undefined, options), null);
  s.choose('a2', 'sip');
  assert.notEqual(await phones.ringAgent('a2', 'alice', options), null);
  assert.deepEqual(rung, ['browser:a1', 'sip:alice']);
});

test('a page that is back asks for its lost calls, naming the call it still shows', () => {
  const s = new Softphones();
  const got: SoftphoneMessage[] = [];
  s.onMessage((_, m) => got.push(m));
  s.receive('a1', { type: 'webrtc.resume' });
  s.receive('a1', { type: 'webrtc.resume', callId: 'c1' });
  assert.deepEqual(got, [{ type: 'webrtc.resume' }, { type: 'webrtc.resume', callId: 'c1' }]);
});
