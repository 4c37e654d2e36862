// Consulting beyond another agent, with real peers: a SIPp caller (440 Hz) reaches Alice's baresip
// phone (1 kHz); SIPp is the carrier behind the trunk (700 Hz); Bob (baresip, 2 kHz) is the only
// agent of the Experts queue. Alice consults a number: the caller holds, the carrier answers, then
// she completes (the caller talks to the number on the same interaction, recorded in stereo),
// cancels (the number is hung up and she has the caller back), nobody answers (the ringing is
// CANCELled at the ring timeout), or she makes it a conference and leaves. She consults Experts:
// the consult waits there until Bob goes available and answers; cancelled, it leaves the queue.
// And the IVR's transfer node to a number makes an interaction of its own with a recording.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CdrRecord, InteractionRecord } from '../src/services/records.js';
import type { TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';
import { channelRms, freeSipPort, rtpPcap, startSipp, tone, type Peer } from './helpers/voice-peers.js';
import {
  giveSipAccount,
  registeredPhone,
  startVoiceLine,
  until as untilWithin,
  type VoiceLine,
} from './helpers/voice-line.js';

const LIMIT = { timeout: 120_000 };
// This file's own range, away from the other voice tests that may run alongside.
const BASE = 20000 + (process.pid % 40) * 60;
const HOTLINE_RTP: [number, number] = [BASE, BASE + 23];
const CALLER_RTP = BASE + 26;
const CARRIER_RTP = BASE + 36;
const ALICE_RTP: [number, number] = [BASE + 40, BASE + 47];
const BOB_RTP: [number, number] = [BASE + 48, BASE + 57];
const ALLOWED = '+12025550100';
const REFUSED = '+442079460000';

interface Agent {
  id: string;
  token: string;
  username: string;
}

let line: VoiceLine;
let t: TestHotline;
let configDir: string;
let queueId: string;
let carrierPort: number;
let alice: Agent;
let alicePhone: Peer;
let bob: Agent;
let bobPhone: Peer;
let expertsId: string;

before(async () => {
  configDir = mkdtempSync(join(tmpdir(), 'hotline-consult-number-config-'));
  carrierPort = await freeSipPort();
  const configFile = join(configDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      sip: {
        trunks: [
          {
            name: 'carrier',
            sources: ['127.0.0.0/8'],
            dids: ['*'],
            outboundProxy: `127.0.0.1:${carrierPort}`,
            domain: 'carrier.test',
            callerId: '+15550001111',
          },
        ],
      },
      voice: { callerId: '+15550002222', dialPlan: ['+1NXXNXXXXXX'], trunkPingSec: 0, ringTimeoutSec: 5 },
    }),
  );
  line = await startVoiceLine({
    prefix: 'hotline-consult-number-',
    rtp: HOTLINE_RTP,
    env: { HOTLINE_CONFIG: configFile },
    queue: { wrapUpSec: 60, reservationTimeoutSec: 60 },
    flow: (billing) => ({
      version: 1,
      name: 'Test line',
      start: 'menu',
      nodes: {
        menu: {
          kind: 'menu',
          prompt: 'menu',
          options: [
            { digit: '1', next: 'billing' },
            { digit: '2', next: 'out' },
          ],
          timeoutSec: 10,
        },
        out: { kind: 'transfer', to: ALLOWED, onError: 'billing' },
        billing: { kind: 'queue', queueId: billing },
      },
    }),
  });
  t = line.t;
  queueId = line.queueId;
  // Experts: only Bob has its skill (and he does not serve Billing).
  const expert = await t.call('POST', '/api/skills', { name: 'experts' }, t.adminToken);
  const expertSkill = (expert.body as { id: string }).id;
  const experts = await t.call(
    'POST',
    '/api/queues',
    { name: 'Experts', requirements: [{ skillId: expertSkill, minLevel: 1 }], wrapUpSec: 60 },
    t.adminToken,
  );
  assert.equal(experts.status, 201, JSON.stringify(experts.body));
  expertsId = (experts.body as { id: string }).id;
  alice = await createUserWithAgent(t, 'alice', { skills: { [line.skillId]: 5 } });
  bob = await createUserWithAgent(t, 'bob', { skills: { [expertSkill]: 5 } });
  await giveSipAccount(t, bob.id, 'bob', 'bob-phone-12');
  bobPhone = await registeredPhone(line, {
    user: 'bob',
    password: 'bob-phone-12',
    autoAnswer: true,
    audio: tone(2000, 90),
    rtpPorts: BOB_RTP,
  });
  await giveSipAccount(t, alice.id, 'alice', 'alice-phone-1');
  alicePhone = await registeredPhone(line, {
    user: 'alice',
    password: 'alice-phone-1',
    autoAnswer: true,
    audio: tone(1000, 90),
    rtpPorts: ALICE_RTP,
  });
});

