// Transfers between agents over real sockets: a SIPp caller (440 Hz) reaches Alice's baresip phone
// (a short 1 kHz hello, then silence); Bob's baresip phone says 2 kHz all along; Carol is logged in
// but has no phone registered. Blind transfer to an agent (Bob answers; Carol not answering sends
// the caller back to Alice), consult then cancel, consult then complete, and a three-way conference
// where Bob's voice reaches the call's recording and anyone hanging up leaves the other two talking;
// then REFER from Alice's phone (baresip /transfer): NOTIFY 403 for a number, a blind transfer to Bob.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { CdrRecord, InteractionRecord } from '../src/services/records.js';
import type { TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';
import { channelRms, rtpPcap, startSipp, tone, type Peer } from './helpers/voice-peers.js';
import {
  giveSipAccount,
  registeredPhone,
  startVoiceLine,
  until as untilWithin,
  type VoiceLine,
} from './helpers/voice-line.js';

const LIMIT = { timeout: 150_000 };
// This file's own range, away from the other voice tests that may run alongside.
const BASE = 12500 + (process.pid % 40) * 60;
const HOTLINE_RTP: [number, number] = [BASE, BASE + 23];
const CALLER_RTP = BASE + 26;
const ALICE_RTP: [number, number] = [BASE + 30, BASE + 43];
const BOB_RTP: [number, number] = [BASE + 44, BASE + 57];

/** Two seconds of 1 kHz, then 88 of silence. */
function hello(): Int16Array {
  const out = new Int16Array(90 * 8000);
  out.set(tone(1000, 2));
  return out;
}

interface Agent {
  id: string;
  token: string;
  username: string;
}

let line: VoiceLine;
let t: TestHotline;
let queueId: string;
let alice: Agent;
let bob: Agent;
let carol: Agent;
let alicePhone: Peer;
let bobPhone: Peer;

before(async () => {
  line = await startVoiceLine({
    prefix: 'hotline-transfer-',
    rtp: HOTLINE_RTP,
    queue: { wrapUpSec: 60, reservationTimeoutSec: 60 },
  });
  t = line.t;
  queueId = line.queueId;
  // Only Alice has the queue's skill: Bob and Carol get callers by transfer alone.
  alice = await createUserWithAgent(t, 'alice', { skills: { [line.skillId]: 5 } });
  bob = await createUserWithAgent(t, 'bob', {});
  carol = await createUserWithAgent(t, 'carol', {});
  await giveSipAccount(t, alice.id, alice.username, 'alice-phone-1');
  await giveSipAccount(t, bob.id, bob.username, 'bob-phone-12');
  await giveSipAccount(t, carol.id, carol.username, 'carol-phone-1');
  alicePhone = await registeredPhone(line, {
    user: 'alice',
    password: 'alice-phone-1',
    autoAnswer: true,
    // baresip hangs up when its sound file ends: a hello, then a long silence.
    audio: hello(),
    rtpPorts: ALICE_RTP,
  });
  bobPhone = await registeredPhone(line, {
    user: 'bob',
    password: 'bob-phone-12',
    autoAnswer: true,
    audio: tone(2000, 90),
    rtpPorts: BOB_RTP,
  });
});

after(async () => {
  await alicePhone?.stop();
  await bobPhone?.stop();
  await line?.stop();
});

const voice = () => line.voice();

/** Transfers ring two phones in turn: a longer wait than the helper's default. */
const until = (what: string, check: () => Promise<boolean> | boolean, ms = 30_000) =>
  untilWithin(what, check, ms);

const byId = (id: string): Promise<InteractionRecord | undefined> =>
  t.hotline.services.store.interactions.byId(id);

async function presence(a: Agent, p: 'available' | 'not_ready' | 'logout'): Promise<void> {
  if (p === 'logout') {
    // Logged out already is fine too.
    await t.call('POST', `/api/agents/${a.id}/logout`, {}, a.token);
    return;
  }
  const res = await t.call('POST', `/api/agents/${a.id}/login`, { presence: p }, a.token);
  if (res.status >= 300) {
    const again = await t.call('POST', `/api/agents/${a.id}/presence`, { presence: p }, a.token);
    assert.ok(again.status < 300, JSON.stringify(again.body));
  }
}

/** The agents' phones ring only for what this test sets up: everyone available, nothing waiting. */
async function freshCall(): Promise<{ caller: Peer; call: InteractionRecord }> {
  for (const a of [alice, bob]) await presence(a, 'available');
  const before = new Set(
    (await t.hotline.services.store.interactions.list({ queueId, limit: 200, offset: 0 })).map((i) => i.id),
  );
  const caller = startSipp('caller-transfer.xml', `127.0.0.1:${voice().sipPort}`, {
    mediaPort: CALLER_RTP,
    files: { 'caller.pcap': rtpPcap(tone(440, 90)) },
    extra: ['-timeout', '140s'],
  });
  let call: InteractionRecord | undefined;
  await until('Alice to answer', async () => {
    const all = await t.hotline.services.store.interactions.list({ queueId, limit: 200, offset: 0 });
    call = all.find((i) => !before.has(i.id) && i.status === 'active');
    return call !== undefined;
  });
  assert.equal(call!.agentId, alice.id);
  // SIPp takes a BYE only once its scenario waits for one (after the tone starts): two seconds in.
  const [rec] = (await t.hotline.services.store.voice.recordings(call!.id)) ?? [];
  assert.ok(rec);
  await until('two seconds of the call', async () => (await stat(rec.filePath)).size > 44 + 2 * 8000 * 4);
  return { caller, call: call! };
}

/** Each leg's CDR as `direction:agent:cause`, sorted. */
async function legs(id: string): Promise<string[]> {
  const names = new Map([
    [alice.id, 'alice'],
    [bob.id, 'bob'],
    [carol.id, 'carol'],
  ]);
  const res = await t.call<CdrRecord[]>('GET', `/api/interactions/${id}/cdrs`, undefined, t.adminToken);
  return res.body.map((c) => `${c.direction}:${names.get(c.agentId ?? '') ?? '-'}:${c.endCause}`).sort();
}

/** The `call.consult` events published for the interaction, as `state` or `ended:reason`. */
function consultEvents(id: string): string[] {
  const all = t.hotline.services.hub.since(0);
  assert.notEqual(all, 'gap');
  return (all as { type: string; data: unknown }[])
    .filter((e) => e.type === 'call.consult')
    .map((e) => e.data as { interactionId: string; state: string; reason?: string })
    .filter((d) => d.interactionId === id)
    .map((d) => (d.state === 'ended' ? `ended:${d.reason}` : d.state));
}

async function wrapUp(id: string, a: Agent): Promise<void> {
  await until('wrap-up', async () => (await byId(id))?.status === 'wrap_up');
  const done = await t.call('POST', `/api/interactions/${id}/wrap-up`, {}, a.token);
  assert.ok(done.status < 300, JSON.stringify(done.body));
}

async function withCaller(caller: Peer, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    throw new Error(`${String(err)}\n${caller.log().slice(-3000)}`, { cause: err });
  } finally {
    await caller.stop();
  }
}

