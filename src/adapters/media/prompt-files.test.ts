import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { PromptFolders, convertPromptWav } from './prompt-files.js';
import { decodePromptWav } from './player.js';

function wav(channels: number, rate: number, bitDepth: string, samples: number[][]): Buffer {
  const w = new wavefile.WaveFile();
  w.fromScratch(channels, rate, bitDepth, channels === 1 ? (samples[0] as number[]) : samples);
  return Buffer.from(w.toBuffer());
}

test('calls play an upload in place of the built-in prompt, and the built-in again once it is removed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prompts-'));
  try {
    mkdirSync(join(dir, 'builtin', 'en'), { recursive: true });
    writeFileSync(join(dir, 'builtin', 'en', 'welcome.wav'), wav(1, 8000, '16', [[0, 1, 2]]));
    const folders = new PromptFolders(join(dir, 'builtin'), join(dir, 'uploads'));
    assert.equal(folders.path('en', 'welcome'), join(dir, 'builtin', 'en', 'welcome.wav'));
    const converted = convertPromptWav(wav(1, 8000, '16', [[100, 200, 300, 400]]));
    assert.ok(converted.ok);
    await folders.store('en', 'welcome', converted.prompt.wav);
    assert.equal(folders.path('en', 'welcome'), join(dir, 'uploads', 'en', 'welcome.wav'));
    assert.equal(decodePromptWav((await folders.read('en', 'welcome'))!).length, 4, 'the player reads it');
    assert.deepEqual(await folders.list(), [
      { language: 'en', name: 'welcome', builtIn: true, uploaded: true },
    ]);
    assert.equal(await folders.removeUpload('en', 'welcome'), true);
    assert.equal(folders.path('en', 'welcome'), join(dir, 'builtin', 'en', 'welcome.wav'));
    assert.equal(await folders.removeUpload('en', 'welcome'), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('24-bit, float and µ-law sources convert; stereo channels are averaged', () => {
  const stereo = convertPromptWav(
    wav(2, 8000, '16', [
      [1000, 1000],
      [3000, 3000],
    ]),
  );
  assert.ok(stereo.ok);
  const mono = decodePromptWav(stereo.prompt.wav);
  assert.ok(Math.abs((mono[0] ?? 0) - 2000) < 100, `averaged, got ${mono[0]}`);
  for (const depth of ['24', '32f', '8']) {
    const r = convertPromptWav(
      wav(1, 16000, depth, [
        depth === '32f' ? [0.1, 0.2, 0.3, 0.4] : depth === '8' ? [130, 140, 150, 160] : [1, 2, 3, 4],
      ]),
    );
    assert.ok(r.ok, `${depth}: ${r.ok ? '' : r.reason}`);
  }
  const ulaw = new wavefile.WaveFile();
  ulaw.fromScratch(1, 8000, '16', [0, 5000, -5000, 0]);
  ulaw.toMuLaw();
  const r = convertPromptWav(Buffer.from(ulaw.toBuffer()));
  assert.ok(r.ok && r.prompt.durationMs === 1);
  const bad = convertPromptWav(wav(1, 4000, '16', [[1, 2, 3]]));
  assert.deepEqual(bad, { ok: false, reason: 'sample rate 4000 Hz is out of range (8000–192000)' });
});
