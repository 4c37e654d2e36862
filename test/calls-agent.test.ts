// The agent leg over real sockets: SIPp calls in with a tone and an RFC 4733 "1", waits in Billing,
// and the call rings the agent's baresip phone, registered with digest auth. Answered: the legs are
// bridged both ways and recorded in stereo, the agent hangs up, the interaction goes to wrap-up with
// two CDRs. Not answered: the reservation times out, the phone's ringing is cancelled and the caller
// is offered again; a caller who hangs up while the phone rings cancels it too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import type { CdrRecord, RecordingRecord } from '../src/services/records.js';
import type { TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';
import { channelRms, rtpPcap, startSipp, tone, type Peer } from './helpers/voice-peers.js';
import {
  giveSipAccount,
  registeredPhone,
  startVoiceLine,
  until,
  type VoiceLine,
} from './helpers/voice-line.js';

const LIMIT = { timeout: 90_000 };
// Ranges of their own per process, so parallel test files do not fight over RTP ports.
const BASE = 40000 + (process.pid % 200) * 100;
const HOTLINE_RTP: [number, number] = [BASE, BASE + 29];
const CALLER_RTP = BASE + 40;
const ALICE_RTP: [number, number] = [BASE + 50, BASE + 69];
const BOB_RTP: [number, number] = [BASE + 70, BASE + 89];

interface Agent {
  id: string;
  token: string;
  username: string;
}

let line: VoiceLine;
let t: TestHotline;
let queueId: string;
let skillId: string;
let alice: Agent;
let bob: Agent;
let alicePhone: Peer;
let bobPhone: Peer;
const callerAudio = rtpPcap(tone(440, 30));
const voice = () => line.voice();
const latestCall = () => line.latestCall();

before(async () => {
  line = await startVoiceLine({
    prefix: 'hotline-agent-calls-',
    rtp: HOTLINE_RTP,
    queue: { wrapUpSec: 60, reservationTimeoutSec: 60 },
  });
  ({ t, queueId, skillId } = line);
  alice = await createUserWithAgent(t, 'alice', { skills: { [skillId]: 5 } });
  bob = await createUserWithAgent(t, 'bob', { skills: { [skillId]: 5 } });
  await giveSipAccount(t, alice.id, 'alice', 'alice-phone-1');
  await giveSipAccount(t, bob.id, 'bob', 'bob-phone-12');
  const phone = { audio: tone(1000, 30) };
  alicePhone = await registeredPhone(line, {
    ...phone,
    user: 'alice',
    password: 'alice-phone-1',
    autoAnswer: true,
    rtpPorts: ALICE_RTP,
  });
  bobPhone = await registeredPhone(line, {
    ...phone,
    user: 'bob',
    password: 'bob-phone-12',
    autoAnswer: false,
    rtpPorts: BOB_RTP,
  });
});

after(async () => {
  await alicePhone?.stop();
  await bobPhone?.stop();
  await line?.stop();
});

async function available(a: Agent): Promise<void> {
  let res = await t.call('POST', `/api/agents/${a.id}/login`, { presence: 'available' }, a.token);
  if (res.status >= 300)
    res = await t.call('POST', `/api/agents/${a.id}/presence`, { presence: 'available' }, a.token);
  assert.ok(res.status < 300, JSON.stringify(res.body));
}

async function loggedOut(a: Agent): Promise<void> {
  await t.call('POST', `/api/agents/${a.id}/logout`, {}, a.token);
}

function callerSipp(scenario: string): Peer {
  return startSipp(scenario, `127.0.0.1:${voice().sipPort}`, {
    mediaPort: CALLER_RTP,
    files: { 'caller.pcap': callerAudio },
  });
}

async function eventTypes(id: string): Promise<string[]> {
  return (await t.hotline.services.store.interactions.events(id)).map((e) => e.type);
}

test(
  'the caller reaches the agent: audio both ways, a stereo recording, two CDRs, then wrap-up',
  LIMIT,
  async () => {
    await loggedOut(bob);
    await available(alice);
    const caller = callerSipp('agent-call.xml');
    try {
      await until(
        'the call to be answered by the agent',
        async () => (await latestCall())?.status === 'active',
      );
      const call = (await latestCall())!;
      assert.equal(call.agentId, alice.id);
      // Let a few seconds of audio reach the recording before the agent hangs up.
      const recs = await t.call<RecordingRecord[]>(
        'GET',
        `/api/interactions/${call.id}/recordings`,
        undefined,
        alice.token,
      );
      assert.equal(recs.status, 200);
      assert.equal(recs.body.length, 1);
      const path = recs.body[0]!.filePath;
      const recorded = async (): Promise<number> => (await stat(path)).size;
      await until('two seconds of recorded audio', async () => (await recorded()) > 44 + 2 * 8000 * 4);
      // Card details: the agent pauses the recording for a while, then resumes it.
      const otherPause = await t.call('POST', `/api/interactions/${call.id}/recording/pause`, {}, bob.token);
      assert.equal(otherPause.status, 404);
      const paused = await t.call('POST', `/api/interactions/${call.id}/recording/pause`, {}, alice.token);
      assert.equal(paused.status, 200, JSON.stringify(paused.body));
      assert.deepEqual(paused.body, { interactionId: call.id, recording: true, paused: true });
      const atPause = await recorded();
      await until('a paused second', async () => (await recorded()) > atPause + 8000 * 4 + 8000 * 4);
      const resumed = await t.call('POST', `/api/interactions/${call.id}/recording/resume`, {}, alice.token);
      assert.deepEqual(resumed.body, { interactionId: call.id, recording: true, paused: false });
      const atResume = await recorded();
      await until('two more seconds of audio', async () => (await recorded()) > atResume + 2 * 8000 * 4);
      alicePhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0, caller.log().slice(-3000));
      await until('wrap-up', async () => (await latestCall())?.status === 'wrap_up');

      const types = await eventTypes(call.id);
      assert.deepEqual(
        types.filter((x) => ['offered', 'accepted', 'wrap_up_started'].includes(x)),
        ['offered', 'accepted', 'wrap_up_started'],
      );

      const cdrs = await t.call<CdrRecord[]>(
        'GET',
        `/api/interactions/${call.id}/cdrs`,
        undefined,
        alice.token,
      );
      assert.equal(cdrs.status, 200);
      assert.equal(cdrs.body.length, 2);
      const inbound = cdrs.body.find((c) => c.direction === 'inbound')!;
      const outbound = cdrs.body.find((c) => c.direction === 'outbound')!;
      assert.equal(inbound.fromAddress, '12025550143');
      assert.equal(inbound.toAddress, '5550100');
      assert.equal(inbound.endCause, 'agent_hangup');
      assert.equal(outbound.endCause, 'agent_hangup');
      assert.equal(outbound.agentId, alice.id);
      assert.ok(outbound.answeredAt);
      assert.equal(outbound.recordingId, recs.body[0]!.id);
      assert.notEqual(outbound.callId, inbound.callId);

      const [rec] = (
        await t.call<RecordingRecord[]>(
          'GET',
          `/api/interactions/${call.id}/recordings`,
          undefined,
          t.adminToken,
        )
      ).body;
      assert.ok(rec?.endedAt && rec.durationMs !== null && rec.durationMs >= 3000, JSON.stringify(rec));
      const audio = await t.hotline.app.inject({
        method: 'GET',
        url: `/api/recordings/${rec.id}/audio`,
        headers: { authorization: `Bearer ${alice.token}` },
      });
      assert.equal(audio.statusCode, 200);
      assert.equal(audio.headers['content-type'], 'audio/wav');
      const wav = audio.rawPayload;
      const stats = channelRms(wav);
      assert.equal(stats.channels, 2);
      assert.equal(stats.rate, 8000);
      // The caller's 440 Hz tone on the left, the agent's 1 kHz tone on the right (silence is ~0).
      assert.ok(stats.rms[0]! > 1000, `caller channel RMS ${stats.rms[0]}`);
      assert.ok(stats.rms[1]! > 1000, `agent channel RMS ${stats.rms[1]}`);
      // The paused span is silence on both channels.
      assert.equal(rec.pauses.length, 1, JSON.stringify(rec.pauses));
      const pause = rec.pauses[0]!;
      assert.ok(pause.toMs - pause.fromMs >= 1000, JSON.stringify(pause));
      const silent = channelRms(wav, { fromMs: pause.fromMs, toMs: pause.toMs });
      assert.deepEqual(silent.rms, [0, 0]);
      const spoken = channelRms(wav, { fromMs: pause.toMs, toMs: pause.toMs + 1000 });
      assert.ok(spoken.rms[0]! > 1000 && spoken.rms[1]! > 1000, `after resume: ${spoken.rms.join()}`);

      const range = await t.hotline.app.inject({
        method: 'GET',
        url: `/api/recordings/${rec.id}/audio`,
        headers: { authorization: `Bearer ${t.adminToken}`, range: 'bytes=0-43' },
      });
      assert.equal(range.statusCode, 206);
      assert.equal(range.rawPayload.length, 44);
      assert.equal(range.headers['content-range'], `bytes 0-43/${wav.length}`);

      // Bob never handled this call: it does not exist for him.
      const other = await t.call('GET', `/api/interactions/${call.id}/recordings`, undefined, bob.token);
      assert.equal(other.status, 404);
      await until(
        'the legs to be cleaned up',
        () => voice().activeCalls() === 0 && voice().connectedCalls() === 0,
      );
    } finally {
      await caller.stop();
      await t
        .call('POST', `/api/interactions/${(await latestCall())!.id}/wrap-up`, {}, alice.token)
        .catch(() => undefined);
    }
  },
);

