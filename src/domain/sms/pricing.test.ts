import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costOf, priceFor, refundableSegments, type SmsPrice } from './pricing.js';

const PRICES: SmsPrice[] = [
  { prefix: '', route: null, perSegment: 9 },
  { prefix: '44', route: null, perSegment: 4 },
  { prefix: '447', route: null, perSegment: 5 },
  { prefix: '447', route: 'cheap', perSegment: 3 },
];

test('the longest prefix wins; a route-specific price only for that route', () => {
  assert.equal(priceFor(PRICES, '+447700900123')?.perSegment, 5);
  assert.equal(priceFor(PRICES, '+447700900123', 'cheap')?.perSegment, 3);
  assert.equal(priceFor(PRICES, '+442079460000')?.perSegment, 4);
  assert.equal(priceFor(PRICES, '+12025550143')?.perSegment, 9);
  assert.equal(priceFor(PRICES.slice(1), '+12025550143'), undefined);
});

test('cost is an exact integer', () => {
  assert.equal(costOf(3, 7), 21);
  assert.throws(() => costOf(2, Number.MAX_SAFE_INTEGER), RangeError);
});

test('refunds count only segments that never reached the SMSC', () => {
  assert.equal(refundableSegments(2, []), 2);
  assert.equal(
    refundableSegments(3, [
      { status: 'submitted', smscMessageId: 'a' },
      { status: 'failed', smscMessageId: null },
      { status: 'queued', smscMessageId: null },
    ]),
    2,
  );
  // Undeliverable after the SMSC took it, or unknown: not refunded.
  assert.equal(
    refundableSegments(2, [
      { status: 'failed', smscMessageId: 'x' },
      { status: 'uncertain', smscMessageId: null },
    ]),
    0,
  );
});
