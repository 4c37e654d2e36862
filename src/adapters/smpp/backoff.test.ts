import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';

test('back-off doubles up to the cap, jitter within its share', () => {
  const policy = { initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0.5 };
  assert.deepEqual(
    [0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, policy, () => 1)),
    [100, 200, 400, 800, 1000, 1000],
  );
  assert.deepEqual(
    [0, 1, 4].map((a) => backoffDelay(a, policy, () => 0)),
    [50, 100, 500],
  );
  assert.equal(
    backoffDelay(0, { ...policy, jitter: 0 }, () => 0.9),
    100,
  );
  assert.equal(
    backoffDelay(-3, DEFAULT_BACKOFF, () => 1),
    1000,
  );
});
