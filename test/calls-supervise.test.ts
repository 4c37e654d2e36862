// Supervision over real sockets: a SIPp caller (440 Hz) reaches Alice's baresip phone (1 kHz); Sue,
// supervisor of Alice's team, supervises from her own baresip phone (2 kHz, registered with her
// agent profile's SIP credentials): listen, then whisper, then barge, then she force-releases the
// call. Sue's phone hears both parties; the stereo recording keeps the caller left and gets Sue's
// voice on the agent's (right) channel only once someone hears her; both legs get a BYE and the
// CDRs say forced_release.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CdrRecord, RecordingRecord } from '../src/services/records.js';
import type { TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';
import { rtpPcap, startSipp, tone, type Peer } from './helpers/voice-peers.js';
import {
  giveSipAccount,
  registeredPhone,
  startVoiceLine,
  until,
  type VoiceLine,
} from './helpers/voice-line.js';

const LIMIT = { timeout: 120_000 };
const BASE = 30000 + (process.pid % 100) * 100;
const HOTLINE_RTP: [number, number] = [BASE, BASE + 29];
const CALLER_RTP = BASE + 40;
const ALICE_RTP: [number, number] = [BASE + 50, BASE + 69];
const SUE_RTP: [number, number] = [BASE + 70, BASE + 89];

let line: VoiceLine;
let t: TestHotline;
let alice: { id: string; token: string };
let sue: { token: string; userId: string };
let alicePhone: Peer;
let suePhone: Peer;
const heardBySue = () => join(line.dir, 'sue-heard');
const heardByAlice = () => join(line.dir, 'alice-heard');
const voice = () => line.voice();
const latestCall = () => line.latestCall();

before(async () => {
  line = await startVoiceLine({
    prefix: 'hotline-supervise-',
    rtp: HOTLINE_RTP,
    queue: { wrapUpSec: 60, reservationTimeoutSec: 60 },
  });
  ({ t } = line);
  mkdirSync(heardBySue());
  mkdirSync(heardByAlice());
  const supUser = await t.call(
    'POST',
    '/api/users',
    { username: 'sue', displayName: 'Sue', role: 'supervisor', password: 'super-pass-1' },
    t.adminToken,
  );
  const team = await t.call(
    'POST',
    '/api/teams',
    { name: 'Billing team', supervisorIds: [supUser.body.id] },
    t.adminToken,
  );
  assert.equal(team.status, 201, JSON.stringify(team.body));
  alice = await createUserWithAgent(t, 'alice', { teamId: team.body.id, skills: { [line.skillId]: 5 } });
  // Sue's phone: an agent profile of her own (no skills, never logged in) carries her SIP account.
  const sueAgent = await t.call('POST', '/api/agents', { userId: supUser.body.id }, t.adminToken);
  assert.equal(sueAgent.status, 201, JSON.stringify(sueAgent.body));
  sue = { token: await t.login('sue', 'super-pass-1'), userId: supUser.body.id };
  await giveSipAccount(t, alice.id, 'alice', 'alice-phone-1');
  await giveSipAccount(t, sueAgent.body.id, 'sue', 'sue-phone-123');
  alicePhone = await registeredPhone(line, {
    user: 'alice',
    password: 'alice-phone-1',
    autoAnswer: true,
    audio: tone(1000, 40),
    rtpPorts: ALICE_RTP,
    receivedDir: heardByAlice(),
  });
  suePhone = await registeredPhone(line, {
    user: 'sue',
    password: 'sue-phone-123',
    autoAnswer: true,
    audio: tone(2000, 40),
    rtpPorts: SUE_RTP,
    receivedDir: heardBySue(),
  });
});

after(async () => {
  await alicePhone?.stop();
  await suePhone?.stop();
  await line?.stop();
});

/** Amplitude of `hz` in 16-bit samples of one channel (of `stride` interleaved), by correlation. */
function level(samples: Int16Array, hz: number, channel = 0, stride = 1): number {
  let re = 0;
  let im = 0;
  const n = Math.floor(samples.length / stride);
  for (let i = 0; i < n; i++) {
    const s = samples[i * stride + channel]!;
    re += s * Math.cos((2 * Math.PI * hz * i) / 8000);
    im += s * Math.sin((2 * Math.PI * hz * i) / 8000);
  }
  return (2 * Math.sqrt(re * re + im * im)) / Math.max(1, n);
}

/** `level` of a mono signal averaged over 100 ms blocks (gaps and jitter shift the phase). */
function blockLevel(samples: Int16Array, hz: number, channel = 0, stride = 1): number {
  const blocks: number[] = [];
  const size = 800 * stride;
  for (let at = 0; at + size <= samples.length; at += size) {
    blocks.push(level(samples.subarray(at, at + size), hz, channel, stride));
  }
  return blocks.reduce((a, b) => a + b, 0) / Math.max(1, blocks.length);
}

/** The strongest 100 ms block of `hz` in a mono signal. */
function peakLevel(samples: Int16Array, hz: number): number {
  let peak = 0;
  for (let at = 0; at + 800 <= samples.length; at += 800) {
    peak = Math.max(peak, level(samples.subarray(at, at + 800), hz));
  }
  return peak;
}

function pcm(wav: Buffer, fromByte = 44, toByte = wav.length): Int16Array {
  const part = wav.subarray(fromByte, toByte - ((toByte - fromByte) % 4));
  return new Int16Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.length));
}