after(async () => {
  await alicePhone?.stop();
  await bobPhone?.stop();
  await line?.stop();
  rmSync(configDir, { recursive: true, force: true });
});

const voice = () => line.voice();

/** Consults ring phones and carriers in turn: a longer wait than the helper's default. */
const until = (what: string, check: () => Promise<boolean> | boolean, ms = 30_000) =>
  untilWithin(what, check, ms);

const byId = (id: string): Promise<InteractionRecord | undefined> =>
  t.hotline.services.store.interactions.byId(id);

/** SIPp as the carrier behind the trunk. */
function carrier(scenario: string, holdMs = 3000): Peer {
  return startSipp(scenario, '127.0.0.1:5060', {
    mediaPort: CARRIER_RTP,
    files: { 'carrier.pcap': rtpPcap(tone(700, 30)) },
    extra: ['-p', String(carrierPort), '-d', String(holdMs)],
  });
}

/** A caller Alice answers, two seconds into the call (SIPp takes a BYE only from then on). */
async function freshCall(): Promise<{ caller: Peer; call: InteractionRecord }> {
  const login = await t.call('POST', `/api/agents/${alice.id}/login`, { presence: 'available' }, alice.token);
  if (login.status >= 300) {
    const again = await t.call(
      'POST',
      `/api/agents/${alice.id}/presence`,
      { presence: 'available' },
      alice.token,
    );
    assert.ok(again.status < 300, JSON.stringify(again.body));
  }
  const before = new Set(
    (await t.hotline.services.store.interactions.list({ queueId, limit: 200, offset: 0 })).map((i) => i.id),
  );
  const caller = startSipp('caller-transfer.xml', `127.0.0.1:${voice().sipPort}`, {
    mediaPort: CALLER_RTP,
    files: { 'caller.pcap': rtpPcap(tone(440, 90)) },
    extra: ['-timeout', '110s'],
  });
  let call: InteractionRecord | undefined;
  await until('Alice to answer', async () => {
    const all = await t.hotline.services.store.interactions.list({ queueId, limit: 200, offset: 0 });
    call = all.find((i) => !before.has(i.id) && i.status === 'active');
    return call !== undefined;
  });
  const [rec] = await t.hotline.services.store.voice.recordings(call!.id);
  assert.ok(rec);
  await until('two seconds of the call', async () => (await stat(rec.filePath)).size > 44 + 2 * 8000 * 4);
  return { caller, call: call! };
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

/** Each leg's CDR as `direction:role:cause`, sorted. */
async function legs(id: string): Promise<string[]> {
  const res = await t.call<CdrRecord[]>('GET', `/api/interactions/${id}/cdrs`, undefined, t.adminToken);
  assert.equal(res.status, 200);
  return res.body.map((c) => `${c.direction}:${c.role}:${c.endCause}`).sort();
}

async function held(id: string): Promise<boolean> {
  const res = await t.call<{ held: boolean }>('GET', `/api/interactions/${id}/hold`, undefined, alice.token);
  return res.body.held;
}

async function wrapUp(id: string): Promise<void> {
  await until('wrap-up', async () => (await byId(id))?.status === 'wrap_up');
  const done = await t.call('POST', `/api/interactions/${id}/wrap-up`, {}, alice.token);
  assert.ok(done.status < 300, JSON.stringify(done.body));
}

async function withPeers(peers: Peer[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const logs = peers.map((p) => p.log().slice(-2000)).join('\n----\n');
    throw new Error(`${String(err)}\n${logs}`, { cause: err });
  } finally {
    for (const p of peers) await p.stop();
  }
}

test(
  'consult a number, then complete: the caller talks to the number on the same interaction, recorded',
  LIMIT,
  async () => {
    const { caller, call } = await freshCall();
    // The carrier hangs up eight seconds after answering.
    const far = carrier('carrier-answer.xml', 8000);
    await withPeers([caller, far], async () => {
      const refused = await t.call(
        'POST',
        `/api/interactions/${call.id}/consult`,
        { number: REFUSED },
        alice.token,
      );
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'DIAL_PLAN_REFUSED');
      assert.equal(await held(call.id), false, 'a refused number leaves the call as it was');
      const started = await t.call<{ toNumber: string; toAgentId: string | null; state: string }>(
        'POST',
        `/api/interactions/${call.id}/consult`,
        { number: '(202) 555-0100' },
        alice.token,
      );
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.equal(started.body.toNumber, ALLOWED);
      assert.equal(started.body.toAgentId, null);
      assert.equal(await held(call.id), true, 'the caller holds while the number rings');
      await until('the number to answer', () => consultEvents(call.id).includes('talking'));
      const done = await t.call<{ interactionId: string; number: string }>(
        'POST',
        `/api/interactions/${call.id}/consult/complete`,
        {},
        alice.token,
      );
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual(done.body, { interactionId: call.id, transferredFrom: call.id, number: ALLOWED });
      await wrapUp(call.id);
      assert.equal(await far.exited, 0);
      assert.equal(await caller.exited, 0, 'the caller was hung up once the number hung up');
      assert.deepEqual(consultEvents(call.id), ['ringing', 'talking', 'ended:completed']);
      await until('the CDRs', async () => (await legs(call.id)).length >= 3);
      assert.deepEqual(await legs(call.id), [
        'inbound:caller:callee_hangup',
        'outbound:agent:transferred',
        'outbound:consulted:callee_hangup',
      ]);
      const cdrs = (
        await t.call<CdrRecord[]>('GET', `/api/interactions/${call.id}/cdrs`, undefined, t.adminToken)
      ).body;
      const consulted = cdrs.find((c) => c.role === 'consulted')!;
      assert.equal(consulted.toAddress, 'sip:+12025550100@carrier.test');
      assert.equal(consulted.fromAddress, '+15550001111', 'the center’s caller ID');
      // Two recordings: the caller with Alice, then the caller with the number (caller left, number right).
      const recs = await t.hotline.services.store.voice.recordings(call.id);
      assert.equal(recs.length, 2);
      const bridged = recs.find((r) => r.id === consulted.recordingId);
      assert.ok(bridged?.durationMs, 'the bridged call’s recording is closed');
      const stats = channelRms(readFileSync(bridged.filePath));
      assert.ok(stats.rms[0]! > 1000 && stats.rms[1]! > 1000, `RMS ${stats.rms.join()}`);
    });
  },
);

