import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ReorderBuffer } from './reorder-buffer.js';

function run(seqs: number[], depth = 4): number[] {
  const buf = new ReorderBuffer<number>(depth);
  const out: number[] = [];
  for (const s of seqs) out.push(...buf.push(s, s));
  return [...out, ...buf.flush()];
}

test('in-order stream passes straight through, across the 16-bit wrap', () => {
  const seqs = [65533, 65534, 65535, 0, 1, 2];
  const buf = new ReorderBuffer<number>();
  for (const s of seqs) assert.deepEqual(buf.push(s, s), [s]);
});

test('swaps are put back in order; duplicates and late packets are dropped', () => {
  assert.deepEqual(run([10, 12, 11, 13, 13, 11, 9]), [10, 11, 12, 13]);
});

test('a lost packet is skipped once more than depth packets wait', () => {
  const buf = new ReorderBuffer<number>(2);
  assert.deepEqual(buf.push(1, 1), [1]);
  assert.deepEqual(buf.push(3, 3), []);
  assert.deepEqual(buf.push(4, 4), []);
  assert.deepEqual(buf.push(5, 5), [3, 4, 5]);
  assert.deepEqual(buf.push(2, 2), []); // too late now
});

test('a big jump resynchronises instead of stalling', () => {
  assert.deepEqual(run([1, 2, 30000, 30001]), [1, 2, 30000, 30001]);
});

test('any local shuffle with duplicates yields each packet at most once, in increasing order', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 0xffff }),
      fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 200 }),
      (start, jitter) => {
        const seqs = jitter.map((j, i) => (start + Math.max(0, i + j)) & 0xffff);
        const out = run(seqs);
        assert.equal(new Set(out).size, out.length);
        for (let i = 1; i < out.length; i++) assert.ok(((out[i]! - out[i - 1]!) & 0xffff) < 0x8000);
      },
    ),
  );
});