test(
  'a blind transfer to an agent: their phone rings, they answer and the caller talks to them',
  LIMIT,
  async () => {
    const { caller, call } = await freshCall();
    await withCaller(caller, async () => {
      await presence(carol, 'logout');
      const absent = await t.call(
        'POST',
        `/api/interactions/${call.id}/transfer`,
        { to: { agentId: carol.id } },
        alice.token,
      );
      assert.equal(absent.status, 409, JSON.stringify(absent.body));
      assert.equal((absent.body as { error: { code: string } }).error.code, 'AGENT_NOT_AVAILABLE');
      const moved = await t.call<{ interactionId: string; transferredFrom: string }>(
        'POST',
        `/api/interactions/${call.id}/transfer`,
        { to: { agentId: bob.id } },
        alice.token,
      );
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      const next = moved.body.interactionId;
      await until('Bob to answer', async () => (await byId(next))?.status === 'active');
      const second = (await byId(next))!;
      assert.equal(second.agentId, bob.id);
      assert.equal(second.metadata.transferredFrom, call.id);
      await wrapUp(call.id, alice);
      bobPhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0);
      await wrapUp(next, bob);
      assert.deepEqual(await legs(call.id), ['outbound:alice:transferred']);
      assert.deepEqual(await legs(next), ['inbound:bob:agent_hangup', 'outbound:bob:agent_hangup']);
    });
  },
);

test('a blind transfer nobody answers goes back to the first agent', LIMIT, async () => {
  const { caller, call } = await freshCall();
  await withCaller(caller, async () => {
    // Carol is available but has no phone registered: her offer is refused at once.
    await presence(carol, 'available');
    const moved = await t.call<{ interactionId: string }>(
      'POST',
      `/api/interactions/${call.id}/transfer`,
      { to: { agentId: carol.id } },
      alice.token,
    );
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const next = moved.body.interactionId;
    // Alice ends her wrap-up: the caller waiting for her comes back to her phone.
    await wrapUp(call.id, alice);
    await until('Alice to answer again', async () => (await byId(next))?.status === 'active');
    assert.equal((await byId(next))!.agentId, alice.id);
    const events = await t.hotline.services.store.interactions.events(next);
    assert.ok(
      events.some((e) => e.type === 'offered' || e.type === 'requeued'),
      JSON.stringify(events),
    );
    alicePhone.child.stdin.write('b');
    assert.equal(await caller.exited, 0);
    await wrapUp(next, alice);
    await presence(carol, 'logout');
  });
});

