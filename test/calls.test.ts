// The first inbound call slice over real sockets: SIPp dials Hotline, walks the IVR (press 1), waits
// in the Billing queue on hold music, and hangs up, which must count as an abandon.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { InteractionRecord } from '../src/services/records.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

const SIPP = '/usr/bin/sipp';
const SCENARIOS = resolve(process.cwd(), 'test/fixtures/sipp');
const CALLER = '12025550143';
const LIMIT = { timeout: 60_000 };
// A range of its own per process, so parallel test files do not fight over RTP ports.
const RTP_BASE = 30000 + (process.pid % 500) * 40;

/** Menu: press 1 for the Billing queue. */
function flow(queueId: string): Record<string, unknown> {
  return {
    version: 1,
    name: 'Test line',
    start: 'menu',
    nodes: {
      menu: { kind: 'menu', prompt: 'menu', options: [{ digit: '1', next: 'billing' }], timeoutSec: 10 },
      billing: { kind: 'queue', queueId },
    },
  };
}

let t: TestHotline;
let queueId: string;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-calls-'));
  const flowFile = join(dir, 'flow.json');
  // The queue's id is known only once it exists; the file starts with a stand-in.
  writeFileSync(flowFile, JSON.stringify(flow('00000000-0000-4000-8000-000000000000')));
  t = await startTestHotline({
    env: {
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_RTP_PORTS: `${RTP_BASE}-${RTP_BASE + 19}`,
      HOTLINE_IVR_FLOW_FILE: flowFile,
    },
  });
  const skill = await t.call('POST', '/api/skills', { name: 'billing' }, t.adminToken);
  const queue = await t.call(
    'POST',
    '/api/queues',
    { name: 'Billing', requirements: [{ skillId: (skill.body as { id: string }).id, minLevel: 1 }] },
    t.adminToken,
  );
  assert.equal(queue.status, 201, JSON.stringify(queue.body));
  queueId = (queue.body as { id: string }).id;
  // restart() reuses the loaded config: point its flow at the real queue.
  t.hotline.config.sip.defaultFlow = flow(queueId);
  await t.restart();
});

after(async () => {
  await t.stop();
  rmSync(dir, { recursive: true, force: true });
});

function voice() {
  const v = t.hotline.voice;
  assert.ok(v, 'SIP is enabled');
  return v;
}

/** Runs one SIPp call against Hotline; resolves with its exit code and output. */
async function sipp(scenario: string): Promise<{ code: number | null; out: string }> {
  assert.ok(existsSync(SIPP), `SIPp is missing (${SIPP}): install the Debian package sip-tester`);
  const cwd = mkdtempSync(join(tmpdir(), 'hotline-sipp-'));
  const args = ['-sf', join(SCENARIOS, scenario), `127.0.0.1:${voice().sipPort}`, '-i', '127.0.0.1'];
  args.push('-mp', String(RTP_BASE + 30), '-m', '1', '-nostdin', '-timeout', '20s', '-t', 'u1');
  const child = spawn(SIPP, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  // Our own child, by its PID, should SIPp itself hang past its -timeout.
  const guard = setTimeout(() => child.kill('SIGKILL'), 40_000);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearTimeout(guard);
  rmSync(cwd, { recursive: true, force: true });
  return { code, out };
}

async function voiceInteractions(): Promise<InteractionRecord[]> {
  const all = await t.hotline.services.store.interactions.list({ queueId, limit: 100, offset: 0 });
  return all.filter((i) => i.channel === 'voice');
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test(
  'a caller presses 1, waits in Billing on hold music, hangs up: an abandoned voice interaction',
  LIMIT,
  async () => {
    const framesBefore = voice().rtpFramesSent();
    const run = await sipp('ivr-call.xml');
    assert.equal(run.code, 0, run.out.slice(-3000));
    await until('the abandon', async () =>
      (await voiceInteractions()).some((i) => i.outcome === 'abandoned'),
    );
    const [call] = await voiceInteractions();
    assert.ok(call);
    assert.equal(call.fromAddress, CALLER);
    assert.equal(call.status, 'ended');
    assert.equal(call.outcome, 'abandoned');
    assert.equal(call.metadata.dnis, '5550100');
    assert.equal(typeof call.metadata.callId, 'string');
    assert.deepEqual(call.metadata.ivrPath, ['menu', 'billing']);
    // 3 s of menu prompt and hold music at 50 frames a second, with room for a slow machine.
    assert.ok(voice().rtpFramesSent() - framesBefore > 50, `RTP frames sent: ${voice().rtpFramesSent()}`);
    await until(
      'the call to be cleaned up',
      () => voice().activeCalls() === 0 && voice().rtpPortsInUse() === 0,
    );
  },
);

test(
  'a caller who hangs up during the menu leaves no interaction and no RTP port behind',
  LIMIT,
  async () => {
    const before = (await voiceInteractions()).length;
    const run = await sipp('ivr-hangup.xml');
    assert.equal(run.code, 0, run.out.slice(-3000));
    await until(
      'the call to be cleaned up',
      () => voice().activeCalls() === 0 && voice().rtpPortsInUse() === 0,
    );
    assert.equal((await voiceInteractions()).length, before);
  },
);

test('an offer without PCMU or PCMA is refused with 488 and opens no RTP port', LIMIT, async () => {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const port = socket.address().port;
  const sdp =
    'v=0\r\no=c 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n';
  const invite =
    `INVITE sip:5550100@127.0.0.1:${voice().sipPort} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-g729-${process.pid}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:${CALLER}@127.0.0.1>;tag=g729\r\nTo: <sip:5550100@127.0.0.1>\r\n` +
    `Call-ID: g729-${process.pid}\r\nCSeq: 1 INVITE\r\nContact: <sip:${CALLER}@127.0.0.1:${port}>\r\n` +
    `Content-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`;
  const answers: number[] = [];
  const final = new Promise<void>((resolve) =>
    socket.on('message', (m) => {
      const status = Number(/^SIP\/2\.0 (\d{3})/.exec(m.toString('latin1'))?.[1]);
      answers.push(status);
      if (status >= 200) resolve();
    }),
  );
  socket.send(invite, voice().sipPort, '127.0.0.1');
  await final;
  socket.close();
  assert.equal(answers.at(-1), 488);
  assert.equal(voice().rtpPortsInUse(), 0);
  assert.equal(voice().activeCalls(), 0);
});
