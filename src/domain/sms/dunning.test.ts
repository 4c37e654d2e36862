import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideNotice, formatAmount, renderNotice, type DunningRules } from './dunning.js';
import { arrearsFromCsv, parseAmount, validateArrears } from './dunning-import.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 23, 10, 0);
const RULES: DunningRules = {
  thresholdMinor: 1000,
  stages: ['Reminder {{amount}}', 'Second {{amount}}', 'Final {{amount}}'],
  maxPerPeriod: 2,
  periodDays: 30,
  minIntervalHours: 72,
  window: { from: '08:00', to: '20:00' },
};
const open = { status: 'open' as const, amountMinor: 5000, e164: '+12025550100', openedAt: NOW - 100 * DAY };
const decide = (over: Partial<Parameters<typeof decideNotice>[0]> = {}) =>
  decideNotice({
    debtor: open,
    rules: RULES,
    noticeTimes: [],
    optedOut: false,
    zone: 'UTC',
    now: NOW,
    ...over,
  });

test('a debtor over the threshold gets level 1 now, inside the allowed hours', () => {
  assert.deepEqual(decide(), { kind: 'send', level: 1, template: 'Reminder {{amount}}', sendAt: NOW });
});

test('skip reasons in order: settled, below threshold, invalid number, opted out', () => {
  assert.deepEqual(decide({ debtor: { ...open, status: 'paid' } }), { kind: 'skip', reason: 'settled' });
  assert.deepEqual(decide({ debtor: { ...open, amountMinor: 0 } }), { kind: 'skip', reason: 'settled' });
  assert.deepEqual(decide({ debtor: { ...open, amountMinor: 999 } }), {
    kind: 'skip',
    reason: 'below_threshold',
  });
  assert.deepEqual(decide({ debtor: { ...open, e164: null } }), { kind: 'skip', reason: 'invalid_number' });
  assert.deepEqual(decide({ optedOut: true }), { kind: 'skip', reason: 'opted_out' });
});

test('the minimum interval and the maximum per period, with the instant a notice is allowed again', () => {
  const recent = NOW - 48 * HOUR;
  assert.deepEqual(decide({ noticeTimes: [recent] }), {
    kind: 'skip',
    reason: 'interval_not_elapsed',
    retryAt: recent + 72 * HOUR,
  });
  const second = decide({ noticeTimes: [NOW - 80 * HOUR] });
  assert.equal(second.kind === 'send' && second.level, 2);
  const full = [NOW - 20 * DAY, NOW - 10 * DAY];
  assert.deepEqual(decide({ noticeTimes: full }), {
    kind: 'skip',
    reason: 'max_reached',
    retryAt: NOW - 20 * DAY + 30 * DAY,
  });
  // Older notices left the period: allowed again, and the last stage repeats.
  const later = decide({ noticeTimes: [NOW - 70 * DAY, NOW - 50 * DAY, NOW - 40 * DAY] });
  assert.deepEqual(later, { kind: 'send', level: 4, template: 'Final {{amount}}', sendAt: NOW });
});

test('a re-opened debt starts again at level 1', () => {
  const d = decide({ debtor: { ...open, openedAt: NOW - 5 * DAY }, noticeTimes: [NOW - 60 * DAY] });
  assert.equal(d.kind === 'send' && d.level, 1);
});

test('outside the allowed hours the notice is deferred to the next opening in the recipient zone', () => {
  const night = Date.UTC(2026, 10, 23, 21, 30);
  const d = decideNotice({
    debtor: open,
    rules: RULES,
    noticeTimes: [],
    optedOut: false,
    zone: 'UTC',
    now: night,
  });
  assert.deepEqual(d, {
    kind: 'send',
    level: 1,
    template: 'Reminder {{amount}}',
    sendAt: Date.UTC(2026, 10, 24, 8),
  });
  // The interval counts to when the notice goes out: 71 h before that opening is too soon.
  const tooSoon = decideNotice({
    debtor: open,
    rules: RULES,
    noticeTimes: [Date.UTC(2026, 10, 24, 8) - 71 * HOUR],
    optedOut: false,
    zone: 'UTC',
    now: night,
  });
  assert.equal(tooSoon.kind, 'skip');
});

test('amounts in minor units by the currency, and the notice text', () => {
  assert.equal(formatAmount(123456, 'EUR'), '1234.56');
  assert.equal(formatAmount(5, 'EUR'), '0.05');
  assert.equal(formatAmount(1500, 'JPY'), '1500');
  assert.equal(parseAmount('12.5', 'EUR'), 1250);
  assert.equal(parseAmount('12', 'EUR'), 1200);
  assert.equal(parseAmount(7.25, 'EUR'), 725);
  assert.equal(parseAmount('12.345', 'EUR'), undefined);
  assert.equal(parseAmount('-3', 'EUR'), undefined);
  assert.equal(parseAmount('1,5', 'EUR'), undefined);
  const text = renderNotice(
    'Dear {{name}}, {{utility}} account {{reference}}: {{amount}} {{currency}} due {{dueDate}} ({{daysOverdue}} days). Notice {{level}}.',
    {
      name: 'Ann',
      reference: 'W-1',
      amountMinor: 4250,
      currency: 'EUR',
      dueDate: '2026-11-01',
      utility: 'water',
    },
    2,
    NOW,
  );
  assert.equal(text, 'Dear Ann, water account W-1: 42.50 EUR due 2026-11-01 (22 days). Notice 2.');
});

test('CSV import: bad rows reported by line with the reason, good rows kept, invalid numbers flagged', () => {
  const csv = [
    'Account Reference,Phone,Name,Amount,Currency,Due Date,Utility',
    'W-1,+1 202 555 0101,Ann,42.50,EUR,2026-11-01,water',
    ',+12025550102,No ref,10,EUR,2026-11-01,water',
    'W-3,+12025550103,Bad amount,ten,EUR,2026-11-01,water',
    '',
    'W-4,+12025550104,Bad date,10,EUR,2026-13-01,gas',
    'W-5,12345,Bad phone,10,EUR,2026-11-01,power',
    'W-1,+12025550106,Repeat,10,EUR,2026-11-01,water',
    'W-7,+12025550107,Dollars,10,USD,2026-11-01,water',
    '"W-8","+12025550108","Multi',
    'line",10,,2026-11-01,property',
    'W-9,+12025550109,Unknown utility,10,EUR,2026-11-01,telecom',
  ].join('\r\n');
  const r = validateArrears(arrearsFromCsv(csv), { currency: 'EUR', defaultCountry: 'US' });
  assert.deepEqual(
    r.rows.map((x) => [x.line, x.reference, x.e164, x.amountMinor]),
    [
      [2, 'W-1', '+12025550101', 4250],
      [7, 'W-5', null, 1000],
      [10, 'W-8', '+12025550108', 1000],
    ],
  );
  assert.deepEqual(
    r.rejected.map((x) => [x.line, x.field]),
    [
      [3, 'reference'],
      [4, 'amount'],
      [6, 'dueDate'],
      [8, 'reference'],
      [9, 'currency'],
      [12, 'utility'],
    ],
  );
  assert.deepEqual(
    r.warnings.map((x) => [x.line, x.field]),
    [[7, 'phone']],
  );
  assert.throws(
    () => arrearsFromCsv('name,phone\nAnn,1'),
    /lacks the column\(s\) reference, amount, dueDate/,
  );
});