/** Waits until the call's recording holds two seconds, so the caller's scenario is past its pauses. */
async function talk(interactionId: string): Promise<void> {
  await until('two seconds of conversation', async () => {
    const [rec] = await t.hotline.services.store.voice.recordings(interactionId);
    return rec !== undefined && (await stat(rec.filePath)).size > 44 + 2 * 8000 * 4;
  });
}

async function setReservationTimeout(sec: number): Promise<void> {
  const res = await t.call('PATCH', `/api/queues/${queueId}`, { reservationTimeoutSec: sec }, t.adminToken);
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function finishWrapUp(id: string, a: Agent): Promise<void> {
  await t.call('POST', `/api/interactions/${id}/wrap-up`, {}, a.token);
}

test(
  'an unanswered phone: the reservation times out, the ringing is cancelled, the caller is offered again',
  LIMIT,
  async () => {
    await setReservationTimeout(3);
    await loggedOut(alice);
    await available(bob);
    const caller = callerSipp('agent-call.xml');
    try {
      await until('the offer to Bob', async () => (await latestCall())?.status === 'offered', 20_000);
      const call = (await latestCall())!;
      await until('the reservation to time out', async () =>
        (await eventTypes(call.id)).includes('requeued'),
      );
      assert.equal((await latestCall())?.status, 'queued');
      await available(alice);
      await until('Alice to answer', async () => (await latestCall())?.status === 'active');
      assert.equal((await latestCall())?.agentId, alice.id);
      await talk(call.id);
      alicePhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0, caller.log().slice(-3000));
      await until('wrap-up', async () => (await latestCall())?.status === 'wrap_up');
      const cdrs = (
        await t.call<CdrRecord[]>('GET', `/api/interactions/${call.id}/cdrs`, undefined, t.adminToken)
      ).body;
      const summary = cdrs.map(
        (c) =>
          `${c.direction}:${c.agentId === bob.id ? 'bob' : c.agentId === alice.id ? 'alice' : '-'}:${c.endCause}`,
      );
      assert.deepEqual(summary.sort(), [
        'inbound:alice:agent_hangup',
        'outbound:alice:agent_hangup',
        'outbound:bob:no_answer',
      ]);
      // Bob's phone took our CANCEL: it answered the INVITE 487 Request Terminated.
      assert.equal(cdrs.find((c) => c.agentId === bob.id)?.sipStatus, 487);
      await finishWrapUp(call.id, alice);
    } finally {
      await caller.stop();
      await setReservationTimeout(60);
    }
  },
);

