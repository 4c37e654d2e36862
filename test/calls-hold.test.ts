// Call control on a connected call over real sockets: a SIPp caller reaches Alice's baresip phone,
// then holds and resumes from its own phone by re-INVITE (a=sendonly answered a=recvonly, then
// sendrecv); Alice holds and resumes through the API (the caller hears hold music meanwhile) and
// from her phone's hold key (a re-INVITE on our outbound dialog), sends DTMF to the caller's side,
// and the call goes on to the end. Interaction events record each hold and resume. Then a blind
// transfer to a queue: Alice's phone is hung up, the caller waits again and Bob's phone answers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import type { CdrRecord, InteractionRecord } from '../src/services/records.js';
import type { TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';
import { rtpPcap, startSipp, tone, type Peer } from './helpers/voice-peers.js';
import {
  giveSipAccount,
  registeredPhone,
  startVoiceLine,
  until,
  type VoiceLine,
} from './helpers/voice-line.js';

const LIMIT = { timeout: 90_000 };
// Above the ephemeral range and away from the other voice tests, which may run alongside.
const BASE = 61000 + (process.pid % 40) * 100;
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
let alice: Agent;
let bob: Agent;
let alicePhone: Peer;
let bobPhone: Peer;
const voice = () => line.voice();
const latestCall = () => line.latestCall();

before(async () => {
  line = await startVoiceLine({
    prefix: 'hotline-hold-',
    rtp: HOTLINE_RTP,
    queue: { wrapUpSec: 60, reservationTimeoutSec: 60 },
  });
  ({ t, queueId } = line);
  alice = await createUserWithAgent(t, 'alice', { skills: { [line.skillId]: 5 } });
  bob = await createUserWithAgent(t, 'bob', { skills: { [line.skillId]: 5 } });
  await giveSipAccount(t, alice.id, 'alice', 'alice-phone-1');
  await giveSipAccount(t, bob.id, 'bob', 'bob-phone-12');
  const phone = { audio: tone(1000, 30), autoAnswer: true };
  alicePhone = await registeredPhone(line, {
    ...phone,
    user: 'alice',
    password: 'alice-phone-1',
    rtpPorts: ALICE_RTP,
  });
  bobPhone = await registeredPhone(line, {
    ...phone,
    user: 'bob',
    password: 'bob-phone-12',
    rtpPorts: BOB_RTP,
  });
});

after(async () => {
  await alicePhone?.stop();
  await bobPhone?.stop();
  await line?.stop();
});

/**
 * Alice goes available and a SIPp caller (440 Hz) reaches her phone through the menu; answers once
 * the call is two seconds in (SIPp takes a BYE only once its scenario waits for one).
 */
async function aliceAnswers(): Promise<{ caller: Peer; call: InteractionRecord }> {
  const login = await t.call(
    'POST',
    `/api/agents/${alice.id}/presence`,
    { presence: 'available' },
    alice.token,
  );
  assert.ok(login.status < 300, JSON.stringify(login.body));
  const caller = startSipp('agent-call.xml', `127.0.0.1:${voice().sipPort}`, {
    mediaPort: CALLER_RTP,
    files: { 'caller.pcap': rtpPcap(tone(440, 30)) },
    extra: ['-timeout', '60s'],
  });
  try {
    await until('Alice to answer', async () => {
      const c = await latestCall();
      return c?.status === 'active' && c.agentId === alice.id;
    });
    const call = (await latestCall())!;
    const [rec] = (await t.hotline.services.store.voice.recordings(call.id)) ?? [];
    assert.ok(rec);
    await until('two seconds of the call', async () => (await stat(rec.filePath)).size > 44 + 2 * 8000 * 4);
    return { caller, call };
  } catch (err) {
    await caller.stop();
    throw new Error(`${String(err)}\n${caller.log().slice(-3000)}`, { cause: err });
  }
}

/** The interaction's hold events as `held:by` / `resumed:by`. */
async function holdEvents(id: string): Promise<string[]> {
  return (await t.hotline.services.store.interactions.events(id))
    .filter((e) => e.type === 'held' || e.type === 'resumed')
    .map((e) => `${e.type}:${String(e.details?.by)}`);
}

test(
  'hold and resume from the caller’s phone, the API and the agent’s phone; DTMF to the caller',
  LIMIT,
  async () => {
    const login = await t.call(
      'POST',
      `/api/agents/${alice.id}/login`,
      { presence: 'available' },
      alice.token,
    );
    assert.ok(login.status < 300, JSON.stringify(login.body));
    const caller = startSipp('caller-hold.xml', `127.0.0.1:${voice().sipPort}`, {
      mediaPort: CALLER_RTP,
      files: { 'caller.pcap': rtpPcap(tone(440, 30)) },
    });
    try {
      await until(
        'the call to be answered by the agent',
        async () => (await latestCall())?.status === 'active',
      );
      const call = (await latestCall())!;
      // Not connected yet for the API? It is: the interaction is active once bridged.
      // The caller's re-INVITEs: a=sendonly answered a=recvonly (SIPp checks), then sendrecv.
      await until(
        'the caller to hold and resume',
        async () => (await holdEvents(call.id)).join() === 'held:caller,resumed:caller',
        30_000,
      );

      // Someone else's agent may not hold Alice's call; it does not exist for Bob.
      const other = await t.call('POST', `/api/interactions/${call.id}/hold`, {}, bob.token);
      assert.equal(other.status, 404, JSON.stringify(other.body));
      const held = await t.call('POST', `/api/interactions/${call.id}/hold`, {}, alice.token);
      assert.equal(held.status, 200, JSON.stringify(held.body));
      assert.deepEqual(held.body, { interactionId: call.id, held: true, heldBy: ['api'] });
      const state = await t.call('GET', `/api/interactions/${call.id}/hold`, undefined, t.adminToken);
      assert.deepEqual(state.body, held.body);
      const resumed = await t.call('POST', `/api/interactions/${call.id}/resume`, {}, t.adminToken);
      assert.deepEqual(resumed.body, { interactionId: call.id, held: false, heldBy: [] });

      // Digits to the caller's side (a remote IVR); bad digits are refused.
      const bad = await t.call('POST', `/api/interactions/${call.id}/dtmf`, { digits: '12x' }, alice.token);
      assert.equal(bad.status, 400);
      const sent = await t.call('POST', `/api/interactions/${call.id}/dtmf`, { digits: '12#' }, alice.token);
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.deepEqual(sent.body, { sent: 3 });

      // Alice's hold key: her phone re-INVITEs with a=sendonly on our outbound dialog.
      alicePhone.child.stdin.write('x');
      await until('the phone to hold', async () => (await holdEvents(call.id)).includes('held:agent'));
      const byPhone = await t.call('GET', `/api/interactions/${call.id}/hold`, undefined, alice.token);
      assert.deepEqual(byPhone.body, { interactionId: call.id, held: true, heldBy: ['agent'] });
      alicePhone.child.stdin.write('X');
      await until('the phone to resume', async () => (await holdEvents(call.id)).includes('resumed:agent'));

      assert.deepEqual(await holdEvents(call.id), [
        'held:caller',
        'resumed:caller',
        'held:api',
        'resumed:api',
        'held:agent',
        'resumed:agent',
      ]);
      // The call went on through all of it: Alice hangs up and the caller gets the BYE.
      alicePhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0, caller.log().slice(-3000));
      await until('wrap-up', async () => (await latestCall())?.status === 'wrap_up');
      const after = await t.call('POST', `/api/interactions/${call.id}/hold`, {}, alice.token);
      assert.equal(after.status, 409);
      assert.equal((after.body as { error: { code: string } }).error.code, 'CALL_NOT_CONNECTED');
      await t.call('POST', `/api/interactions/${call.id}/wrap-up`, {}, alice.token);
    } catch (err) {
      throw new Error(`${String(err)}\n${caller.log().slice(-3000)}`, { cause: err });
    } finally {
      await caller.stop();
    }
  },
);

