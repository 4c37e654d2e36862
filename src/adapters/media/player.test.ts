import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import wavefile from 'wavefile';
import { decodePromptWav, decodeRawPrompt, Player } from './player.js';
import { ManualScheduler, type Scheduler } from './scheduler.js';
import { encodeG711, rms } from './g711.js';

const ramp = (n: number) => Int16Array.from({ length: n }, (_, i) => (i * 37) % 20000);

function wav(bitDepth: string, samples: Int16Array, rate = 8000, channels = 1): Uint8Array {
  const w = new wavefile.WaveFile();
  w.fromScratch(channels, rate, '16', channels === 1 ? samples : [samples, samples]);
  if (bitDepth === '8m') w.toMuLaw();
  if (bitDepth === '8a') w.toALaw();
  return w.toBuffer();
}

test('frames are emitted at exactly start + n·20 ms, last one padded, then onEnd', () => {
  const s = new ManualScheduler(1000);
  const seen: { at: number; frame: Int16Array }[] = [];
  let ended = 0;
  const audio = ramp(400); // 2.5 frames
  new Player(audio, {
    scheduler: s,
    onFrame: (f) => seen.push({ at: s.now(), frame: f }),
    onEnd: () => ended++,
  }).start();
  s.advanceTo(5000);
  assert.deepEqual(
    seen.map((x) => x.at),
    [1000, 1020, 1040],
  );
  assert.equal(ended, 1);
  const joined = Int16Array.from(seen.flatMap((x) => [...x.frame]));
  assert.deepEqual(joined.subarray(0, 400), audio);
  assert.ok(joined.subarray(400).every((v) => v === 0));
});

test('pacing is drift-free: a late scheduler does not shift later due times', () => {
  const inner = new ManualScheduler(0);
  const requested: number[] = [];
  // Every callback runs 7 ms late, as a busy event loop would.
  const late: Scheduler = {
    now: () => inner.now(),
    at: (t, fn) => {
      requested.push(t);
      return inner.at(t + 7, fn);
    },
  };
  new Player(ramp(160 * 50), { scheduler: late, onFrame: () => {} }).start();
  inner.advanceTo(10_000);
  assert.deepEqual(
    requested,
    Array.from({ length: 50 }, (_, n) => (n + 1) * 20),
  );
});

test('loop wraps seamlessly until stopped; stop cancels the pending frame', () => {
  const s = new ManualScheduler();
  const frames: Int16Array[] = [];
  let ended = 0;
  const audio = ramp(240);
  const p = new Player(audio, {
    scheduler: s,
    loop: true,
    onFrame: (f) => frames.push(f),
    onEnd: () => ended++,
  });
  p.start();
  s.advanceTo(20 * 9);
  assert.equal(frames.length, 10);
  const joined = frames.flatMap((f) => [...f]);
  joined.forEach((v, i) => assert.equal(v, audio[i % 240]));
  p.stop();
  assert.equal(p.playing, false);
  assert.equal(s.pending(), 0);
  s.advanceTo(10_000);
  assert.equal(frames.length, 10);
  assert.equal(ended, 0);
});

test('empty audio ends at once', () => {
  let ended = 0;
  new Player(new Int16Array(0), {
    scheduler: new ManualScheduler(),
    onFrame: () => assert.fail(),
    onEnd: () => ended++,
  }).start();
  assert.equal(ended, 1);
});

test('decodes PCM16, mu-law and A-law WAVs and raw G.711', () => {
  const audio = ramp(800);
  assert.deepEqual(decodePromptWav(wav('16', audio)), audio);
  for (const [depth, codec] of [
    ['8m', 'pcmu'],
    ['8a', 'pcma'],
  ] as const) {
    const fromWav = decodePromptWav(wav(depth, audio));
    assert.equal(fromWav.length, 800);
    assert.deepEqual(fromWav, decodeRawPrompt(codec, encodeG711(codec, audio)));
  }
});

test('rejects prompts that are not 8 kHz mono', () => {
  assert.throws(() => decodePromptWav(wav('16', ramp(10), 16000)), /8 kHz mono/);
  assert.throws(() => decodePromptWav(wav('16', ramp(10), 8000, 2)), /8 kHz mono/);
});

test('every shipped prompt decodes as 8 kHz mono audio with sound in it', () => {
  const root = new URL('../../../prompts/', import.meta.url);
  for (const lang of ['en', 'zh']) {
    const names = readdirSync(new URL(`${lang}/`, root)).filter((n) => n.endsWith('.wav'));
    assert.ok(names.length >= 18, `${lang} has ${names.length} prompts`);
    for (const name of names) {
      const samples = decodePromptWav(readFileSync(new URL(`${lang}/${name}`, root)));
      assert.ok(samples.length > 800, `${lang}/${name} too short`);
      assert.ok(rms(samples) > 300, `${lang}/${name} is silent`);
    }
    const beep = decodePromptWav(readFileSync(new URL(`${lang}/voicemail-beep.wav`, root)));
    assert.equal(beep.length, 2400); // 300 ms at 8 kHz
  }
});