test(
  'consult, then cancel: the caller holds while the agents talk, then talks to Alice again',
  LIMIT,
  async () => {
    const { caller, call } = await freshCall();
    await withCaller(caller, async () => {
      const none = await t.call('POST', `/api/interactions/${call.id}/consult/cancel`, {}, alice.token);
      assert.equal((none.body as { error: { code: string } }).error.code, 'CONSULT_NOT_ACTIVE');
      const started = await t.call(
        'POST',
        `/api/interactions/${call.id}/consult`,
        { agentId: bob.id },
        alice.token,
      );
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.equal((started.body as { state: string }).state, 'ringing');
      const held = await t.call<{ held: boolean }>(
        'GET',
        `/api/interactions/${call.id}/hold`,
        undefined,
        alice.token,
      );
      assert.equal(held.body.held, true);
      await until('Bob to answer the consult', async () => {
        const now = await t.call<{ state: string }>(
          'GET',
          `/api/interactions/${call.id}/consult`,
          undefined,
          alice.token,
        );
        return now.body.state === 'talking';
      });
      const again = await t.call(
        'POST',
        `/api/interactions/${call.id}/consult`,
        { agentId: bob.id },
        alice.token,
      );
      assert.equal((again.body as { error: { code: string } }).error.code, 'CONSULT_ACTIVE');
      const cancelled = await t.call('POST', `/api/interactions/${call.id}/consult/cancel`, {}, alice.token);
      assert.equal(cancelled.status, 204, JSON.stringify(cancelled.body));
      const resumed = await t.call<{ held: boolean }>(
        'GET',
        `/api/interactions/${call.id}/hold`,
        undefined,
        alice.token,
      );
      assert.equal(resumed.body.held, false);
      assert.equal((await byId(call.id))?.status, 'active');
      assert.deepEqual(consultEvents(call.id), ['ringing', 'talking', 'ended:cancelled']);
      alicePhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0);
      await wrapUp(call.id, alice);
      assert.deepEqual(await legs(call.id), [
        'inbound:alice:agent_hangup',
        'outbound:alice:agent_hangup',
        'outbound:bob:cancelled',
      ]);
    });
  },
);

test('consult, then complete: the caller is bridged to Bob as a new interaction', LIMIT, async () => {
  const { caller, call } = await freshCall();
  await withCaller(caller, async () => {
    const started = await t.call(
      'POST',
      `/api/interactions/${call.id}/consult`,
      { agentId: bob.id },
      alice.token,
    );
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await until('Bob to answer the consult', () => consultEvents(call.id).includes('talking'));
    const done = await t.call<{ interactionId: string; transferredFrom: string }>(
      'POST',
      `/api/interactions/${call.id}/consult/complete`,
      {},
      alice.token,
    );
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const next = done.body.interactionId;
    await until('Bob to have the caller', async () => (await byId(next))?.status === 'active');
    assert.equal((await byId(next))!.agentId, bob.id);
    assert.equal((await byId(next))!.metadata.transferredFrom, call.id);
    await wrapUp(call.id, alice);
    assert.deepEqual(consultEvents(call.id), ['ringing', 'talking', 'ended:completed']);
    // Bob's phone was not rung again: the consult's leg carries the call.
    bobPhone.child.stdin.write('b');
    assert.equal(await caller.exited, 0);
    await wrapUp(next, bob);
    assert.deepEqual(await legs(call.id), ['outbound:alice:transferred']);
    assert.deepEqual(await legs(next), ['inbound:bob:agent_hangup', 'outbound:bob:agent_hangup']);
  });
});

