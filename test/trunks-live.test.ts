// Trunks edited over the API apply to real SIP at once, with no restart: SIPp's address is refused
// until an admin adds a trunk for it, then its INVITE to the trunk's number reaches the IVR; after
// the trunk's numbers change the same INVITE is 404, after it is deleted 403. A call out (the IVR's
// transfer node) goes through a trunk added over the API to SIPp as the carrier, answering its 407
// with the trunk's credentials and sending its caller ID.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InteractionRecord } from '../src/services/records.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { runSipp, until } from './helpers/sipp.js';
import { freeSipPort, rtpPcap, startSipp, tone, type Peer } from './helpers/voice-peers.js';

const LIMIT = { timeout: 120_000 };
// RTP ranges of this file's own (other files use other ranges).
const BASE = 30000 + (process.pid % 50) * 60;
const DID_IN = '5550177';
/** trunk-caller.xml calls this number. */
const DID_OUT = '5550100';
const ALLOWED = '+12025550100';

let t: TestHotline;
let dir: string;
let queueId: string;
let carrierPort: number;

async function post(url: string, body: unknown): Promise<{ id: string }> {
  const r = await t.call('POST', url, body, t.adminToken);
  assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
  return r.body as { id: string };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-trunks-live-'));
  carrierPort = await freeSipPort();
  const configFile = join(dir, 'config.json');
  // A configuration trunk for another network, so an address no trunk has is refused.
  writeFileSync(
    configFile,
    JSON.stringify({
      sip: { trunks: [{ name: 'elsewhere', sources: ['192.0.2.0/24'], dids: ['*'] }] },
      voice: { callerId: '+15550002222', dialPlan: ['+1NXXNXXXXXX'], trunkPingSec: 0, ringTimeoutSec: 10 },
    }),
  );
  t = await startTestHotline({
    env: {
      HOTLINE_CONFIG: configFile,
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_SIP_TCP: 'false',
      HOTLINE_RTP_PORTS: `${BASE}-${BASE + 19}`,
    },
  });
  const skill = await post('/api/skills', { name: 'general' });
  queueId = (await post('/api/queues', { name: 'Line', requirements: [{ skillId: skill.id, minLevel: 1 }] }))
    .id;
  const line = await post('/api/ivr/flows', {
    document: { version: 1, name: 'Line', start: 'q', nodes: { q: { kind: 'queue', queueId } } },
  });
  await post('/api/ivr/numbers', { dnis: DID_IN, flowId: line.id });
  const out = await post('/api/ivr/flows', {
    document: {
      version: 1,
      name: 'Out',
      start: 'menu',
      nodes: {
        menu: { kind: 'menu', prompt: 'menu', options: [{ digit: '2', next: 'out' }], timeoutSec: 10 },
        out: { kind: 'transfer', to: ALLOWED, onError: 'q' },
        q: { kind: 'queue', queueId },
      },
    },
  });
  await post('/api/ivr/numbers', { dnis: DID_OUT, flowId: out.id });
});

after(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function voice() {
  const v = t.hotline.voice;
  assert.ok(v, 'SIP is enabled');
  return v;
}

async function calls(): Promise<InteractionRecord[]> {
  const all = await t.hotline.services.store.interactions.list({ queueId, limit: 100, offset: 0 });
  return all.filter((i) => i.channel === 'voice');
}

/** One SIPp call to DID_IN with `scenario`; asserts it went as the scenario expects. */
async function inviteIn(scenario: string): Promise<void> {
  const run = await runSipp({ scenario, port: voice().sipPort, service: DID_IN, mediaPort: BASE + 30 });
  assert.equal(run.code, 0, `${scenario}: ${run.out.slice(-3000)}`);
}

test(
  'a trunk added over the API admits its source at once; changed, then deleted, it refuses again',
  LIMIT,
  async () => {
    await inviteIn('invite-forbidden.xml');
    const lab = { sources: ['127.0.0.1'], dids: [DID_IN] };
    await post('/api/trunks', { name: 'lab', ...lab });
    await inviteIn('call-dnis.xml');
    await until('the call in the queue', async () => (await calls()).some((c) => c.outcome === 'abandoned'));
    const [call] = await calls();
    assert.equal(call!.metadata.dnis, DID_IN, 'the call reached the IVR flow of its number');
    await until('the call to be cleaned up', () => voice().activeCalls() === 0);

    const changed = await t.call('PUT', '/api/trunks/lab', { ...lab, dids: ['5550999'] }, t.adminToken);
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await inviteIn('invite-not-found.xml');

    assert.equal((await t.call('DELETE', '/api/trunks/lab', undefined, t.adminToken)).status, 204);
    await inviteIn('invite-forbidden.xml');
    assert.equal((await calls()).length, 1, 'no refused INVITE became a call');
  },
);

/** The INVITEs the carrier received, as logged by SIPp. */
function invitesIn(log: string): string[] {
  const text = readFileSync(log, 'latin1');
  return text.split(/-{5,}/).filter((m) => /^\s*INVITE /m.test(m) && /received/i.test(m));
}

test(
  'a call out goes through a trunk added over the API: its proxy, credentials and caller ID',
  LIMIT,
  async () => {
    const created = await t.call(
      'POST',
      '/api/trunks',
      {
        name: 'carrier',
        sources: ['127.0.0.1'],
        dids: [DID_OUT],
        outboundProxy: `127.0.0.1:${carrierPort}`,
        domain: 'carrier.test',
        username: 'trunkuser', // carrier-407.xml checks this name
        password: 'api-trunk-secret',
        callerId: '+15550003333',
      },
      t.adminToken,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const log = join(dir, 'carrier.log');
    let far: Peer | null = null;
    let near: Peer | null = null;
    try {
      far = startSipp('carrier-407.xml', '127.0.0.1:5060', {
        mediaPort: BASE + 40,
        files: { 'carrier.pcap': rtpPcap(tone(700, 20)) },
        extra: ['-p', String(carrierPort), '-d', '3000', '-trace_msg', '-message_file', log],
      });
      near = startSipp('trunk-caller.xml', `127.0.0.1:${voice().sipPort}`, {
        mediaPort: BASE + 50,
        files: {
          'caller.pcap': rtpPcap(tone(440, 20)),
          'digit.pcap': readFileSync('/usr/share/sip-tester/dtmf_2833_2.pcap'),
        },
      });
      assert.equal(await far.exited, 0, readFileSync(log, 'latin1').slice(-4000));
      assert.equal(await near.exited, 0, near.log().slice(-3000));
      const invites = invitesIn(log);
      assert.equal(invites.length, 2, 'the INVITE, then again with credentials');
      assert.match(invites[0]!, /INVITE sip:\+12025550100@carrier\.test SIP\/2\.0/);
      assert.match(invites[0]!, /From: <sip:\+15550003333@carrier\.test>/);
      assert.match(invites[1]!, /Proxy-Authorization: Digest username="trunkuser", realm="carrier\.test"/);
      await until('the legs to be cleaned up', () => voice().activeCalls() === 0);
    } finally {
      await far?.stop();
      await near?.stop();
    }
  },
);
