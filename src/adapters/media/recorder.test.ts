import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { CallRecorder } from './recorder.js';
import { repairWav, wavHeader } from './wav-header.js';

const dir = mkdtempSync(join(tmpdir(), 'hotline-rec-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const frame = (v: number) => new Int16Array(160).fill(v);

function read(path: string): {
  channels: number;
  rate: number;
  bits: string;
  left: number[];
  right: number[];
} {
  const w = new wavefile.WaveFile();
  w.fromBuffer(readFileSync(path));
  const fmt = w.fmt as { numChannels: number; sampleRate: number };
  const [left, right] = w.getSamples(false, Int16Array) as unknown as [Int16Array, Int16Array];
  return {
    channels: fmt.numChannels,
    rate: fmt.sampleRate,
    bits: w.bitDepth,
    left: [...left],
    right: [...right],
  };
}

test('close leaves a stereo 8 kHz 16-bit file with caller left and agent right', () => {
  const path = join(dir, 'closed.wav');
  const rec = new CallRecorder(path);
  for (let i = 0; i < 7; i++) rec.write(frame(100 + i), frame(-200 - i));
  rec.write(null, frame(5));
  const meta = rec.close();
  assert.equal(meta.durationMs, 160);
  const w = read(path);
  assert.deepEqual([w.channels, w.rate, w.bits], [2, 8000, '16']);
  assert.equal(w.left.length, 8 * 160);
  assert.equal(w.left[0], 100);
  assert.equal(w.right[160 * 6], -206);
  assert.equal(w.left[160 * 7], 0);
  assert.equal(w.right[160 * 7], 5);
});

test('a crash without close leaves a playable file up to the last whole second', () => {
  const path = join(dir, 'crash.wav');
  const rec = new CallRecorder(path);
  for (let i = 0; i < 175; i++) rec.write(frame(1), frame(2)); // 3.5 s, never closed
  const w = read(path);
  assert.equal(w.channels, 2);
  assert.equal(w.left.length, 3 * 8000);
  assert.ok(w.left.every((v) => v === 1) && w.right.every((v) => v === 2));
  assert.equal(statSync(path).size, 44 + 3 * 8000 * 4);
});

test('repairWav fixes stale sizes and drops a partial trailing frame', () => {
  const path = join(dir, 'cut.wav');
  // Header still says "empty", as if the process died before its first size fix.
  const body = Buffer.alloc(1000 * 4 + 3);
  for (let i = 0; i < 1000; i++) {
    body.writeInt16LE(i, i * 4);
    body.writeInt16LE(-i, i * 4 + 2);
  }
  writeFileSync(path, wavHeader(2, 8000, 16, 0));
  appendFileSync(path, body);
  assert.equal(repairWav(path), 4000);
  const w = read(path);
  assert.equal(w.left.length, 1000);
  assert.equal(w.left[999], 999);
  assert.equal(w.right[999], -999);
  assert.equal(statSync(path).size, 44 + 4000);

  const notWav = join(dir, 'x.bin');
  writeFileSync(notWav, 'hello world, not a wave');
  assert.equal(repairWav(notWav), null);
});

test('pause writes silence, records the span, and drops DTMF while paused', () => {
  const path = join(dir, 'paused.wav');
  const rec = new CallRecorder(path);
  rec.write(frame(9), frame(9));
  rec.noteDtmf('1');
  rec.pause();
  rec.write(frame(9), frame(9));
  rec.noteDtmf('4'); // e.g. a card digit: must not be noted
  rec.write(frame(9), frame(9));
  rec.resume();
  rec.noteDtmf('#');
  rec.write(frame(9), frame(9));
  const meta = rec.close();
  assert.deepEqual(meta.dtmf, [
    { digit: '1', atMs: 20 },
    { digit: '#', atMs: 60 },
  ]);
  assert.deepEqual(meta.pauses, [{ fromMs: 20, toMs: 60 }]);
  const w = read(path);
  assert.equal(w.left.length, 4 * 160);
  assert.ok(w.left.slice(160, 480).every((v) => v === 0));
  assert.ok(w.left.slice(480).every((v) => v === 9));
});

test('frames of any length are cut or padded to 20 ms, and no audio of an earlier second leaks into a later one', () => {
  const path = join(dir, 'lengths.wav');
  const rec = new CallRecorder(path);
  for (let i = 0; i < 50; i++) rec.write(frame(7), frame(-7)); // one full second, flushed
  rec.write(new Int16Array(200).fill(3), new Int16Array(10).fill(4)); // long left, short right
  rec.write(null, null);
  rec.pause();
  rec.write(frame(9), frame(9));
  rec.close();
  const w = read(path);
  assert.equal(w.left.length, 53 * 160);
  const second = 50 * 160;
  assert.ok(w.left.slice(0, second).every((v) => v === 7) && w.right.slice(0, second).every((v) => v === -7));
  assert.ok(w.left.slice(second, second + 160).every((v) => v === 3));
  assert.ok(w.right.slice(second, second + 10).every((v) => v === 4));
  assert.ok(w.right.slice(second + 10, second + 160).every((v) => v === 0));
  assert.ok(
    w.left.slice(second + 160).every((v) => v === 0) && w.right.slice(second + 160).every((v) => v === 0),
  );
});