test(
  'a supervisor listens, whispers, barges in from her phone, then force-releases the call',
  LIMIT,
  async () => {
    const login = await t.call(
      'POST',
      `/api/agents/${alice.id}/login`,
      { presence: 'available' },
      alice.token,
    );
    assert.ok(login.status < 300, JSON.stringify(login.body));
    const caller = startSipp('agent-call.xml', `127.0.0.1:${voice().sipPort}`, {
      mediaPort: CALLER_RTP,
      files: { 'caller.pcap': rtpPcap(tone(440, 30)) },
    });
    try {
      await until('the agent to answer', async () => (await latestCall())?.status === 'active');
      const call = (await latestCall())!;
      const url = `/api/interactions/${call.id}/supervise`;
      // The agent may not supervise; nobody supervises yet.
      assert.equal((await t.call('POST', url, { mode: 'listen' }, alice.token)).status, 403);
      const none = await t.call('PATCH', url, { mode: 'barge' }, sue.token);
      assert.equal((none.body as { error: { code: string } }).error.code, 'SUPERVISION_NOT_ACTIVE');

      const started = await t.call('POST', url, { mode: 'listen' }, sue.token);
      assert.equal(started.status, 202, JSON.stringify(started.body));
      assert.deepEqual(started.body, {
        interactionId: call.id,
        supervisorId: sue.userId,
        mode: 'listen',
        state: 'ringing',
      });
      await until('Sue to be connected', async () => {
        const s = await t.call<{ state: string }>('GET', url, undefined, sue.token);
        return s.body.state === 'connected';
      });
      const twice = await t.call('POST', url, { mode: 'barge' }, t.adminToken);
      assert.equal((twice.body as { error: { code: string } }).error.code, 'SUPERVISION_ACTIVE');

      const [rec] = (
        await t.call<RecordingRecord[]>(
          'GET',
          `/api/interactions/${call.id}/recordings`,
          undefined,
          sue.token,
        )
      ).body;
      const size = async (): Promise<number> => (await stat(rec!.filePath)).size;
      // Two seconds in each mode; the recording's size tells where each mode starts.
      const spans: Record<string, [number, number]> = {};
      for (const mode of ['listen', 'whisper', 'barge'] as const) {
        if (mode !== 'listen') {
          const changed = await t.call('PATCH', url, { mode }, sue.token);
          assert.equal(changed.status, 200, JSON.stringify(changed.body));
          assert.equal((changed.body as { mode: string }).mode, mode);
        }
        const from = (await size()) + 8000; // a quarter second for the switch to settle
        await until(`two seconds of ${mode}`, async () => (await size()) > from + 2 * 32000, 30_000);
        spans[mode] = [from, from + 2 * 32000];
      }

      const released = await t.call('POST', `/api/interactions/${call.id}/release`, undefined, sue.token);
      assert.equal(released.status, 204, JSON.stringify(released.body));
      // The caller got its BYE (SIPp's scenario ends with it) and so did Alice's phone.
      assert.equal(await caller.exited, 0, caller.log().slice(-3000));
      await alicePhone.waitFor(/terminated|closed/i);
      await until('wrap-up', async () => (await latestCall())?.status === 'wrap_up');
      const cdrs = (
        await t.call<CdrRecord[]>('GET', `/api/interactions/${call.id}/cdrs`, undefined, t.adminToken)
      ).body;
      // Sue's leg has its own record (role supervisor).
      assert.deepEqual(cdrs.map((c) => `${c.direction}:${c.role}:${c.endCause}`).sort(), [
        'inbound:caller:forced_release',
        'outbound:agent:forced_release',
        'outbound:supervisor:forced_release',
      ]);
      const types = (await t.hotline.services.store.interactions.events(call.id)).map((e) => e.type);
      assert.deepEqual(
        types.filter((x) => x.startsWith('supervision') || x === 'force_released'),
        ['supervision_started', 'supervision_mode_changed', 'supervision_mode_changed', 'force_released'],
      );
      const audit = await t.call<{ action: string }[]>(
        'GET',
        '/api/audit?action=interaction.release',
        undefined,
        t.adminToken,
      );
      assert.equal(audit.status, 200);
      assert.equal(audit.body.length, 1);
      // Sue's phone is hung up with the call; the bridge and legs are gone.
      await until('the legs to be cleaned up', () => voice().connectedCalls() === 0);
      assert.equal((await t.call('GET', url, undefined, sue.token)).status, 409);

      // The recording: caller left, Alice right; Sue on the right only while someone hears her.
      const wav = readFileSync(rec!.filePath);
      const stereo = (span: [number, number]) => pcm(wav, span[0] - (span[0] % 4), span[1]);
      const listen = stereo(spans.listen!);
      const whisper = stereo(spans.whisper!);
      const barge = stereo(spans.barge!);
      const at = (x: Int16Array, hz: number, c: number) => blockLevel(x, hz, c, 2);
      const show = (x: Int16Array) =>
        [440, 1000, 2000].map((hz) => [0, 1].map((c) => Math.round(at(x, hz, c))));
      const report = JSON.stringify({ listen: show(listen), whisper: show(whisper), barge: show(barge) });
      assert.ok(at(listen, 440, 0) > 2000, `the caller on the left: ${report}`);
      assert.ok(at(listen, 1000, 1) > 2000, `Alice on the right: ${report}`);
      assert.ok(at(listen, 2000, 1) < 500, `listening Sue is not recorded: ${report}`);
      assert.ok(at(whisper, 2000, 1) > 2000, `whispering Sue is recorded: ${report}`);
      assert.ok(at(barge, 2000, 1) > 2000, `barging Sue is recorded: ${report}`);
      assert.ok(at(barge, 2000, 0) < 500, `never on the caller’s channel: ${report}`);

      // What Sue's phone heard: both the caller and Alice.
      const dumps = readdirSync(heardBySue()).filter((f) => f.endsWith('-dec.wav'));
      assert.equal(dumps.length, 1, dumps.join());
      const heard = pcm(readFileSync(join(heardBySue(), dumps[0]!)));
      assert.ok(blockLevel(heard, 440) > 1000, `Sue heard the caller: ${blockLevel(heard, 440)}`);
      assert.ok(blockLevel(heard, 1000) > 1000, `Sue heard Alice: ${blockLevel(heard, 1000)}`);
      // Alice heard Sue (whisper, barge) besides the caller.
      const [aliceDump] = readdirSync(heardByAlice()).filter((f) => f.endsWith('-dec.wav'));
      const byAlice = pcm(readFileSync(join(heardByAlice(), aliceDump!)));
      assert.ok(blockLevel(byAlice, 440) > 1000, `Alice heard the caller: ${blockLevel(byAlice, 440)}`);
      assert.ok(peakLevel(byAlice, 2000) > 3000, `Alice heard Sue: ${peakLevel(byAlice, 2000)}`);
    } finally {
      await caller.stop();
    }
  },
);
