import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpReceiveCounter } from './rtp-stats.js';

test('perfectly paced stream: no loss, zero jitter, across seq and timestamp wraps', () => {
  const c = new RtpReceiveCounter();
  for (let i = 0; i < 100; i++) c.record((65500 + i) & 0xffff, (0xfffff000 + i * 160) >>> 0, 1000 + i * 20);
  const s = c.snapshot();
  assert.equal(s.packets, 100);
  assert.equal(s.lost, 0);
  assert.equal(s.jitter, 0);
  assert.equal(s.extendedHighestSeq, 65500 + 99);
});

test('gaps count as lost', () => {
  const c = new RtpReceiveCounter();
  for (const i of [0, 1, 2, 5, 6, 9]) c.record(i, i * 160, i * 20);
  assert.equal(c.snapshot().lost, 4);
});

test('jitter follows RFC 3550 A.8 (J += (|D| - J) / 16)', () => {
  const c = new RtpReceiveCounter();
  c.record(0, 0, 0);
  c.record(1, 160, 30); // 10 ms late = 80 timestamp units
  c.record(2, 320, 40); // back on time: D = 80 again
  const j1 = 80 / 16;
  const j2 = j1 + (80 - j1) / 16;
  assert.equal(c.snapshot().jitter, j2);
});
