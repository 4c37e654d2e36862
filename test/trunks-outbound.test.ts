// The trunk for calls out, chosen by an admin over the API without a restart: the configuration
// names its own trunk (voice.outboundTrunk), an admin adds a console trunk and chooses it, and the
// next call out (the IVR's transfer node) reaches SIPp as the carrier behind the console trunk,
// with its credentials and caller ID. Choices that cannot carry calls get their codes at /trunk;
// the chosen trunk cannot lose its proxy nor be deleted; every choice is audited; a restart keeps
// the choice; clearing it returns to the configuration's trunk.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { until } from './helpers/sipp.js';
import { freeSipPort, rtpPcap, startSipp, tone, type Peer } from './helpers/voice-peers.js';

const LIMIT = { timeout: 120_000 };
// RTP ranges of this file's own (other files use other ranges).
const BASE = 27500 + (process.pid % 40) * 60;
/** trunk-caller.xml calls this number. */
const DID_OUT = '5550100';
const ALLOWED = '+12025550100';

let t: TestHotline;
let dir: string;
let carrierPort: number;

const carrier = () => ({
  name: 'console-carrier',
  sources: ['127.0.0.1'],
  dids: [DID_OUT],
  outboundProxy: `127.0.0.1:${carrierPort}`,
  domain: 'carrier.test',
  username: 'trunkuser', // carrier-407.xml checks this name
  password: 'console-trunk-secret',
  callerId: '+15550004444',
});

async function post(url: string, body: unknown): Promise<{ id: string }> {
  const r = await t.call('POST', url, body, t.adminToken);
  assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
  return r.body as { id: string };
}

const outbound = async () => (await t.call('GET', '/api/outbound-trunk', undefined, t.adminToken)).body;
const choose = (trunk: string | null) => t.call('PUT', '/api/outbound-trunk', { trunk }, t.adminToken);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-trunks-outbound-'));
  carrierPort = await freeSipPort();
  // Nothing listens at the configuration trunk's proxy: a call sent there would never reach SIPp.
  const elsewhere = await freeSipPort();
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      sip: {
        trunks: [
          {
            name: 'file-carrier',
            sources: ['192.0.2.0/24'],
            dids: ['*'],
            outboundProxy: `127.0.0.1:${elsewhere}`,
          },
        ],
      },
      voice: {
        callerId: '+15550002222',
        dialPlan: ['+1NXXNXXXXXX'],
        outboundTrunk: 'file-carrier',
        trunkPingSec: 0,
        ringTimeoutSec: 10,
      },
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
  const queueId = (
    await post('/api/queues', { name: 'Line', requirements: [{ skillId: skill.id, minLevel: 1 }] })
  ).id;
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

/** The INVITEs the carrier received, as logged by SIPp. */
function invitesIn(log: string): string[] {
  const text = readFileSync(log, 'latin1');
  return text.split(/-{5,}/).filter((m) => /^\s*INVITE /m.test(m) && /received/i.test(m));
}

test('without a choice, the configuration’s voice.outboundTrunk carries calls out', async () => {
  assert.deepEqual(await outbound(), {
    inForce: 'file-carrier',
    source: 'config',
    chosen: null,
    configured: 'file-carrier',
    problem: null,
  });
  const list = await t.call('GET', '/api/trunks', undefined, t.adminToken);
  assert.deepEqual(
    list.body.filter((x: { outbound: boolean }) => x.outbound).map((x: { name: string }) => x.name),
    ['file-carrier'],
  );
});

test('a trunk that cannot carry calls out is refused at /trunk', async () => {
  await post('/api/trunks', { name: 'inbound-only', sources: ['198.51.100.7'], dids: ['*'] });
  const noProxy = await choose('inbound-only');
  assert.equal(noProxy.status, 400);
  assert.equal(noProxy.body.error.code, 'TRUNK_OUTBOUND_NO_PROXY');
  assert.equal(noProxy.body.error.details.path, '/trunk');
  const unknown = await choose('nowhere');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'TRUNK_NOT_FOUND');
  assert.equal(unknown.body.error.details.path, '/trunk');
  assert.equal((await outbound()).inForce, 'file-carrier', 'nothing changed');
});

