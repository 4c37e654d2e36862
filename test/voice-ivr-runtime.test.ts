// What a flow does at run time on a real call: lookups (a webhook we stand in for with a tiny
// local HTTP server, and the caller's customer record) and, below, voicemail.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InteractionRecord } from '../src/services/records.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { runSipp, until } from './helpers/sipp.js';

const LIMIT = { timeout: 90_000 };
const RTP_BASE = 26000 + (process.pid % 100) * 40;

let t: TestHotline;
let crm: Server;
let crmBase = '';
const hanging: ServerResponse[] = [];
const queues = { ok: '', failed: '' };

async function post(url: string, body: unknown): Promise<{ id: string }> {
  const r = await t.call('POST', url, body, t.adminToken);
  assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
  return r.body as { id: string };
}

/** Uploads a flow and binds a number to it. */
async function line(dnis: string, document: Record<string, unknown>): Promise<void> {
  const flow = await post('/api/ivr/flows', { document });
  await post('/api/ivr/numbers', { dnis, flowId: flow.id });
}

before(async () => {
  crm = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/hang') hanging.push(res);
    else if (url.pathname === '/balance')
      res.end(JSON.stringify({ account: { balance: '12.50', id: url.searchParams.get('customer') } }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => crm.listen(0, '127.0.0.1', () => r()));
  crmBase = `http://127.0.0.1:${(crm.address() as AddressInfo).port}`;
  t = await startTestHotline({
    env: {
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_RTP_PORTS: `${RTP_BASE}-${RTP_BASE + 19}`,
    },
  });
  const skill = await post('/api/skills', { name: 'care' });
  for (const k of ['ok', 'failed'] as const) {
    queues[k] = (
      await post('/api/queues', { name: `Queue ${k}`, requirements: [{ skillId: skill.id, minLevel: 1 }] })
    ).id;
  }
  await post('/api/customers', { name: 'Ada Caller', phones: ['+1 202 555 0143'] });
  await line('5550201', {
    version: 1,
    name: 'Slow CRM',
    start: 'ask',
    nodes: {
      ask: {
        kind: 'lookup',
        source: 'webhook',
        url: `${crmBase}/hang`,
        timeoutMs: 300,
        map: { x: 'x' },
        next: 'ok',
        onError: 'failed',
      },
      ok: { kind: 'queue', queueId: queues.ok },
      failed: { kind: 'queue', queueId: queues.failed },
    },
  });
  await line('5550203', {
    version: 1,
    name: 'After hours',
    start: 'vm',
    nodes: {
      vm: { kind: 'voicemail', mailbox: queues.ok, maxSeconds: 10, next: 'bye' },
      bye: { kind: 'play', prompts: 'goodbye', next: 'end' },
      end: { kind: 'hangup' },
    },
  });
  await line('5550202', {
    version: 1,
    name: 'Known caller',
    start: 'who',
    nodes: {
      who: { kind: 'lookup', source: 'customer_by_caller', next: 'balance', onError: 'failed' },
      balance: {
        kind: 'lookup',
        source: 'webhook',
        url: `${crmBase}/balance`,
        params: { customer: '{{customer_id}}' },
        map: { 'account.balance': 'balance' },
        next: 'ok',
        onError: 'failed',
      },
      ok: { kind: 'queue', queueId: queues.ok },
      failed: { kind: 'queue', queueId: queues.failed },
    },
  });
});

after(async () => {
  await t.stop();
  for (const res of hanging) res.destroy();
  await new Promise((r) => crm.close(r));
});

function voice() {
  const v = t.hotline.voice;
  assert.ok(v, 'SIP is enabled');
  return v;
}

async function callsIn(queueId: string): Promise<InteractionRecord[]> {
  const all = await t.hotline.services.store.interactions.list({ queueId, limit: 100, offset: 0 });
  return all.filter((i) => i.channel === 'voice');
}

async function dial(dnis: string, scenario = 'call-dnis.xml'): Promise<void> {
  const run = await runSipp({ scenario, port: voice().sipPort, service: dnis, mediaPort: RTP_BASE + 30 });
  assert.equal(run.code, 0, run.out.slice(-3000));
}

test('a webhook that does not answer in time takes the flow error branch', LIMIT, async () => {
  await dial('5550201');
  await until('the call in the error queue', async () => (await callsIn(queues.failed)).length === 1);
  const [call] = await callsIn(queues.failed);
  assert.deepEqual(call!.metadata.ivrPath, ['ask', 'failed']);
  assert.equal((await callsIn(queues.ok)).length, 0);
  await until('the call to end', () => voice().activeCalls() === 0);
});

test(
  'the caller is found by number and a webhook answers their balance: both reach the agent',
  LIMIT,
  async () => {
    await dial('5550202');
    await until('the call in the queue', async () => (await callsIn(queues.ok)).length === 1);
    const [call] = await callsIn(queues.ok);
    const variables = call!.metadata.variables as Record<string, string>;
    assert.equal(variables.customer_name, 'Ada Caller');
    assert.equal(variables.balance, '12.50');
    assert.deepEqual(call!.metadata.ivrPath, ['who', 'balance', 'ok']);
    await until('the call to end', () => voice().activeCalls() === 0);
  },
);

test('a caller leaves a voicemail: a playable, non-silent WAV on a callback interaction', LIMIT, async () => {
  await dial('5550203', 'voicemail.xml');
  let message: InteractionRecord | undefined;
  await until('the voicemail interaction', async () => {
    const all = await t.hotline.services.store.interactions.list({
      queueId: queues.ok,
      limit: 100,
      offset: 0,
    });
    message = all.find((i) => i.channel === 'callback');
    return message !== undefined;
  });
  assert.equal(message!.subject, 'Voicemail');
  assert.equal(message!.fromAddress, '12025550143');
  assert.equal(typeof message!.metadata.voicemailId, 'string');
  const res = await t.hotline.app.inject({
    method: 'GET',
    url: `/api/interactions/${message!.id}/voicemail`,
    headers: { authorization: `Bearer ${t.adminToken}` },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'audio/wav');
  const wav = res.rawPayload;
  assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
  assert.equal(wav.readUInt16LE(22), 1, 'mono');
  assert.equal(wav.readUInt32LE(24), 8000, '8 kHz');
  const dataBytes = wav.readUInt32LE(40);
  assert.equal(dataBytes, wav.length - 44, 'the header names every sample');
  // About 3.5 s between the beep and the #; at least a second of it, and not silence.
  assert.ok(dataBytes >= 16000, `recorded ${dataBytes} bytes`);
  let sum = 0;
  for (let at = 44; at < wav.length; at += 2) sum += wav.readInt16LE(at) ** 2;
  const rms = Math.sqrt(sum / (dataBytes / 2));
  assert.ok(rms > 300, `RMS ${rms.toFixed(0)} says the message is silent`);
  assert.equal(message!.metadata.durationMs, (dataBytes / 2 / 8000) * 1000);
  await until('the call to end', () => voice().activeCalls() === 0);

  // A call that left no message has no audio to give.
  const [plain] = await callsIn(queues.ok);
  const none = await t.call('GET', `/api/interactions/${plain!.id}/voicemail`, undefined, t.adminToken);
  assert.equal(none.status, 404);
  assert.equal(none.body.error.code, 'VOICEMAIL_NOT_FOUND');
});

test('hanging up ends the message and keeps it', LIMIT, async () => {
  const callbacks = async () =>
    (await t.hotline.services.store.interactions.list({ queueId: queues.ok, limit: 100, offset: 0 })).filter(
      (i) => i.channel === 'callback',
    );
  const before = (await callbacks()).length;
  await dial('5550203');
  await until('the second voicemail', async () => (await callbacks()).length === before + 1);
  await until('the call to end', () => voice().activeCalls() === 0);
});
