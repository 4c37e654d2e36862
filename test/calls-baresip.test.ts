// baresip as a second, independent caller (besides SIPp): it dials Hotline, hears the menu, presses 1
// (RFC 4733 from its own stack), waits in the queue and hangs up, which must count as an abandon.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestHotline } from './helpers/hotline.js';
import { billingMenu, startVoiceLine, until, type VoiceLine } from './helpers/voice-line.js';
import { BARESIP, freeSipPort, pcmWav, tone } from './helpers/voice-peers.js';

const LIMIT = { timeout: 90_000 };
const RTP_BASE = 44000 + (process.pid % 200) * 40;

let line: VoiceLine;
let t: TestHotline;
const voiceInteractions = () => line.voiceInteractions();

before(async () => {
  line = await startVoiceLine({
    prefix: 'hotline-calls-baresip-',
    rtp: [RTP_BASE, RTP_BASE + 9],
    flow: (queueId) => billingMenu(queueId, 20),
    skill: false,
  });
  ({ t } = line);
});

after(() => line?.stop());

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