test(
  'a blind transfer to a queue: the agent leg hangs up, the caller waits again, another agent answers',
  LIMIT,
  async () => {
    const { caller, call: first } = await aliceAnswers();
    try {
      const bobIn = await t.call('POST', `/api/agents/${bob.id}/login`, { presence: 'available' }, bob.token);
      assert.ok(bobIn.status < 300, JSON.stringify(bobIn.body));
      const wrong = await t.call(
        'POST',
        `/api/interactions/${first.id}/transfer`,
        { to: { queueId: '00000000-0000-4000-8000-000000000000' } },
        alice.token,
      );
      assert.equal(wrong.status, 404, JSON.stringify(wrong.body));
      const moved = await t.call<{ interactionId: string; transferredFrom: string }>(
        'POST',
        `/api/interactions/${first.id}/transfer`,
        { to: { queueId } },
        alice.token,
      );
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal(moved.body.transferredFrom, first.id);
      const next = moved.body.interactionId;
      assert.notEqual(next, first.id);
      // Alice's part is over: wrap-up for her, while Bob's phone answers the caller.
      await until(
        'Alice’s wrap-up',
        async () => (await t.hotline.services.store.interactions.byId(first.id))?.status === 'wrap_up',
      );
      await until(
        'Bob to answer',
        async () => (await t.hotline.services.store.interactions.byId(next))?.status === 'active',
      );
      const second = (await t.hotline.services.store.interactions.byId(next))!;
      assert.equal(second.agentId, bob.id);
      assert.equal(second.metadata.transferredFrom, first.id);
      bobPhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0, caller.log().slice(-3000));
      await until(
        'Bob’s wrap-up',
        async () => (await t.hotline.services.store.interactions.byId(next))?.status === 'wrap_up',
      );

      const legs = async (id: string): Promise<string[]> =>
        (await t.call<CdrRecord[]>('GET', `/api/interactions/${id}/cdrs`, undefined, t.adminToken)).body
          .map(
            (c) =>
              `${c.direction}:${c.agentId === bob.id ? 'bob' : c.agentId === alice.id ? 'alice' : '-'}:${c.endCause}`,
          )
          .sort();
      assert.deepEqual(await legs(first.id), ['outbound:alice:transferred']);
      assert.deepEqual(await legs(next), ['inbound:bob:agent_hangup', 'outbound:bob:agent_hangup']);
      assert.ok(
        (await t.hotline.services.store.interactions.events(first.id)).some((e) => e.type === 'transferred'),
      );
      await t.call('POST', `/api/interactions/${first.id}/wrap-up`, {}, alice.token);
      await t.call('POST', `/api/interactions/${next}/wrap-up`, {}, bob.token);
    } catch (err) {
      throw new Error(`${String(err)}\n${caller.log().slice(-3000)}`, { cause: err });
    } finally {
      await caller.stop();
    }
  },
);

