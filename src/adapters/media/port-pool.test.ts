import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpPortPool } from './port-pool.js';

test('hands out even ports round robin and reuses released ones', () => {
  const pool = new RtpPortPool(20001, 20006);
  assert.equal(pool.size, 3);
  assert.deepEqual(
    [pool.allocate(), pool.allocate(), pool.allocate(), pool.allocate()],
    [20002, 20004, 20006, null],
  );
  pool.release(20004);
  assert.equal(pool.allocate(), 20004);
  assert.throws(() => new RtpPortPool(5, 5), RangeError);
});
