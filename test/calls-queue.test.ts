// Around the queued inbound call, over real sockets with SIPp: position/wait announcements between
// stretches of hold music, digits sent as SIP INFO, and a graceful shutdown that says goodbye to a
// waiting caller with a BYE and leaves its interaction and CDR final.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { InteractionRecord } from '../src/services/records.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

const SIPP = '/usr/bin/sipp';
const SCENARIOS = resolve(process.cwd(), 'test/fixtures/sipp');
const LIMIT = { timeout: 90_000 };
// A range of its own per process, so parallel test files do not fight over RTP ports.
const RTP_BASE = 40000 + (process.pid % 500) * 40;

/** Menu: 1 queues with announcements every 5 s; 2 leads to a second menu where 1 queues too. */
function flow(queueId: string): Record<string, unknown> {
  const menu = (options: { digit: string; next: string }[]) => ({
    kind: 'menu',
    prompt: 'menu',
    options,
    timeoutSec: 10,
  });
  return {
    version: 1,
    name: 'Announcing line',
    start: 'menu',
    nodes: {
      menu: menu([
        { digit: '1', next: 'billing' },
        { digit: '2', next: 'more' },
      ]),
      more: menu([{ digit: '1', next: 'billing' }]),
      billing: {
        kind: 'queue',
        queueId,
        announcePosition: true,
        announceWaitTime: true,
        announceEverySeconds: 5,
        averageHandleSeconds: 180,
      },
    },
  };
}

let t: TestHotline;
let queueId: string;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-calls-queue-'));
  const flowFile = join(dir, 'flow.json');
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
  const queue = await t.call('POST', '/api/queues', { name: 'Billing' }, t.adminToken);
  assert.equal(queue.status, 201, JSON.stringify(queue.body));
  queueId = (queue.body as { id: string }).id;
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
async function sipp(scenario: string, extra: string[] = []): Promise<{ code: number | null; out: string }> {
  assert.ok(existsSync(SIPP), `CI must install SIPp (${SIPP}): the Debian package sip-tester`);
  const cwd = mkdtempSync(join(tmpdir(), 'hotline-sipp-'));
  const args = ['-sf', join(SCENARIOS, scenario), `127.0.0.1:${voice().sipPort}`, '-i', '127.0.0.1'];
  args.push('-mp', String(RTP_BASE + 30), '-m', '1', '-nostdin', '-timeout', '40s', '-t', 'u1', ...extra);
  const child = spawn(SIPP, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearTimeout(guard);
  rmSync(cwd, { recursive: true, force: true });
  return { code, out };
}

async function voiceInteractions(): Promise<InteractionRecord[]> {
  const all = await t.hotline.services.store.interactions.list({ queueId, limit: 100, offset: 0 });
  return all.filter((i) => i.channel === 'voice');
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test(
  'a waiting caller hears "caller number 1, about 3 minutes" between stretches of hold music',
  LIMIT,
  async () => {
    const framesBefore = voice().rtpFramesSent();
    const run = await sipp('ivr-wait.xml', ['-d', '8000']);
    assert.equal(run.code, 0, run.out.slice(-3000));
    await until('the abandon', async () =>
      (await voiceInteractions()).some((i) => i.outcome === 'abandoned'),
    );
    const [call] = await voiceInteractions();
    assert.ok(call);
    const events = await t.hotline.services.store.interactions.events(call.id);
    const announced = events.filter((e) => e.type === 'announcement');
    assert.ok(announced.length >= 1, `events: ${events.map((e) => e.type).join(', ')}`);
    const details = announced[0]!.details as { position: number; prompts: string[] };
    assert.equal(details.position, 1);
    // No agent is logged in: one caller at 180 s each is about 3 minutes.
    assert.deepEqual(details.prompts, [
      'queue-position',
      'say/1',
      'queue-position-end',
      'queue-wait',
      'say/3',
      'queue-wait-minutes',
    ]);
    // 8 s on the line at 50 frames a second, with room for a slow machine.
    assert.ok(voice().rtpFramesSent() - framesBefore > 150, `RTP frames sent: ${voice().rtpFramesSent()}`);
    await until(
      'the call to be cleaned up',
      () => voice().activeCalls() === 0 && voice().rtpPortsInUse() === 0,
    );
  },
);

test('digits sent as SIP INFO (dtmf-relay, then dtmf) walk two menus into the queue', LIMIT, async () => {
  const before = new Set((await voiceInteractions()).map((i) => i.id));
  const run = await sipp('ivr-info-dtmf.xml');
  assert.equal(run.code, 0, run.out.slice(-3000));
  await until('the new interaction to end', async () =>
    (await voiceInteractions()).some((i) => !before.has(i.id) && i.status === 'ended'),
  );
  const call = (await voiceInteractions()).find((i) => !before.has(i.id));
  assert.ok(call);
  assert.deepEqual(call.metadata.ivrPath, ['menu', 'more', 'billing']);
  assert.equal(call.outcome, 'abandoned');
});

// Last: it closes the voice side.
test(
  'on shutdown a waiting caller gets BYE; the interaction is interrupted and its CDR written',
  LIMIT,
  async () => {
    const before = new Set((await voiceInteractions()).map((i) => i.id));
    const running = sipp('ivr-wait-bye.xml');
    await until('the caller to wait', async () =>
      (await voiceInteractions()).some((i) => !before.has(i.id) && i.status === 'queued'),
    );
    await voice().close();
    // Final as soon as close() returns, before the database goes.
    const call = (await voiceInteractions()).find((i) => !before.has(i.id));
    assert.ok(call);
    assert.equal(call.status, 'ended');
    assert.equal(call.outcome, 'interrupted');
    const cdrs = await t.hotline.services.store.voice.cdrs(call.id);
    assert.deepEqual(
      cdrs.map((c) => [c.direction, c.endCause]),
      [['inbound', 'shutdown']],
    );
    const run = await running;
    assert.equal(run.code, 0, `SIPp got our BYE: ${run.out.slice(-3000)}`);
  },
);