test(
  'consult a number, then cancel: the number is hung up and Alice has the caller back',
  LIMIT,
  async () => {
    const { caller, call } = await freshCall();
    const far = carrier('carrier-answer-wait.xml');
    await withPeers([caller, far], async () => {
      const started = await t.call(
        'POST',
        `/api/interactions/${call.id}/consult`,
        { number: ALLOWED },
        alice.token,
      );
      assert.equal(started.status, 200, JSON.stringify(started.body));
      await until('the number to answer', () => consultEvents(call.id).includes('talking'));
      const conf = await t.call('POST', `/api/interactions/${call.id}/consult/cancel`, {}, alice.token);
      assert.equal(conf.status, 204, JSON.stringify(conf.body));
      assert.equal(await far.exited, 0, 'the carrier got its BYE');
      await until('the caller off hold', async () => !(await held(call.id)));
      assert.equal((await byId(call.id))?.status, 'active');
      assert.equal((await byId(call.id))?.agentId, alice.id);
      assert.deepEqual(consultEvents(call.id), ['ringing', 'talking', 'ended:cancelled']);
      alicePhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0);
      await wrapUp(call.id);
      await until('the CDRs', async () => (await legs(call.id)).length >= 3);
      assert.deepEqual(await legs(call.id), [
        'inbound:caller:agent_hangup',
        'outbound:agent:agent_hangup',
        'outbound:consulted:cancelled',
      ]);
    });
  },
);

