import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slabCopy, slabInt16 } from './slab.js';

test('slab arrays are zeroed, independent of each other and of what they were copied from', () => {
  const frames = Array.from({ length: 100 }, () => slabInt16(160)); // spans several slabs
  assert.ok(frames.every((f) => f.length === 160 && f.every((v) => v === 0)));
  frames.forEach((f, i) => f.fill(i));
  assert.ok(frames.every((f, i) => f.every((v) => v === i)));

  const source = Uint8Array.from({ length: 172 }, (_, i) => i);
  const copies = Array.from({ length: 100 }, () => slabCopy(source, 12));
  source.fill(0);
  copies[0]!.fill(0xee);
  assert.deepEqual(
    [...copies[1]!],
    Array.from({ length: 160 }, (_, i) => i + 12),
  );
  assert.ok(copies[0]!.every((v) => v === 0xee));
  assert.deepEqual([...slabCopy(new Uint8Array([1, 2, 3]), 2, 1)], []);
});

test('large arrays get memory of their own, so keeping one does not pin a shared slab', () => {
  const big = slabInt16(8000);
  assert.equal(big.byteOffset, 0);
  assert.equal(big.buffer.byteLength, 16000);
});
