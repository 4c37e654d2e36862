// Calls out through the SIP trunk with real peers: SIPp is the carrier behind the trunk (answering,
// challenging with 407, or busy), a SIPp caller walks the IVR, baresip is the agent's phone. The
// IVR's transfer node reaches the carrier with the center's caller ID and only the dialled digits;
// a number outside the dial plan and a busy number both take the flow's error branch (the caller
// is queued, never stranded); an agent transfers a connected caller to a number over the API; an
// agent dials out (POST /api/calls): the agent's phone rings first, then the customer through the
// trunk, both recorded in stereo; refusals (dial plan, not logged in, busy) and a busy number.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CdrRecord, InteractionRecord } from '../src/services/records.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';
import {
  channelRms,
  freeSipPort,
  rtpPcap,
  startBaresip,
  startSipp,
  tone,
  type Peer,
} from './helpers/voice-peers.js';

const LIMIT = { timeout: 90_000 };
const REALM = 'hotline.test';
// RTP ranges of this file (other test files use other ranges).
const BASE = 10000 + (process.pid % 40) * 60;
const HOTLINE_RTP: [number, number] = [BASE, BASE + 19];
const CALLER_RTP = BASE + 20;
const CARRIER_RTP = BASE + 30;
const ALICE_RTP: [number, number] = [BASE + 40, BASE + 59];
const ALLOWED = '+12025550100';
const REFUSED = '+442079460000';

function flow(queueId: string): Record<string, unknown> {
  return {
    version: 1,
    name: 'Trunk line',
    start: 'menu',
    nodes: {
      menu: {
        kind: 'menu',
        prompt: 'menu',
        options: [
          { digit: '1', next: 'refused' },
          { digit: '2', next: 'out' },
          { digit: '3', next: 'billing' },
        ],
        timeoutSec: 10,
      },
      refused: { kind: 'transfer', to: REFUSED, onError: 'billing' },
      out: { kind: 'transfer', to: ALLOWED, onError: 'billing' },
      billing: { kind: 'queue', queueId },
    },
  };
}

let t: TestHotline;
let dir: string;
let queueId: string;
let carrierPort: number;
let alice: { id: string; token: string; username: string };
let alicePhone: Peer;
const cdrs: CdrRecord[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-trunk-calls-'));
  carrierPort = await freeSipPort();
  const configFile = join(dir, 'config.json');
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
            username: 'trunkuser',
            password: 'trunk-secret',
            callerId: '+15550001111',
          },
        ],
      },
      voice: { callerId: '+15550002222', dialPlan: ['+1NXXNXXXXXX'], trunkPingSec: 0, ringTimeoutSec: 10 },
    }),
  );
  const flowFile = join(dir, 'flow.json');
  writeFileSync(flowFile, JSON.stringify(flow('00000000-0000-4000-8000-000000000000')));
  t = await startTestHotline({
    env: {
      HOTLINE_CONFIG: configFile,
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_SIP_REALM: REALM,
      HOTLINE_RTP_PORTS: `${HOTLINE_RTP[0]}-${HOTLINE_RTP[1]}`,
      HOTLINE_IVR_FLOW_FILE: flowFile,
      HOTLINE_RECORDINGS_DIR: join(dir, 'recordings'),
    },
  });
  const skill = await t.call('POST', '/api/skills', { name: 'billing' }, t.adminToken);
  const skillId = (skill.body as { id: string }).id;
  const queue = await t.call(
    'POST',
    '/api/queues',
    { name: 'Billing', requirements: [{ skillId, minLevel: 1 }], wrapUpSec: 60, reservationTimeoutSec: 60 },
    t.adminToken,
  );
  assert.equal(queue.status, 201, JSON.stringify(queue.body));
  queueId = (queue.body as { id: string }).id;
  t.hotline.config.sip.defaultFlow = flow(queueId);
  await t.restart();
  // Every CDR written, also those of IVR transfers (which belong to no interaction).
  const voiceStore = t.hotline.services.store.voice;
  const insert = voiceStore.insertCdrs.bind(voiceStore);
  voiceStore.insertCdrs = async (rows) => {
    await insert(rows);
    cdrs.push(...rows);
  };
  alice = await createUserWithAgent(t, 'alice', { skills: { [skillId]: 5 } });
  const sip = await t.call(
    'PUT',
    `/api/agents/${alice.id}/sip`,
    { username: 'alice', password: 'alice-phone-1' },
    t.adminToken,
  );
  assert.equal(sip.status, 200, JSON.stringify(sip.body));
  alicePhone = await startBaresip({
    user: 'alice',
    password: 'alice-phone-1',
    realm: REALM,
    registrarPort: voice().sipPort,
    autoAnswer: true,
    audio: tone(1000, 30),
    rtpPorts: ALICE_RTP,
  });
  await alicePhone.waitFor(/alice@hotline\.test.*200 OK/);
});