test(
  'consult a number nobody answers: the ringing is cancelled at the ring timeout, the caller is back',
  LIMIT,
  async () => {
    const { caller, call } = await freshCall();
    const far = carrier('carrier-ring-cancel.xml');
    await withPeers([caller, far], async () => {
      const started = await t.call(
        'POST',
        `/api/interactions/${call.id}/consult`,
        { number: ALLOWED },
        alice.token,
      );
      assert.equal(started.status, 200, JSON.stringify(started.body));
      await until('the ring timeout', () => consultEvents(call.id).includes('ended:not_answered'));
      const ended = (
        t.hotline.services.hub.since(0) as { type: string; data: Record<string, unknown> }[]
      ).find(
        (e) => e.type === 'call.consult' && e.data.interactionId === call.id && e.data.state === 'ended',
      );
      assert.equal(ended?.data.cause, 'no_answer');
      assert.equal(await far.exited, 0, 'the carrier got the CANCEL');
      await until('the caller off hold', async () => !(await held(call.id)));
      const again = await t.call('POST', `/api/interactions/${call.id}/consult/complete`, {}, alice.token);
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'CONSULT_NOT_ACTIVE');
      alicePhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0);
      await wrapUp(call.id);
      await until('the CDRs', async () => (await legs(call.id)).length >= 3);
      assert.ok((await legs(call.id)).includes('outbound:consulted:no_answer'));
    });
  },
);

test(
  'the IVR transfer node to a number makes an interaction with the IVR path and a stereo recording',
  LIMIT,
  async () => {
    await t.call('POST', `/api/agents/${alice.id}/logout`, {}, alice.token);
    const far = carrier('carrier-answer.xml', 4000);
    const near = startSipp('trunk-caller.xml', `127.0.0.1:${voice().sipPort}`, {
      mediaPort: CALLER_RTP,
      files: {
        'caller.pcap': rtpPcap(tone(440, 20)),
        'digit.pcap': readFileSync('/usr/share/sip-tester/dtmf_2833_2.pcap'),
      },
    });
    await withPeers([near, far], async () => {
      assert.equal(await far.exited, 0);
      assert.equal(await near.exited, 0);
      let found: InteractionRecord | undefined;
      await until('the transfer’s interaction to end', async () => {
        const all = await t.hotline.services.store.interactions.list({ limit: 200, offset: 0 });
        found = all.find((i) => i.metadata.transferredTo === ALLOWED);
        return found?.status === 'ended';
      });
      const i = found!;
      assert.equal(i.channel, 'voice');
      assert.equal(i.direction, 'inbound');
      assert.equal(i.queueId, null);
      assert.equal(i.agentId, null);
      assert.equal(i.outcome, 'completed');
      assert.deepEqual(i.metadata.ivrPath, ['menu', 'out']);
      // Announced to supervisors as it started and as it ended, like any routed interaction.
      const announced = (
        t.hotline.services.hub.since(0) as { type: string; data: { id?: string; status?: string } }[]
      )
        .filter((e) => e.type === 'interaction.updated' && e.data.id === i.id)
        .map((e) => e.data.status);
      assert.deepEqual(announced, ['active', 'ended']);
      assert.deepEqual(await legs(i.id), ['inbound:caller:callee_hangup', 'outbound:agent:callee_hangup']);
      // Found through the recordings API like any other call, by the caller's number.
      const found2 = await t.call<{ items: { interactionId: string; recordingId: string }[] }>(
        'GET',
        '/api/recordings?number=2025550143',
        undefined,
        t.adminToken,
      );
      assert.equal(found2.status, 200, JSON.stringify(found2.body));
      const listed = found2.body.items.find((r) => r.interactionId === i.id);
      assert.ok(listed, JSON.stringify(found2.body));
      const audio = await t.hotline.app.inject({
        method: 'GET',
        url: `/api/recordings/${listed.recordingId}/audio`,
        headers: { authorization: `Bearer ${t.adminToken}` },
      });
      assert.equal(audio.statusCode, 200);
      const stats = channelRms(audio.rawPayload);
      assert.equal(stats.channels, 2);
      assert.ok(
        stats.rms[0]! > 1000 && stats.rms[1]! > 1000,
        `caller left, number right: ${stats.rms.join()}`,
      );
    });
  },
);

