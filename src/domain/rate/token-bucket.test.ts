import { test } from 'node:test';
import assert from 'node:assert/strict';
import { take, type Bucket } from './token-bucket.js';

test('a bucket allows its capacity at once, then one token per refill interval', () => {
  let b: Bucket | undefined;
  const perMs = 2 / 1000; // 2 per second
  for (let i = 0; i < 2; i++) {
    const r = take(b, 2, perMs, 0);
    assert.equal(r.waitMs, 0);
    b = r.bucket;
  }
  const refused = take(b, 2, perMs, 0);
  assert.equal(refused.waitMs, 500);
  assert.equal(take(refused.bucket, 2, perMs, 499).waitMs, 1);
  assert.equal(take(refused.bucket, 2, perMs, 500).waitMs, 0);
});
