import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAULT_SUFFIXES, faultFor } from './fault-plan.js';

test('the destination suffix convention', () => {
  assert.deepEqual(faultFor('447900000001'), { kind: 'no-response' });
  assert.deepEqual(faultFor('447900000058'), { kind: 'status', status: 0x58 });
  assert.deepEqual(faultFor('447900000014'), { kind: 'status', status: 0x14 });
  assert.deepEqual(faultFor('447900000045'), { kind: 'status', status: 0x45 });
  assert.equal(faultFor('447900000099').kind, 'receipt');
  assert.deepEqual(faultFor('447900000777'), { kind: 'slow' });
  assert.deepEqual(faultFor('447900001234'), { kind: 'deliver' });
  assert.deepEqual(faultFor('1'), { kind: 'deliver' });
  for (const suffix of Object.keys(FAULT_SUFFIXES)) assert.match(suffix, /^\d{4}$/);
});