test(
  'consult a queue: the consult waits in Experts until Bob (its agent) answers, then complete hands the caller to Bob',
  LIMIT,
  async () => {
    const { caller, call } = await freshCall();
    await withPeers([caller], async () => {
      const started = await t.call<{ toQueueId: string; toAgentId: string | null; state: string }>(
        'POST',
        `/api/interactions/${call.id}/consult`,
        { queueId: expertsId },
        alice.token,
      );
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.equal(started.body.toQueueId, expertsId);
      assert.equal(started.body.toAgentId, null, 'nobody of the queue yet');
      // Nobody of Experts is available: the consult waits in the queue, the caller holds.
      const all = await t.hotline.services.store.interactions.list({
        queueId: expertsId,
        limit: 10,
        offset: 0,
      });
      const consultCall = all.find((i) => i.metadata.consultFor === call.id);
      assert.ok(consultCall, 'the consult waits in Experts');
      assert.equal(consultCall.status, 'queued');
      assert.equal(await held(call.id), true);
      const login = await t.call('POST', `/api/agents/${bob.id}/login`, { presence: 'available' }, bob.token);
      assert.ok(login.status < 300, JSON.stringify(login.body));
      await until('Bob to answer the consult', () => consultEvents(call.id).includes('talking'));
      const now = await t.call<{ toAgentId: string }>(
        'GET',
        `/api/interactions/${call.id}/consult`,
        undefined,
        alice.token,
      );
      assert.equal(now.body.toAgentId, bob.id);
      const done = await t.call<{ interactionId: string }>(
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
      // The consult's own interaction is over, without a wrap-up for Bob.
      assert.equal((await byId(consultCall.id))?.status, 'ended');
      await wrapUp(call.id);
      assert.deepEqual(consultEvents(call.id), ['ringing', 'talking', 'ended:completed']);
      bobPhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0);
      await until('Bob’s wrap-up', async () => (await byId(next))?.status === 'wrap_up');
      const done2 = await t.call('POST', `/api/interactions/${next}/wrap-up`, {}, bob.token);
      assert.ok(done2.status < 300, JSON.stringify(done2.body));
      await t.call('POST', `/api/agents/${bob.id}/logout`, {}, bob.token);
    });
  },
);