test(
  'the agent hangs up from the desk (API): both phones get a BYE, the call goes to wrap-up',
  LIMIT,
  async () => {
    const { caller, call } = await aliceAnswers();
    try {
      const notHers = await t.call('POST', `/api/interactions/${call.id}/hangup`, {}, bob.token);
      assert.ok(notHers.status === 403 || notHers.status === 404, JSON.stringify(notHers.body));
      const done = await t.call('POST', `/api/interactions/${call.id}/hangup`, {}, alice.token);
      assert.equal(done.status, 204, JSON.stringify(done.body));
      // The caller's side gets its BYE (SIPp's scenario ends cleanly on it), and so does Alice's phone.
      assert.equal(await caller.exited, 0, caller.log().slice(-3000));
      await alicePhone.waitFor(/terminated|closed/i);
      await until(
        'Alice’s wrap-up',
        async () => (await t.hotline.services.store.interactions.byId(call.id))?.status === 'wrap_up',
      );
      const causes = (
        await t.call<CdrRecord[]>('GET', `/api/interactions/${call.id}/cdrs`, undefined, t.adminToken)
      ).body
        .map((c) => `${c.direction}:${c.endCause}`)
        .sort();
      assert.deepEqual(causes, ['inbound:agent_hangup', 'outbound:agent_hangup']);
      const again = await t.call<{ error: { code: string } }>(
        'POST',
        `/api/interactions/${call.id}/hangup`,
        {},
        alice.token,
      );
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'CALL_NOT_CONNECTED');
      await t.call('POST', `/api/interactions/${call.id}/wrap-up`, {}, alice.token);
    } catch (err) {
      throw new Error(`${String(err)}\n${caller.log().slice(-3000)}`, { cause: err });
    } finally {
      await caller.stop();
    }
  },
);
