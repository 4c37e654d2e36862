// baresip as a second, independent caller (besides SIPp): it dials Hotline, hears the menu, presses 1
// (RFC 4733 from its own stack), waits in the queue and hangs up, which must count as an abandon.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InteractionRecord } from '../src/services/records.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { BARESIP, freeSipPort, pcmWav, tone } from './helpers/voice-peers.js';

const LIMIT = { timeout: 90_000 };
const RTP_BASE = 44000 + (process.pid % 200) * 40;

function flow(queueId: string): Record<string, unknown> {
  return {
    version: 1,
    name: 'baresip line',
    start: 'menu',
    nodes: {
      menu: { kind: 'menu', prompt: 'menu', options: [{ digit: '1', next: 'billing' }], timeoutSec: 20 },
      billing: { kind: 'queue', queueId },
    },
  };
}

let t: TestHotline;
let queueId: string;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-calls-baresip-'));
  const flowFile = join(dir, 'flow.json');
  writeFileSync(flowFile, JSON.stringify(flow('00000000-0000-4000-8000-000000000000')));
  t = await startTestHotline({
    env: {
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_RTP_PORTS: `${RTP_BASE}-${RTP_BASE + 9}`,
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

async function voiceInteractions(): Promise<InteractionRecord[]> {
  const all = await t.hotline.services.store.interactions.list({ queueId, limit: 100, offset: 0 });
  return all.filter((i) => i.channel === 'voice');
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test(
  'baresip dials in, presses 1, waits in the queue and hangs up: an abandoned voice interaction',
  LIMIT,
  async () => {
    assert.ok(existsSync(BARESIP), 'baresip is missing: CI must install the Debian package baresip-core');
    const v = t.hotline.voice;
    assert.ok(v);
    const home = mkdtempSync(join(tmpdir(), 'hotline-baresip-caller-'));
    const sipPort = await freeSipPort();
    // aufile hangs up at the end of its file: 60 s of microphone outlasts the test.
    writeFileSync(join(home, 'mic.wav'), pcmWav(tone(440, 60)));
    writeFileSync(
      join(home, 'config'),
      [
        `sip_listen 127.0.0.1:${sipPort}`,
        'net_interface 127.0.0.1',
        `rtp_ports ${RTP_BASE + 20}-${RTP_BASE + 29}`,
        'module_path /usr/lib/baresip/modules',
        `audio_source aufile,${join(home, 'mic.wav')}`,
        'audio_player alsa,null',
        'module stdio.so',
        'module g711.so',
        'module aufile.so',
        'module alsa.so',
        'module_app account.so',
        'module_app menu.so',
      ].join('\n') + '\n',
    );
    writeFileSync(
      join(home, 'accounts'),
      `<sip:12025550177@127.0.0.1:${sipPort}>;regint=0;audio_codecs=PCMU\n`,
    );
    const phone = spawn(BARESIP, ['-f', home], { cwd: home, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    phone.stdout.on('data', (d: Buffer) => (out += d.toString()));
    phone.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((r) => phone.on('close', () => r()));
    try {
      await until('baresip to start', () => /baresip is ready|useragent/i.test(out) || out.length > 200);
      phone.stdin.write(`/dial sip:5550100@127.0.0.1:${v.sipPort}\n`);
      await until('the call to be established', () => /established/i.test(out)).catch((err: Error) => {
        throw new Error(`${err.message}\n${out.slice(-3000)}`);
      });
      // A second of the menu prompt, then the key: baresip sends it as RFC 4733 events.
      await new Promise((r) => setTimeout(r, 1000));
      phone.stdin.write('1');
      await until('the caller to wait in the queue', async () =>
        (await voiceInteractions()).some((i) => i.status === 'queued'),
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${out.slice(-3000)}`);
      });
      const framesBefore = v.rtpFramesSent();
      await until('hold music', () => v.rtpFramesSent() - framesBefore > 50);
      phone.stdin.write('b');
      await until('the abandon', async () =>
        (await voiceInteractions()).some((i) => i.outcome === 'abandoned'),
      );
      const [call] = await voiceInteractions();
      assert.ok(call);
      assert.equal(call.fromAddress, '12025550177');
      assert.equal(call.metadata.dnis, '5550100');
      assert.deepEqual(call.metadata.ivrPath, ['menu', 'billing']);
      await until('the call to be cleaned up', () => v.activeCalls() === 0 && v.rtpPortsInUse() === 0);
    } finally {
      phone.stdin.write('q');
      const guard = setTimeout(() => phone.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(guard);
      rmSync(home, { recursive: true, force: true });
    }
  },
);