test(
  'consult a queue whose agent is free already: routing offers it at once and his phone rings',
  LIMIT,
  async () => {
    const { caller, call } = await freshCall();
    await withPeers([caller], async () => {
      // Bob is available before the consult: the offer comes while the consult is being set up.
      const login = await t.call('POST', `/api/agents/${bob.id}/login`, { presence: 'available' }, bob.token);
      assert.ok(login.status < 300, JSON.stringify(login.body));
      const started = await t.call(
        'POST',
        `/api/interactions/${call.id}/consult`,
        { queueId: expertsId },
        alice.token,
      );
      assert.equal(started.status, 200, JSON.stringify(started.body));
      await until('Bob to answer the consult', () => consultEvents(call.id).includes('talking'));
      const now = await t.call<{ toAgentId: string }>(
        'GET',
        `/api/interactions/${call.id}/consult`,
        undefined,
        alice.token,
      );
      assert.equal(now.body.toAgentId, bob.id);
      const cancel = await t.call('POST', `/api/interactions/${call.id}/consult/cancel`, {}, alice.token);
      assert.equal(cancel.status, 204, JSON.stringify(cancel.body));
      await until('the caller off hold', async () => !(await held(call.id)));
      alicePhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0);
      await wrapUp(call.id);
      await t.call('POST', `/api/agents/${bob.id}/logout`, {}, bob.token);
    });
  },
);

test('consult a queue nobody serves, then cancel: the consult leaves the queue', LIMIT, async () => {
  const { caller, call } = await freshCall();
  await withPeers([caller], async () => {
    await t.call('POST', `/api/agents/${bob.id}/logout`, {}, bob.token);
    const started = await t.call(
      'POST',
      `/api/interactions/${call.id}/consult`,
      { queueId: expertsId },
      alice.token,
    );
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const waiting = await t.call<unknown[]>(
      'GET',
      `/api/queues/${expertsId}/waiting`,
      undefined,
      t.adminToken,
    );
    assert.equal(waiting.body.length, 1);
    const cancel = await t.call('POST', `/api/interactions/${call.id}/consult/cancel`, {}, alice.token);
    assert.equal(cancel.status, 204, JSON.stringify(cancel.body));
    await until('the queue to be empty', async () => {
      const w = await t.call<unknown[]>('GET', `/api/queues/${expertsId}/waiting`, undefined, t.adminToken);
      return w.body.length === 0;
    });
    await until('the caller off hold', async () => !(await held(call.id)));
    alicePhone.child.stdin.write('b');
    assert.equal(await caller.exited, 0);
    await wrapUp(call.id);
  });
});

test(
  'a conference with a number: all three talk, then Alice hangs up and the caller stays with the number',
  LIMIT,
  async () => {
    const { caller, call } = await freshCall();
    // The carrier hangs up ten seconds after answering.
    const far = carrier('carrier-answer.xml', 10000);
    await withPeers([caller, far], async () => {
      const started = await t.call(
        'POST',
        `/api/interactions/${call.id}/consult`,
        { number: ALLOWED },
        alice.token,
      );
      assert.equal(started.status, 200, JSON.stringify(started.body));
      await until('the number to answer', () => consultEvents(call.id).includes('talking'));
      const conf = await t.call<{ state: string }>(
        'POST',
        `/api/interactions/${call.id}/conference`,
        {},
        alice.token,
      );
      assert.equal(conf.status, 200, JSON.stringify(conf.body));
      assert.equal(conf.body.state, 'conference');
      assert.equal(await held(call.id), false, 'the caller is back in the call');
      await new Promise((r) => setTimeout(r, 2000));
      // Alice leaves: the caller goes on with the number, on the same interaction.
      alicePhone.child.stdin.write('b');
      await until('the hand-over', () => consultEvents(call.id).includes('ended:handed_to_consulted'));
      await wrapUp(call.id);
      assert.equal(await far.exited, 0);
      assert.equal(await caller.exited, 0, 'the caller was hung up once the number hung up');
      assert.deepEqual(consultEvents(call.id), [
        'ringing',
        'talking',
        'conference',
        'ended:handed_to_consulted',
      ]);
      await until('the CDRs', async () => (await legs(call.id)).length >= 3);
      assert.deepEqual(await legs(call.id), [
        'inbound:caller:callee_hangup',
        'outbound:agent:transferred',
        'outbound:consulted:callee_hangup',
      ]);
    });
  },
);