test('an admin chooses a console trunk: the next call out goes through it, no restart', LIMIT, async () => {
  await post('/api/trunks', carrier());
  const chosen = await choose('console-carrier');
  assert.equal(chosen.status, 200, JSON.stringify(chosen.body));
  assert.equal(chosen.body.inForce, 'console-carrier');
  assert.equal(chosen.body.source, 'console');
  assert.equal(chosen.body.configured, 'file-carrier', 'the file’s choice is still shown');

  const log = join(dir, 'carrier.log');
  let far: Peer | null = null;
  let near: Peer | null = null;
  try {
    far = startSipp('carrier-407.xml', '127.0.0.1:5060', {
      mediaPort: BASE + 30,
      files: { 'carrier.pcap': rtpPcap(tone(700, 20)) },
      extra: ['-p', String(carrierPort), '-d', '3000', '-trace_msg', '-message_file', log],
    });
    const voice = t.hotline.voice;
    assert.ok(voice, 'SIP is enabled');
    near = startSipp('trunk-caller.xml', `127.0.0.1:${voice.sipPort}`, {
      mediaPort: BASE + 40,
      files: {
        'caller.pcap': rtpPcap(tone(440, 20)),
        'digit.pcap': readFileSync('/usr/share/sip-tester/dtmf_2833_2.pcap'),
      },
    });
    assert.equal(await far.exited, 0, readFileSync(log, 'latin1').slice(-4000));
    assert.equal(await near.exited, 0, near.log().slice(-3000));
    const invites = invitesIn(log);
    assert.equal(invites.length, 2, 'the INVITE, then again with the console trunk’s credentials');
    assert.match(invites[0]!, /INVITE sip:\+12025550100@carrier\.test SIP\/2\.0/);
    assert.match(invites[0]!, /From: <sip:\+15550004444@carrier\.test>/);
    assert.match(invites[1]!, /Proxy-Authorization: Digest username="trunkuser", realm="carrier\.test"/);
    await until('the legs to be cleaned up', () => voice.activeCalls() === 0);
  } finally {
    await far?.stop();
    await near?.stop();
  }
});

test('the trunk that carries calls out keeps its proxy and caller ID, and is not deleted', async () => {
  const noProxy = await t.call(
    'PUT',
    '/api/trunks/console-carrier',
    { ...carrier(), name: undefined, outboundProxy: null },
    t.adminToken,
  );
  assert.equal(noProxy.status, 400);
  assert.equal(noProxy.body.error.code, 'TRUNK_OUTBOUND_NO_PROXY');
  assert.equal(noProxy.body.error.details.path, '/outboundProxy');
  const gone = await t.call('DELETE', '/api/trunks/console-carrier', undefined, t.adminToken);
  assert.equal(gone.status, 409);
  assert.equal(gone.body.error.code, 'TRUNK_IS_OUTBOUND');
  const still = await t.call('GET', '/api/trunks/console-carrier', undefined, t.adminToken);
  assert.equal(still.body.outboundProxy, `127.0.0.1:${carrierPort}`);
  assert.equal(still.body.outbound, true);
});

test('the choice is audited, survives a restart, and clearing it returns to the file’s', async () => {
  await t.restart();
  assert.equal((await outbound()).inForce, 'console-carrier', 'kept across a restart');
  const cleared = await choose(null);
  assert.equal(cleared.status, 200);
  assert.deepEqual(cleared.body, {
    inForce: 'file-carrier',
    source: 'config',
    chosen: null,
    configured: 'file-carrier',
    problem: null,
  });
  const audit = await t.call('GET', '/api/audit?action=sip_trunk.outbound', undefined, t.adminToken);
  assert.equal(audit.status, 200);
  const entries = (audit.body as { targetId: string | null; details: Record<string, unknown> }[]).map((e) => [
    e.targetId,
    e.details,
  ]);
  assert.deepEqual(entries.reverse(), [
    ['console-carrier', { chosen: 'console-carrier', previous: 'file-carrier' }],
    ['console-carrier', { chosen: null, previous: 'console-carrier' }],
  ]);
  // No longer chosen, the console trunk can go.
  assert.equal((await t.call('DELETE', '/api/trunks/console-carrier', undefined, t.adminToken)).status, 204);
});
