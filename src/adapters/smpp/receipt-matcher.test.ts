import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiptMatcher } from './receipt-matcher.js';

test('a receipt after its accepted submit carries the reference at once', () => {
  const m = new ReceiptMatcher<string>();
  const t = m.begin();
  assert.deepEqual(m.accepted(t, '0A1B', 'outbox-1', 0), []);
  assert.deepEqual(m.receipt('0000002587', 'r1', 10), { receipt: 'r1', reference: 'outbox-1' });
});

test('a receipt before its submit_sm_resp waits and is matched when the response lands', () => {
  const m = new ReceiptMatcher<string>();
  const t1 = m.begin();
  const t2 = m.begin();
  assert.equal(m.receipt('0A1B', 'early', 0), undefined);
  assert.equal(m.waiting, 1);
  assert.deepEqual(m.accepted(t1, 'FFFF', 'other', 1), []);
  assert.deepEqual(m.accepted(t2, '2587', 'mine', 2), [{ receipt: 'early', reference: 'mine' }]);
  assert.equal(m.waiting, 0);
});

test('a held receipt is released unmatched once the submits it waited for all settle', () => {
  const m = new ReceiptMatcher<string>();
  const t1 = m.begin();
  assert.equal(m.receipt('99', 'orphan', 0), undefined);
  const later = m.begin(); // sent after the receipt arrived: not waited for
  assert.deepEqual(m.settled(t1), [{ receipt: 'orphan' }]);
  assert.deepEqual(m.accepted(later, '99', 'too-late', 1), []);
});

test('with nothing in flight an unknown receipt passes straight through', () => {
  const m = new ReceiptMatcher<string>();
  assert.deepEqual(m.receipt('5', 'r', 0), { receipt: 'r' });
  assert.deepEqual(m.receipt(undefined, 'no-id', 0), { receipt: 'no-id' });
});

test('remembered ids expire by age and by count', () => {
  const m = new ReceiptMatcher<string>({ rememberMs: 100, maxRemembered: 2 });
  m.accepted(m.begin(), '1', 'a', 0);
  m.accepted(m.begin(), '2', 'b', 50);
  m.accepted(m.begin(), '3', 'c', 60);
  assert.deepEqual(m.receipt('1', 'r1', 61), { receipt: 'r1' }, 'dropped by count');
  assert.deepEqual(m.receipt('3', 'r3', 61), { receipt: 'r3', reference: 'c' });
  assert.deepEqual(m.receipt('2', 'r2', 151), { receipt: 'r2' }, 'dropped by age');
});

test('per-side id bases', () => {
  const m = new ReceiptMatcher<string>({ submitIdBase: 'hex', receiptIdBase: 'decimal' });
  m.accepted(m.begin(), '12345678', 'x', 0);
  assert.deepEqual(m.receipt('305419896', 'r', 1), { receipt: 'r', reference: 'x' });
});