after(async () => {
  await alicePhone?.stop();
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function voice() {
  const v = t.hotline.voice;
  assert.ok(v, 'SIP is enabled');
  return v;
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function calls(): Promise<InteractionRecord[]> {
  const all = await t.hotline.services.store.interactions.list({ queueId, limit: 100, offset: 0 });
  return all.filter((i) => i.channel === 'voice').sort((a, b) => b.seq - a.seq);
}

/** Alice done with every wrap-up and logged out. */
async function loggedOut(): Promise<void> {
  const engine = t.hotline.services.routing.engine;
  await until('Alice to be free and logged out', async () => {
    for (const w of engine.agentState(alice.id).work) {
      if (w.phase === 'wrap_up')
        await t.call('POST', `/api/interactions/${w.interactionId}/wrap-up`, {}, alice.token);
    }
    await t.call('POST', `/api/agents/${alice.id}/logout`, {}, alice.token);
    return engine.agentState(alice.id).presence === 'logged_out';
  });
}

/** SIPp as the carrier behind the trunk, its messages logged to `log`. */
function carrier(scenario: string, log: string, holdMs = 3000): Peer {
  return startSipp(scenario, '127.0.0.1:5060', {
    mediaPort: CARRIER_RTP,
    files: { 'carrier.pcap': rtpPcap(tone(700, 20)) },
    extra: ['-p', String(carrierPort), '-d', String(holdMs), '-trace_msg', '-message_file', log],
  });
}

/** SIPp calling in and pressing `digit`. */
function caller(scenario: string, digit: string): Peer {
  return startSipp(scenario, `127.0.0.1:${voice().sipPort}`, {
    mediaPort: CALLER_RTP,
    files: {
      'caller.pcap': rtpPcap(tone(440, 20)),
      'digit.pcap': readFileSync(`/usr/share/sip-tester/dtmf_2833_${digit}.pcap`),
    },
  });
}

/** The first INVITE the carrier received, as logged by SIPp. */
function invitesIn(log: string): string[] {
  const text = readFileSync(log, 'latin1');
  return text.split(/-{5,}/).filter((m) => /^\s*INVITE /m.test(m) && /received/i.test(m));
}

test(
  'the IVR transfer node reaches the carrier with the caller ID and digits, and bridges the caller',
  LIMIT,
  async () => {
    const log = join(dir, 'carrier-answer.log');
    const far = carrier('carrier-answer.xml', log);
    const near = caller('trunk-caller.xml', '2');
    const before = cdrs.length;
    try {
      // The carrier hangs up after 3 s of talk; Hotline then hangs up the caller (BYE), who exits 0.
      assert.equal(await far.exited, 0, far.log().slice(-3000));
      assert.equal(await near.exited, 0, near.log().slice(-3000));
      const [invite] = invitesIn(log);
      assert.ok(invite, 'the carrier got an INVITE');
      assert.match(invite, /INVITE sip:\+12025550100@carrier\.test SIP\/2\.0/);
      // The trunk's own caller ID wins over the global one.
      assert.match(invite, /From: <sip:\+15550001111@carrier\.test>/);
      await until('both CDRs', () => cdrs.length >= before + 2);
      const mine = cdrs.slice(before);
      const external = mine.find((c) => c.toAddress === 'sip:+12025550100@carrier.test');
      assert.ok(external, JSON.stringify(mine));
      assert.equal(external.direction, 'outbound');
      assert.equal(external.endCause, 'callee_hangup');
      assert.equal(external.fromAddress, '+15550001111');
      assert.ok(external.answeredAt);
      const inbound = mine.find((c) => c.direction === 'inbound');
      assert.equal(inbound?.endCause, 'callee_hangup');
      // Nothing queued: the bridged call is an interaction of its own, without a queue.
      assert.equal((await calls()).length, 0);
      await until('the legs to be cleaned up', () => voice().activeCalls() === 0);
    } finally {
      await far.stop();
      await near.stop();
    }
  },
);

test('a number outside the dial plan takes the error branch: the caller is queued', LIMIT, async () => {
  const near = caller('caller-key-hangup.xml', '1');
  try {
    await until('the caller to be queued', async () => (await calls()).some((c) => c.status === 'queued'));
    const [call] = await calls();
    const events = await t.call<{ type: string; details: Record<string, unknown> }[]>(
      'GET',
      `/api/interactions/${call!.id}/events`,
      undefined,
      t.adminToken,
    );
    assert.equal(events.status, 200);
    assert.deepEqual(call!.metadata.ivrPath, ['menu', 'refused', 'billing']);
    assert.equal(await near.exited, 0, near.log().slice(-3000));
  } finally {
    await near.stop();
  }
  await until('the abandon', async () => (await calls()).every((c) => c.status === 'ended'));
});

test(
  'a busy number takes the error branch: the carrier answered 486, the caller is queued',
  LIMIT,
  async () => {
    const log = join(dir, 'carrier-busy.log');
    const far = carrier('carrier-busy.xml', log);
    const near = caller('caller-key-hangup.xml', '2');
    const before = cdrs.length;
    try {
      assert.equal(await far.exited, 0, far.log().slice(-3000));
      await until('the caller to be queued', async () => (await calls()).some((c) => c.status === 'queued'));
      const [call] = await calls();
      assert.deepEqual(call!.metadata.ivrPath, ['menu', 'out', 'billing']);
      const busy = cdrs.slice(before).find((c) => c.direction === 'outbound');
      assert.equal(busy?.endCause, 'busy');
      assert.equal(busy?.sipStatus, 486);
      assert.equal(await near.exited, 0, near.log().slice(-3000));
    } finally {
      await near.stop();
      await far.stop();
    }
    await until('the abandon', async () => (await calls()).every((c) => c.status === 'ended'));
  },
);

test(
  'an agent transfers the caller to a number: 407 answered with the trunk credentials, agent to wrap-up',
  LIMIT,
  async () => {
    const log = join(dir, 'carrier-407.log');
    const login = await t.call(
      'POST',
      `/api/agents/${alice.id}/login`,
      { presence: 'available' },
      alice.token,
    );
    assert.ok(login.status < 300, JSON.stringify(login.body));
    const far = carrier('carrier-407.xml', log, 4000);
    const near = caller('trunk-caller.xml', '3');
    try {
      await until('the agent to answer', async () => (await calls())[0]?.status === 'active');
      const call = (await calls())[0]!;
      const refused = await t.call(
        'POST',
        `/api/interactions/${call.id}/transfer`,
        { to: { number: REFUSED } },
        alice.token,
      );
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'DIAL_PLAN_REFUSED');
      assert.equal((await calls())[0]?.status, 'active', 'a refused number leaves the call as it was');
      const res = await t.call(
        'POST',
        `/api/interactions/${call.id}/transfer`,
        { to: { number: '(202) 555-0100' } },
        alice.token,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { interactionId: call.id, transferredFrom: call.id, number: ALLOWED });
      await until('wrap-up', async () => (await calls())[0]?.status === 'wrap_up');
      assert.equal(await far.exited, 0, far.log().slice(-3000));
      assert.equal(await near.exited, 0, near.log().slice(-3000));
      const invites = invitesIn(log);
      assert.equal(invites.length, 2, 'the INVITE, then again with credentials');
      assert.match(invites[1]!, /Proxy-Authorization: Digest username="trunkuser", realm="carrier\.test"/);
      assert.match(invites[1]!, /CSeq: 2 INVITE/);
      await until('the CDRs', async () => (await t.hotline.services.store.voice.cdrs(call.id)).length >= 3);
      const rows = await t.hotline.services.store.voice.cdrs(call.id);
      const causes = rows.map((r) => `${r.direction}:${r.endCause}`).sort();
      assert.deepEqual(causes, ['inbound:callee_hangup', 'outbound:callee_hangup', 'outbound:transferred']);
      // The caller and the carrier were recorded on the interaction: the caller's tone on the left,
      // the carrier's on the right.
      const recs = await t.hotline.services.store.voice.recordings(call.id);
      assert.equal(recs.length, 2);
      const external = recs.find((r) =>
        rows.some((c) => c.endCause === 'callee_hangup' && c.recordingId === r.id),
      );
      assert.ok(external);
      const stats = channelRms(readFileSync(external.filePath));
      assert.ok(stats.rms[0]! > 1000 && stats.rms[1]! > 1000, `RMS ${stats.rms.join()}`);
    } finally {
      await far.stop();
      await near.stop();
      await t.call('POST', `/api/agents/${alice.id}/logout`, {}, alice.token).catch(() => undefined);
    }
  },
);

test('dial-out: a number outside the dial plan is refused 403 before anything rings', LIMIT, async () => {
  await loggedOut();
  const res = await t.call('POST', '/api/calls', { to: REFUSED }, alice.token);
  assert.equal(res.status, 403);
  assert.equal(res.body.error.code, 'DIAL_PLAN_REFUSED');
  const notIn = await t.call('POST', '/api/calls', { to: ALLOWED }, alice.token);
  assert.equal(notIn.status, 409);
  assert.equal(notIn.body.error.code, 'AGENT_STATE_INVALID');
});

test(
  'dial-out rings the agent, then the customer: audio both ways recorded, hang-up, CDRs, wrap-up',
  LIMIT,
  async () => {
    const customer = await t.call(
      'POST',
      '/api/customers',
      { name: 'Grace', phones: [ALLOWED] },
      t.adminToken,
    );
    assert.equal(customer.status, 201, JSON.stringify(customer.body));
    const login = await t.call(
      'POST',
      `/api/agents/${alice.id}/login`,
      { presence: 'not_ready' },
      alice.token,
    );
    assert.ok(login.status < 300, JSON.stringify(login.body));
    const log = join(dir, 'carrier-dialout.log');
    const far = carrier('carrier-answer.xml', log, 4000);
    try {
      const res = await t.call<{ interactionId: string }>(
        'POST',
        '/api/calls',
        { to: '202-555-0100' },
        alice.token,
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const id = res.body.interactionId;
      const row = await t.call('GET', `/api/interactions/${id}`, undefined, alice.token);
      assert.equal(row.status, 200);
      assert.equal(row.body.agentId, alice.id);
      assert.equal(row.body.direction, 'outbound');
      assert.equal(row.body.customerId, customer.body.id);
      assert.equal(row.body.metadata.direction, 'outbound');
      await until('the customer to answer', async () => {
        const r = await t.hotline.services.store.interactions.byId(id);
        return (r?.metadata.dialOut as { state?: string } | undefined)?.state === 'connected';
      });
      const busy = await t.call('POST', '/api/calls', { to: ALLOWED }, alice.token);
      assert.equal(busy.status, 409);
      assert.equal(busy.body.error.code, 'AGENT_BUSY');
      // The carrier (the customer) hangs up after 4 s; the agent's phone is hung up too.
      assert.equal(await far.exited, 0, far.log().slice(-3000));
      await until(
        'wrap-up',
        async () => (await t.hotline.services.store.interactions.byId(id))?.status === 'wrap_up',
      );
      const [invite] = invitesIn(log);
      assert.match(invite!, /INVITE sip:\+12025550100@carrier\.test SIP\/2\.0/);
      assert.match(invite!, /From: <sip:\+15550001111@carrier\.test>/);
      const rows = await t.hotline.services.store.voice.cdrs(id);
      assert.deepEqual(rows.map((r) => `${r.direction}:${r.endCause}`).sort(), [
        'outbound:callee_hangup',
        'outbound:callee_hangup',
      ]);
      assert.ok(rows.every((r) => r.agentId === alice.id && r.answeredAt !== null));
      const [rec] = await t.hotline.services.store.voice.recordings(id);
      assert.ok(rec?.endedAt, 'the recording is closed');
      const stats = channelRms(readFileSync(rec.filePath));
      assert.equal(stats.channels, 2);
      // The customer's (carrier's) 700 Hz tone on the left, the agent's 1 kHz on the right.
      assert.ok(stats.rms[0]! > 1000, `customer channel RMS ${stats.rms[0]}`);
      assert.ok(stats.rms[1]! > 1000, `agent channel RMS ${stats.rms[1]}`);
      await t.call('POST', `/api/interactions/${id}/wrap-up`, {}, alice.token);
    } finally {
      await far.stop();
    }
  },
);

test('dial-out to a busy number ends the interaction with the cause', LIMIT, async () => {
  const far = carrier('carrier-busy.xml', join(dir, 'carrier-busy-2.log'));
  try {
    const res = await t.call<{ interactionId: string }>('POST', '/api/calls', { to: ALLOWED }, alice.token);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const id = res.body.interactionId;
    await until('the failure', async () => {
      const r = await t.hotline.services.store.interactions.byId(id);
      return (r?.metadata.dialOut as { state?: string } | undefined)?.state === 'failed';
    });
    const row = await t.call('GET', `/api/interactions/${id}`, undefined, alice.token);
    assert.deepEqual(row.body.metadata.dialOut, { state: 'failed', cause: 'busy' });
    await until(
      'wrap-up',
      async () => (await t.hotline.services.store.interactions.byId(id))?.status === 'wrap_up',
    );
    await t.call('POST', `/api/interactions/${id}/wrap-up`, {}, alice.token);
  } finally {
    await far.stop();
    await t.call('POST', `/api/agents/${alice.id}/logout`, {}, alice.token).catch(() => undefined);
  }
});

test(
  'dial-out: the agent hangs up from the desk (API): the customer gets a BYE, the call goes to wrap-up',
  LIMIT,
  async () => {
    const login = await t.call(
      'POST',
      `/api/agents/${alice.id}/login`,
      { presence: 'not_ready' },
      alice.token,
    );
    assert.ok(login.status < 300, JSON.stringify(login.body));
    // The carrier answers and talks until Hotline hangs up (it answers the BYE 200 and ends cleanly).
    const far = carrier('carrier-answer-wait.xml', join(dir, 'carrier-hangup.log'));
    try {
      const res = await t.call<{ interactionId: string }>('POST', '/api/calls', { to: ALLOWED }, alice.token);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const id = res.body.interactionId;
      await until('the customer to answer', async () => {
        const r = await t.hotline.services.store.interactions.byId(id);
        return (r?.metadata.dialOut as { state?: string } | undefined)?.state === 'connected';
      });
      const done = await t.call('POST', `/api/interactions/${id}/hangup`, {}, alice.token);
      assert.equal(done.status, 204, JSON.stringify(done.body));
      assert.equal(await far.exited, 0, far.log().slice(-3000));
      await until(
        'wrap-up',
        async () => (await t.hotline.services.store.interactions.byId(id))?.status === 'wrap_up',
      );
      const rows = await t.hotline.services.store.voice.cdrs(id);
      assert.deepEqual(
        rows.map((r) => r.endCause),
        ['agent_hangup', 'agent_hangup'],
      );
      await t.call('POST', `/api/interactions/${id}/wrap-up`, {}, alice.token);
    } finally {
      await far.stop();
    }
  },
);