test(
  'the caller hangs up while the agent phone rings: the ringing is cancelled, the call abandoned',
  LIMIT,
  async () => {
    await loggedOut(alice);
    await available(bob);
    const caller = callerSipp('ivr-call.xml');
    try {
      assert.equal(await caller.exited, 0, caller.log().slice(-3000));
      await until('the abandon', async () => (await latestCall())?.outcome === 'abandoned');
      const call = (await latestCall())!;
      const types = await eventTypes(call.id);
      assert.ok(types.includes('offered'), types.join());
      const cdrs = (
        await t.call<CdrRecord[]>('GET', `/api/interactions/${call.id}/cdrs`, undefined, t.adminToken)
      ).body;
      const summary = cdrs.map((c) => `${c.direction}:${c.endCause}`);
      assert.deepEqual(summary.sort(), ['inbound:caller_hangup', 'outbound:cancelled']);
      // The phone took our CANCEL: 487 Request Terminated.
      assert.equal(cdrs.find((c) => c.direction === 'outbound')?.sipStatus, 487);
      await until(
        'the legs to be cleaned up',
        () => voice().activeCalls() === 0 && voice().rtpPortsInUse() === 0,
      );
    } finally {
      await caller.stop();
    }
  },
);

test(
  'a phone that declines, and an agent with no phone registered: each offer is rejected and the caller keeps waiting',
  LIMIT,
  async () => {
    await loggedOut(alice);
    await available(bob);
    const bobLog = bobPhone.log().length;
    const caller = callerSipp('agent-call.xml');
    try {
      await until('the offer to Bob', async () => (await latestCall())?.status === 'offered');
      const call = (await latestCall())!;
      await until('Bob’s phone to ring', () => /Incoming call/.test(bobPhone.log().slice(bobLog)));
      // Bob declines on the phone itself.
      bobPhone.child.stdin.write('b');
      await until('the offer to come back', async () => (await eventTypes(call.id)).includes('requeued'));
      const bobState = await t.call<{ state: string }>(
        'GET',
        `/api/agents/${bob.id}/state`,
        undefined,
        t.adminToken,
      );
      assert.equal(bobState.body.state, 'not_ready');
      // Carol has credentials but no phone registered: her offer is rejected at once.
      const carol = await createUserWithAgent(t, 'carol', { skills: { [skillId]: 5 } });
      const sip = await t.call(
        'PUT',
        `/api/agents/${carol.id}/sip`,
        { username: 'carol', password: 'carol-phone-1' },
        t.adminToken,
      );
      assert.equal(sip.status, 200);
      await available(carol);
      await until('Carol’s offer to be rejected', async () =>
        (await t.hotline.services.store.interactions.events(call.id)).some(
          (e) => e.type === 'offer_cancelled' && e.agentId === carol.id,
        ),
      );
      assert.equal((await latestCall())?.status, 'queued');
      await available(alice);
      await until('Alice to answer', async () => (await latestCall())?.status === 'active');
      await talk(call.id);
      alicePhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0, caller.log().slice(-3000));
      await until('wrap-up', async () => (await latestCall())?.status === 'wrap_up');
      const cdrs = (
        await t.call<CdrRecord[]>('GET', `/api/interactions/${call.id}/cdrs`, undefined, t.adminToken)
      ).body;
      const bobLeg = cdrs.find((c) => c.agentId === bob.id);
      assert.equal(bobLeg?.endCause, 'rejected');
      assert.ok((bobLeg?.sipStatus ?? 0) >= 400, JSON.stringify(bobLeg));
      assert.equal(cdrs.filter((c) => c.agentId === carol.id).length, 0, 'no leg was placed to Carol');
      await finishWrapUp(call.id, alice);
      await loggedOut(carol);
    } finally {
      await caller.stop();
    }
  },
);
