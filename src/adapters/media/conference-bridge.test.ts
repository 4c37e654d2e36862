import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaChannel } from '../../services/calls/ports.js';
import { encodeG711 } from './g711.js';
import { RtpMediaChannels } from './media-channel.js';
import { RtpPortPool } from './port-pool.js';
import { RtpSession, type AudioFrame } from './rtp-session.js';
import { ManualScheduler } from './scheduler.js';
import { rtpSocketPaths } from '../../../test/helpers/rtp-sockets.js';

// A range of its own, away from bridge.test.ts's.
const BASE = 52000 + (process.pid % 400) * 20;

// Whole cycles in a 20 ms frame, so each tone's share of a mix can be measured exactly.
const toneOf = (hz: number): Int16Array =>
  Int16Array.from({ length: 160 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * hz * i) / 8000)));
const TONES = { caller: toneOf(400), agent: toneOf(1000), supervisor: toneOf(2000) };

/** How much of `ref` is in `x` (1: all of it, 0: none). */
function share(x: Int16Array, ref: Int16Array): number {
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < ref.length; i++) {
    dot += x[i]! * ref[i]!;
    norm += ref[i]! * ref[i]!;
  }
  return dot / norm;
}

function next(session: RtpSession): Promise<AudioFrame> {
  return new Promise((resolve) => session.once('audio', resolve));
}

function nextOn(channel: MediaChannel): Promise<void> {
  return new Promise((resolve) => {
    const stop = channel.onAudio(() => {
      stop();
      resolve();
    });
  });
}

for (const { name, sockets } of rtpSocketPaths) {
  test(`${name}: a third leg mixed in by listen, whisper and barge rules, switched mid-call, then leaving`, async () => {
    const pool = new RtpPortPool(BASE, BASE + 19);
    const scheduler = new ManualScheduler();
    const media = new RtpMediaChannels(pool, scheduler, '127.0.0.1');
    const dir = mkdtempSync(join(tmpdir(), 'hotline-mix-'));
    const legs = {
      caller: await media.open('pcmu', 101),
      agent: await media.open('pcma', 101),
      supervisor: await media.open('pcmu', 101),
    };
    const phones = {
      caller: await RtpSession.open({ sockets, pool, scheduler, codec: 'pcmu' }),
      agent: await RtpSession.open({ sockets, pool, scheduler, codec: 'pcma' }),
      supervisor: await RtpSession.open({ sockets, pool, scheduler, codec: 'pcmu' }),
    };
    for (const k of ['caller', 'agent', 'supervisor'] as const) {
      phones[k].setRemote('127.0.0.1', legs[k].localPort);
      legs[k].setRemote('127.0.0.1', phones[k].port);
    }
    const path = join(dir, 'call.wav');
    const bridge = media.bridge(legs.caller, legs.agent, path);
    let now = 0;
    /** Everyone says one frame; after the next 20 ms tick, what each phone heard of whom. */
    const round = async (talkers: ('caller' | 'agent' | 'supervisor')[]) => {
      const arrived = talkers.map((k) => nextOn(legs[k]));
      const heard = talkers.map((k) => next(phones[k]));
      for (const k of talkers) phones[k].sendFrame(encodeG711(phones[k].codec, TONES[k]));
      await Promise.all(arrived);
      now += 20;
      scheduler.advanceTo(now);
      const frames = await Promise.all(heard);
      return Object.fromEntries(
        talkers.map((k, i) => [
          k,
          Object.fromEntries(
            (['caller', 'agent', 'supervisor'] as const).map((t) => [
              t,
              Math.round(share(frames[i]!.samples, TONES[t]) * 10) / 10 + 0,
            ]),
          ),
        ]),
      );
    };
    try {
      bridge.join(legs.supervisor, 'listen');
      assert.equal(bridge.mixMode, 'listen');
      const listen = await round(['caller', 'agent', 'supervisor']);
      assert.deepEqual(listen, {
        caller: { caller: 0, agent: 1, supervisor: 0 },
        agent: { caller: 1, agent: 0, supervisor: 0 },
        supervisor: { caller: 1, agent: 1, supervisor: 0 },
      });

      bridge.setMixMode('whisper');
      const whisper = await round(['caller', 'agent', 'supervisor']);
      assert.deepEqual(whisper, {
        caller: { caller: 0, agent: 1, supervisor: 0 },
        agent: { caller: 1, agent: 0, supervisor: 1 },
        supervisor: { caller: 1, agent: 1, supervisor: 0 },
      });

      bridge.setMixMode('barge');
      const barge = await round(['caller', 'agent', 'supervisor']);
      assert.deepEqual(barge, {
        caller: { caller: 0, agent: 1, supervisor: 1 },
        agent: { caller: 1, agent: 0, supervisor: 1 },
        supervisor: { caller: 1, agent: 1, supervisor: 0 },
      });

      // The supervisor leaves: caller and agent are relayed directly again, without a tick.
      bridge.leave();
      assert.equal(bridge.mixMode, null);
      const heardByCaller = next(phones.caller);
      phones.agent.sendFrame(encodeG711('pcma', TONES.agent));
      assert.ok(share((await heardByCaller).samples, TONES.agent) > 0.9);

      bridge.stop();
      // The barging supervisor is recorded on the agent's (right) channel, the caller alone on the left.
      const wav = readFileSync(path);
      const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
      const channel = (frame: number, c: number) =>
        Int16Array.from({ length: 160 }, (_, i) => samples[(frame * 160 + i) * 2 + c]!);
      const frames = samples.length / 320;
      assert.ok(frames >= 3, `${frames} frames recorded`);
      const rightShares = [...Array(frames).keys()].map((f) => share(channel(f, 1), TONES.supervisor));
      const leftShares = [...Array(frames).keys()].map((f) => share(channel(f, 0), TONES.supervisor));
      // Listen (frame 0): not recorded; whisper and barge: recorded on the right.
      assert.ok(rightShares[0]! < 0.1, rightShares.join());
      assert.ok(rightShares[1]! > 0.9 && rightShares[2]! > 0.9, rightShares.join());
      assert.ok(
        leftShares.every((s) => s < 0.1),
        leftShares.join(),
      );
    } finally {
      bridge.stop();
      for (const s of [...Object.values(legs), ...Object.values(phones)]) s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
