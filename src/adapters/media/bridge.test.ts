import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { RtpBridge } from './bridge.js';
import { serializeRtp } from './rtp-packet.js';
import { encodeG711, rms } from './g711.js';
import { RtpPortPool } from './port-pool.js';
import { RtpSession, type AudioFrame } from './rtp-session.js';
import { ManualScheduler } from './scheduler.js';
import { rtpSocketPaths } from '../../../test/helpers/rtp-sockets.js';
import { nativeRtpSockets } from './udp-batch.js';

// A range unlikely to collide with other tests running concurrently on this machine.
const BASE = 47000 + (process.pid % 500) * 10;

function collect(n: number, session: RtpSession): Promise<AudioFrame[]> {
  const got: AudioFrame[] = [];
  return new Promise((resolve) => {
    session.on('audio', (f) => {
      got.push(f);
      if (got.length === n) resolve(got);
    });
  });
}

const toneOf = (hz: number) =>
  Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000)));

for (const { name, sockets } of rtpSocketPaths) {
  test(`${name}: a PCMU caller and a PCMA agent hear each other through the bridge, and it records both`, async () => {
    const pool = new RtpPortPool(BASE, BASE + 9);
    const scheduler = new ManualScheduler();
    const dir = mkdtempSync(join(tmpdir(), 'hotline-bridge-'));
    // The outside phones, and our two legs facing them.
    const callerPhone = await RtpSession.open({ sockets, pool, scheduler, codec: 'pcmu' });
    const callerLeg = await RtpSession.open({ sockets, pool, scheduler, codec: 'pcmu' });
    const agentPhone = await RtpSession.open({ sockets, pool, scheduler, codec: 'pcma' });
    const agentLeg = await RtpSession.open({ sockets, pool, scheduler, codec: 'pcma' });
    callerPhone.setRemote('127.0.0.1', callerLeg.port);
    callerLeg.setRemote('127.0.0.1', callerPhone.port);
    agentPhone.setRemote('127.0.0.1', agentLeg.port);
    agentLeg.setRemote('127.0.0.1', agentPhone.port);
    const path = join(dir, 'rec', 'call.wav');
    const bridge = new RtpBridge(callerLeg, agentLeg, scheduler, path, () => undefined);
    try {
      const callerTone = toneOf(440);
      const agentTone = toneOf(1000);
      const atAgent = collect(5, agentPhone);
      const atCaller = collect(5, callerPhone);
      for (let i = 0; i < 5; i++) {
        callerPhone.sendFrame(encodeG711('pcmu', callerTone));
        agentPhone.sendFrame(encodeG711('pcma', agentTone));
      }
      const heardByAgent = await atAgent;
      const heardByCaller = await atCaller;
      // Transcoded on the way: the agent's phone decodes A-law into the caller's tone.
      const err = (a: Int16Array, b: Int16Array) => Math.max(...a.map((s, i) => Math.abs(s - b[i]!)));
      assert.ok(err(heardByAgent[2]!.samples, callerTone) < 600);
      assert.ok(err(heardByCaller[2]!.samples, agentTone) < 600);

      scheduler.advanceTo(5 * 20);
      bridge.pauseRecording();
      assert.equal(bridge.recordingPaused, true);
      scheduler.advanceTo(10 * 20);
      bridge.resumeRecording();
      scheduler.advanceTo(12 * 20);
      const summary = bridge.stop();
      assert.deepEqual(summary, { durationMs: 240, pauses: [{ fromMs: 100, toMs: 200 }] });

      const wav = readFileSync(path);
      const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
      const channel = (c: number, from: number, to: number) =>
        Int16Array.from({ length: (to - from) * 160 }, (_, i) => samples[(from * 160 + i) * 2 + c]!);
      assert.ok(rms(channel(0, 0, 5)) > 1000, 'caller on the left');
      assert.ok(rms(channel(1, 0, 5)) > 1000, 'agent on the right');
      assert.equal(rms(channel(0, 5, 10)) + rms(channel(1, 5, 10)), 0, 'silence while paused');
    } finally {
      bridge.stop();
      for (const s of [callerPhone, callerLeg, agentPhone, agentLeg]) s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(
    `${name}: a stream that changes SSRC starts its sequence numbers afresh and is still heard`,
    { timeout: 10_000 },
    async () => {
      const pool = new RtpPortPool(BASE + 5, BASE + 9);
      const scheduler = new ManualScheduler();
      const session = await RtpSession.open({ sockets, pool, scheduler });
      const socket = createSocket('udp4');
      try {
        await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
        const heard = collect(6, session);
        const payload = encodeG711('pcmu', toneOf(440));
        const send = (ssrc: number, seq: number) =>
          socket.send(
            serializeRtp({
              payloadType: 0,
              sequenceNumber: seq,
              timestamp: seq * 160,
              ssrc,
              marker: false,
              payload,
            }),
            session.port,
            '127.0.0.1',
          );
        // From the same address, a first stream high in sequence space, then a new source from 0
        // (SIPp switching from a DTMF capture to an audio one does exactly this).
        for (let seq = 30000; seq < 30003; seq++) send(1, seq);
        for (let seq = 0; seq < 3; seq++) send(2, seq);
        assert.equal((await heard).length, 6);
      } finally {
        socket.close();
        session.close();
      }
    },
  );

  test(
    `${name}: one codec both ways: every frame reaches the far phone once, in one unbroken stream, through hold and a prompt`,
    { timeout: 15_000 },
    async () => {
      const pool = new RtpPortPool(BASE, BASE + 9);
      const scheduler = new ManualScheduler();
      const dir = mkdtempSync(join(tmpdir(), 'hotline-bridge-relay-'));
      const callerPhone = await RtpSession.open({ sockets, pool, scheduler, codec: 'pcmu' });
      const callerLeg = await RtpSession.open({ sockets, pool, scheduler, codec: 'pcmu' });
      const agentPhone = await RtpSession.open({ sockets, pool, scheduler, codec: 'pcmu' });
      const agentLeg = await RtpSession.open({ sockets, pool, scheduler, codec: 'pcmu' });
      callerPhone.setRemote('127.0.0.1', callerLeg.port);
      callerLeg.setRemote('127.0.0.1', callerPhone.port);
      agentPhone.setRemote('127.0.0.1', agentLeg.port);
      agentLeg.setRemote('127.0.0.1', agentPhone.port);
      const path = join(dir, 'call.wav');
      const bridge = new RtpBridge(callerLeg, agentLeg, scheduler, path, () => undefined);
      const relayedBefore = nativeRelayed();
      const settle = () => new Promise((r) => setTimeout(r, 30));
      const heardByAgent: AudioFrame[] = [];
      agentPhone.on('audio', (f) => heardByAgent.push(f));
      try {
        const tone = encodeG711('pcmu', toneOf(440));
        const burst = async (n: number) => {
          for (let i = 0; i < n; i++) {
            callerPhone.sendFrame(tone);
            agentPhone.sendFrame(tone);
            await settle();
          }
        };
        await burst(10); // both legs latch and connect; then frames go straight through
        scheduler.advanceTo(10 * 20);
        bridge.setRelay(false); // hold: nothing reaches the agent
        const beforeHold = heardByAgent.length;
        await burst(5);
        assert.equal(heardByAgent.length, beforeHold, 'nothing relayed while on hold');
        agentLeg.sendFrame(encodeG711('pcmu', new Int16Array(160))); // a prompt from our side
        await settle();
        bridge.setRelay(true);
        await burst(10);
        bridge.stop();
        await burst(3); // after the bridge stops, nothing is relayed any more
        const total = heardByAgent.length;
        assert.equal(total, 10 + 1 + 10, 'each frame once: 10 before hold, the prompt, 10 after');
        const seqs = heardByAgent.map((f) => f.sequenceNumber);
        for (let i = 1; i < seqs.length; i++) {
          assert.equal(
            seqs[i],
            (seqs[0]! + i) & 0xffff,
            `one unbroken sequence (at ${i}: ${seqs.join(',')})`,
          );
        }
        for (let i = 1; i < heardByAgent.length; i++) {
          assert.ok(
            (heardByAgent[i]!.timestamp - heardByAgent[i - 1]!.timestamp) >>> 0 >= 160,
            'timestamps move forward',
          );
        }
        assert.ok(rms(heardByAgent[15]!.samples) > 1000, 'the caller is heard after hold');
        if (name === 'native') {
          assert.ok(nativeRelayed() - relayedBefore >= 10, 'frames were relayed below JavaScript');
        }
        const wav = readFileSync(path);
        const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
        const left = Int16Array.from({ length: 5 * 160 }, (_, i) => samples[(5 * 160 + i) * 2]!);
        assert.ok(rms(left) > 1000, 'relayed frames are still recorded (caller on the left)');
      } finally {
        bridge.stop();
        for (const s of [callerPhone, callerLeg, agentPhone, agentLeg]) s.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}

function nativeRelayed(): number {
  const native = nativeRtpSockets();
  return native.ok ? native.stats().relayed : 0;
}
