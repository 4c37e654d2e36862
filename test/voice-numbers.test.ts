// Calls over real sockets pick their IVR flow by the dialed number: flows uploaded through the API,
// numbers bound to them, a trunk admitting only its own address and numbers, UDP and TCP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import type { InteractionRecord } from '../src/services/records.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { runSipp, until } from './helpers/sipp.js';

const LIMIT = { timeout: 90_000 };
// A range of its own per process, so parallel test files do not fight over RTP ports.
const RTP_BASE = 42000 + (process.pid % 400) * 40;
const DID_A = '5550101';
const DID_B = '5550102';
const DID_MENU = '5550100';

let t: TestHotline;
/** A carrier's registrar: answers every REGISTER 200 and keeps what it got. */
let registrar: Socket;
const registers: string[] = [];
const queues: Record<'a' | 'b', string> = { a: '', b: '' };
const flows: Record<'a' | 'b', string> = { a: '', b: '' };

let menuFlow = '';

/** A four-second prompt, then queue `to`. */
function menu(to: 'a' | 'b'): Record<string, unknown> {
  return {
    version: 1,
    name: 'Menu line',
    start: 'hello',
    nodes: {
      hello: { kind: 'play', prompts: 'menu', next: 'q' },
      q: { kind: 'queue', queueId: queues[to] },
    },
  };
}

/** A line that puts every caller straight into one queue. */
function straightTo(name: string, queueId: string): Record<string, unknown> {
  return { version: 1, name, start: 'q', nodes: { q: { kind: 'queue', queueId } } };
}

async function post(url: string, body: unknown): Promise<{ id: string }> {
  const r = await t.call('POST', url, body, t.adminToken);
  assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
  return r.body as { id: string };
}

before(async () => {
  t = await startTestHotline({
    env: {
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_RTP_PORTS: `${RTP_BASE}-${RTP_BASE + 19}`,
    },
  });
  const skill = await post('/api/skills', { name: 'general' });
  for (const k of ['a', 'b'] as const) {
    const requirements = [{ skillId: skill.id, minLevel: 1 }];
    queues[k] = (await post('/api/queues', { name: `Queue ${k}`, requirements })).id;
    flows[k] = (await post('/api/ivr/flows', { document: straightTo(`Line ${k}`, queues[k]) })).id;
  }
  await post('/api/ivr/numbers', { dnis: DID_A, flowId: flows.a });
  await post('/api/ivr/numbers', { dnis: DID_B, flowId: flows.b });
  menuFlow = (await post('/api/ivr/flows', { document: menu('a') })).id;
  await post('/api/ivr/numbers', { dnis: DID_MENU, flowId: menuFlow });
  registrar = createSocket('udp4');
  registrar.on('message', (m, from) => {
    const text = m.toString('latin1');
    // The trunk health check's OPTIONS pings arrive here too (answered 200 like a carrier would).
    if (text.startsWith('REGISTER ')) registers.push(text);
    const header = (name: string) => new RegExp(`^${name}:.*$`, 'mi').exec(text)?.[0] ?? '';
    const contact = /^Contact:\s*<([^>]+)>/im.exec(text)?.[1] ?? '';
    const answer =
      `SIP/2.0 200 OK\r\n${header('Via')}\r\n${header('From')}\r\n${header('To')};tag=reg\r\n` +
      `${header('Call-ID')}\r\n${header('CSeq')}\r\nContact: <${contact}>;expires=300\r\nContent-Length: 0\r\n\r\n`;
    registrar.send(answer, from.port, from.address);
  });
  await new Promise<void>((r) => registrar.bind(0, '127.0.0.1', () => r()));
  // One trunk admitting calls from 127.0.0.1 to our two numbers, and a carrier we register with;
  // restart() reuses the changed config.
  t.hotline.config.sip.trunks = [
    {
      name: 'lab',
      sources: ['127.0.0.1/32'],
      dids: [DID_A, DID_B, DID_MENU],
      transport: 'udp',
      registerExpires: 0,
    },
    {
      name: 'carrier',
      sources: ['192.0.2.0/24'],
      dids: ['*'],
      outboundProxy: `127.0.0.1:${registrar.address().port}`,
      domain: 'carrier.example',
      username: 'hotline-trunk',
      password: 'trunk-secret',
      transport: 'udp',
      registerExpires: 300,
    },
  ];
  await t.restart();
});

after(async () => {
  await t.stop();
  registrar.close();
});

function voice() {
  const v = t.hotline.voice;
  assert.ok(v, 'SIP is enabled');
  return v;
}

async function callsIn(queue: 'a' | 'b'): Promise<InteractionRecord[]> {
  const all = await t.hotline.services.store.interactions.list({
    queueId: queues[queue],
    limit: 100,
    offset: 0,
  });
  return all.filter((i) => i.channel === 'voice');
}

async function idle(): Promise<void> {
  await until('calls to be cleaned up', () => voice().activeCalls() === 0 && voice().rtpPortsInUse() === 0);
}