test(
  'a three-way conference: Bob is heard in the recording; Bob leaving keeps the call, then Alice leaving hands it to Bob',
  LIMIT,
  async () => {
    const { caller, call } = await freshCall();
    await withCaller(caller, async () => {
      await t.call('POST', `/api/interactions/${call.id}/consult`, { agentId: bob.id }, alice.token);
      await until('Bob to answer the consult', () => consultEvents(call.id).includes('talking'));
      const conf = await t.call<{ state: string }>(
        'POST',
        `/api/interactions/${call.id}/conference`,
        {},
        alice.token,
      );
      assert.equal(conf.status, 200, JSON.stringify(conf.body));
      assert.equal(conf.body.state, 'conference');
      const held = await t.call<{ held: boolean }>(
        'GET',
        `/api/interactions/${call.id}/hold`,
        undefined,
        alice.token,
      );
      assert.equal(held.body.held, false);
      // Three seconds of conference: Alice's hello is long over, so the agent side of the recording is Bob.
      await new Promise((r) => setTimeout(r, 3000));
      // Alice hangs up: the caller stays, now with Bob, as a new interaction.
      alicePhone.child.stdin.write('b');
      await until('the hand-over', () => consultEvents(call.id).includes('ended:handed_to_consulted'));
      await wrapUp(call.id, alice);
      const [rec] = (await t.hotline.services.store.voice.recordings(call.id)) ?? [];
      assert.ok(rec?.durationMs, 'the first interaction’s recording is closed');
      const wav = readFileSync(rec.filePath);
      const last = channelRms(wav, { fromMs: rec.durationMs - 2500, toMs: rec.durationMs - 500 });
      assert.ok(last.rms[0]! > 500, `the caller is recorded: ${JSON.stringify(last)}`);
      assert.ok(last.rms[1]! > 500, `Bob is heard in the conference: ${JSON.stringify(last)}`);
      const all = await t.hotline.services.store.interactions.list({ limit: 200, offset: 0 });
      const next = all.find((i) => i.metadata.transferredFrom === call.id);
      assert.ok(next);
      await until('Bob to have the caller', async () => (await byId(next.id))?.status === 'active');
      assert.equal((await byId(next.id))!.agentId, bob.id);
      bobPhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0);
      await wrapUp(next.id, bob);
      assert.deepEqual(await legs(call.id), ['outbound:alice:transferred']);
    });
  },
);

test('a conference Bob leaves goes on between the caller and Alice', LIMIT, async () => {
  const { caller, call } = await freshCall();
  await withCaller(caller, async () => {
    await t.call('POST', `/api/interactions/${call.id}/consult`, { agentId: bob.id }, alice.token);
    await until('Bob to answer the consult', () => consultEvents(call.id).includes('talking'));
    const conf = await t.call('POST', `/api/interactions/${call.id}/conference`, {}, alice.token);
    assert.equal(conf.status, 200, JSON.stringify(conf.body));
    bobPhone.child.stdin.write('b');
    await until('Bob to leave', () => consultEvents(call.id).includes('ended:consulted_hangup'));
    assert.equal((await byId(call.id))?.status, 'active');
    const gone = await t.call('GET', `/api/interactions/${call.id}/consult`, undefined, alice.token);
    assert.equal((gone.body as { error: { code: string } }).error.code, 'CONSULT_NOT_ACTIVE');
    alicePhone.child.stdin.write('b');
    assert.equal(await caller.exited, 0);
    await wrapUp(call.id, alice);
    assert.deepEqual(await legs(call.id), [
      'inbound:alice:agent_hangup',
      'outbound:alice:agent_hangup',
      'outbound:bob:agent_hangup',
    ]);
  });
});

test(
  'REFER from the agent’s phone to a number with no dial-out: NOTIFY 403, the phone gives up',
  LIMIT,
  async () => {
    const { caller, call } = await freshCall();
    await withCaller(caller, async () => {
      // 202, NOTIFY 100 Trying, then NOTIFY 403 (baresip then hangs up by itself).
      alicePhone.child.stdin.write('/transfer sip:12025550199@hotline.test\n');
      await until('the 403 NOTIFY', () => /transfer failed: 403 Forbidden/.test(alicePhone.log()));
      assert.equal(await caller.exited, 0);
      await wrapUp(call.id, alice);
      const events = await t.hotline.services.store.interactions.events(call.id);
      assert.ok(!events.some((e) => e.type === 'transferred'));
    });
  },
);

test('REFER from the agent’s phone to an agent’s SIP user: a blind transfer', LIMIT, async () => {
  const { caller, call } = await freshCall();
  await withCaller(caller, async () => {
    alicePhone.child.stdin.write('/transfer sip:bob@hotline.test\n');
    let next: InteractionRecord | undefined;
    await until('Bob to have the caller', async () => {
      const all = await t.hotline.services.store.interactions.list({ limit: 200, offset: 0 });
      next = all.find((i) => i.metadata.transferredFrom === call.id && i.status === 'active');
      return next !== undefined;
    });
    assert.equal(next!.agentId, bob.id);
    const events = await t.hotline.services.store.interactions.events(call.id);
    const transferred = events.find((e) => e.type === 'transferred');
    assert.equal(transferred?.details?.via, 'refer');
    await wrapUp(call.id, alice);
    bobPhone.child.stdin.write('b');
    assert.equal(await caller.exited, 0);
    await wrapUp(next!.id, bob);
    assert.deepEqual(await legs(call.id), ['outbound:alice:transferred']);
  });
});
