import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildStatement, monthOf, monthRange } from './statement.js';
import { csvCell, csvRow } from './csv.js';

test('a statement adds charges, refunds and top-ups to the opening balance', () => {
  const s = buildStatement('2026-11', 100, [
    { kind: 'topup', amount: 500, segments: 0, messageType: null },
    { kind: 'charge', amount: -20, segments: 2, messageType: 'marketing' },
    { kind: 'charge', amount: -10, segments: 1, messageType: 'otp' },
    { kind: 'charge', amount: -30, segments: 3, messageType: 'marketing' },
    { kind: 'refund', amount: 10, segments: 1, messageType: 'marketing' },
  ]);
  assert.equal(s.charges, 60);
  assert.equal(s.refunds, 10);
  assert.equal(s.topUps, 500);
  assert.equal(s.closingBalance, 100 - 60 + 10 + 500);
  assert.deepEqual(s.byType, [
    { type: 'marketing', messages: 2, segments: 5, charged: 50, refunded: 10, refundedSegments: 1 },
    { type: 'otp', messages: 1, segments: 1, charged: 10, refunded: 0, refundedSegments: 0 },
  ]);
});

test('months are UTC calendar months', () => {
  const r = monthRange('2026-12');
  assert.equal(r.start.toISOString(), '2026-12-01T00:00:00.000Z');
  assert.equal(r.end.toISOString(), '2027-01-01T00:00:00.000Z');
  assert.equal(monthOf(Date.UTC(2026, 10, 30, 23, 59)), '2026-11');
  assert.throws(() => monthRange('2026-13'), RangeError);
});

test('CSV cells are quoted and guarded against formulas', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"\nbye'), '"say ""hi""\nbye"');
  assert.equal(csvCell('=1+1'), "'=1+1");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('+12025550143'), "'+12025550143");
  assert.equal(csvCell(-5), '-5');
  assert.equal(csvCell(null), '');
  assert.equal(csvRow(['a', 1, new Date(0)]), 'a,1,1970-01-01T00:00:00.000Z\r\n');
});