test('a call to number A runs flow A and one to number B runs flow B', LIMIT, async () => {
  for (const [k, did] of [
    ['a', DID_A],
    ['b', DID_B],
  ] as const) {
    const run = await runSipp({
      scenario: 'call-dnis.xml',
      port: voice().sipPort,
      service: did,
      mediaPort: RTP_BASE + 30,
    });
    assert.equal(run.code, 0, run.out.slice(-3000));
    await until(`the call in queue ${k}`, async () =>
      (await callsIn(k)).some((i) => i.outcome === 'abandoned'),
    );
    const [call] = await callsIn(k);
    assert.equal(call!.metadata.dnis, did);
    assert.equal(call!.metadata.flowId, flows[k]);
    await idle();
  }
  assert.equal((await callsIn('a')).length, 1);
  assert.equal((await callsIn('b')).length, 1);
});

test('a call over TCP runs its flow like one over UDP', LIMIT, async () => {
  const port = voice().sipTcpPort;
  assert.ok(port, 'TCP is on by default');
  const before = (await callsIn('a')).length;
  const run = await runSipp({
    scenario: 'call-dnis.xml',
    port,
    service: DID_A,
    transport: 't1',
    mediaPort: RTP_BASE + 32,
  });
  assert.equal(run.code, 0, run.out.slice(-3000));
  await until('the TCP call in queue a', async () => (await callsIn('a')).length === before + 1);
  await until('its abandon', async () => (await callsIn('a')).every((i) => i.outcome === 'abandoned'));
  await idle();
});

test('an INVITE from an address that is not a trunk is refused 403 and opens nothing', LIMIT, async () => {
  const before = (await callsIn('a')).length;
  const run = await runSipp({
    scenario: 'invite-forbidden.xml',
    port: voice().sipPort,
    service: DID_A,
    localIp: '127.0.0.2',
    mediaPort: RTP_BASE + 34,
  });
  assert.equal(run.code, 0, run.out.slice(-3000));
  assert.equal(voice().rtpPortsInUse(), 0);
  assert.equal(voice().activeCalls(), 0);
  assert.equal((await callsIn('a')).length, before);
});

test('a number the trunk does not carry is refused 404', LIMIT, async () => {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const port = socket.address().port;
  const sdp =
    'v=0\r\no=c 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
  const invite =
    `INVITE sip:5550199@127.0.0.1:${voice().sipPort} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-nodid-${process.pid}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:12025550143@127.0.0.1>;tag=nodid\r\nTo: <sip:5550199@127.0.0.1>\r\n` +
    `Call-ID: nodid-${process.pid}\r\nCSeq: 1 INVITE\r\nContact: <sip:12025550143@127.0.0.1:${port}>\r\n` +
    `Content-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`;
  const final = new Promise<number>((resolve) =>
    socket.on('message', (m) => {
      const status = Number(/^SIP\/2\.0 (\d{3})/.exec(m.toString('latin1'))?.[1]);
      if (status >= 200) resolve(status);
    }),
  );
  socket.send(invite, voice().sipPort, '127.0.0.1');
  const status = await final;
  socket.close();
  assert.equal(status, 404);
  assert.equal(voice().rtpPortsInUse(), 0);
});

test('a trunk with registerExpires registers with its outbound proxy', LIMIT, async () => {
  await until('the registration', () => voice().trunkRegistrations().carrier === 'registered');
  const first = registers[0]!;
  assert.match(first, /^REGISTER sip:carrier\.example SIP\/2\.0/);
  assert.match(first, /^From: <sip:hotline-trunk@carrier\.example>/m);
  assert.match(first, /^Expires: 300/m);
  assert.equal(voice().trunkRegistrations().lab, undefined);
});

test('publishing a new version mid-call leaves the call on the version it started with', LIMIT, async () => {
  const before = { a: (await callsIn('a')).length, b: (await callsIn('b')).length };
  const frames = voice().rtpFramesSent();
  const dial = () =>
    runSipp({
      scenario: 'call-dnis.xml',
      port: voice().sipPort,
      service: DID_MENU,
      mediaPort: RTP_BASE + 36,
      pauseMs: 8000,
    });
  const call = dial();
  // The prompt of version 1 is playing: the call has its flow. Version 2 queues to b instead.
  await until('the call to be in its prompt', () => voice().rtpFramesSent() > frames);
  const v2 = await t.call(
    'POST',
    `/api/ivr/flows/${menuFlow}/versions`,
    { document: menu('b') },
    t.adminToken,
  );
  assert.equal(v2.body.publishedVersion, 2);
  const run = await call;
  assert.equal(run.code, 0, run.out.slice(-3000));
  await until('the call in queue a', async () => (await callsIn('a')).length === before.a + 1);
  assert.equal((await callsIn('b')).length, before.b);
  await idle();
  // The next call gets version 2.
  const next = await dial();
  assert.equal(next.code, 0, next.out.slice(-3000));
  await until('the next call in queue b', async () => (await callsIn('b')).length === before.b + 1);
  await idle();
});
