import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insideWindow, nextAllowedInstant } from './send-window.js';

const DAY = { from: '09:00', to: '20:00' };
const NIGHT = { from: '22:00', to: '06:00' };
const iso = (ms: number) => new Date(ms).toISOString();

test('inside the window the message may go at once; no window means any time', () => {
  const at = Date.UTC(2026, 10, 23, 12, 34, 56);
  assert.equal(nextAllowedInstant(at, DAY, 'UTC'), at);
  assert.equal(nextAllowedInstant(Date.UTC(2026, 10, 23, 3), null, 'UTC'), Date.UTC(2026, 10, 23, 3));
});

test('before and after the window: the next opening, in the recipient zone', () => {
  assert.equal(iso(nextAllowedInstant(Date.UTC(2026, 10, 23, 6), DAY, 'UTC')), '2026-11-23T09:00:00.000Z');
  assert.equal(iso(nextAllowedInstant(Date.UTC(2026, 10, 23, 20), DAY, 'UTC')), '2026-11-24T09:00:00.000Z');
  // 20:30 UTC is 21:30 in Berlin (CET, +1): next 09:00 Berlin is 08:00 UTC.
  assert.equal(
    iso(nextAllowedInstant(Date.UTC(2026, 10, 23, 20, 30), DAY, 'Europe/Berlin')),
    '2026-11-24T08:00:00.000Z',
  );
  // 23:00 UTC is 08:00 next day in Tokyo: opens at 09:00 JST = 00:00 UTC.
  assert.equal(
    iso(nextAllowedInstant(Date.UTC(2026, 10, 23, 23), DAY, 'Asia/Tokyo')),
    '2026-11-24T00:00:00.000Z',
  );
  // The end is exclusive.
  assert.equal(insideWindow(Date.UTC(2026, 10, 23, 19, 59), DAY, 'UTC'), true);
  assert.equal(insideWindow(Date.UTC(2026, 10, 23, 20, 0), DAY, 'UTC'), false);
});

test('a window across midnight', () => {
  assert.equal(iso(nextAllowedInstant(Date.UTC(2026, 10, 23, 12), NIGHT, 'UTC')), '2026-11-23T22:00:00.000Z');
  const late = Date.UTC(2026, 10, 23, 23, 30);
  assert.equal(nextAllowedInstant(late, NIGHT, 'UTC'), late);
  const early = Date.UTC(2026, 10, 24, 5, 59);
  assert.equal(nextAllowedInstant(early, NIGHT, 'UTC'), early);
  assert.equal(iso(nextAllowedInstant(Date.UTC(2026, 10, 24, 6), NIGHT, 'UTC')), '2026-11-24T22:00:00.000Z');
});

test('DST: the opening follows the wall clock on both change days', () => {
  // Berlin springs forward on 2026-03-29 (02:00 CET → 03:00 CEST): 09:00 local is 07:00 UTC.
  assert.equal(
    iso(nextAllowedInstant(Date.UTC(2026, 2, 28, 21), DAY, 'Europe/Berlin')),
    '2026-03-29T07:00:00.000Z',
  );
  // …and falls back on 2026-10-25 (03:00 CEST → 02:00 CET): 09:00 local is 08:00 UTC.
  assert.equal(
    iso(nextAllowedInstant(Date.UTC(2026, 9, 24, 20), DAY, 'Europe/Berlin')),
    '2026-10-25T08:00:00.000Z',
  );
  // New York springs forward on 2026-03-08: 09:00 EDT is 13:00 UTC (it was 14:00 UTC the day before).
  assert.equal(
    iso(nextAllowedInstant(Date.UTC(2026, 2, 8, 3), DAY, 'America/New_York')),
    '2026-03-08T13:00:00.000Z',
  );
});

test('DST: a window opening inside the skipped hour opens when the clock jumps', () => {
  // 02:30 does not exist in Berlin on 2026-03-29; the first minute inside 02:30–05:00 is 03:00 CEST.
  const w = { from: '02:30', to: '05:00' };
  assert.equal(
    iso(nextAllowedInstant(Date.UTC(2026, 2, 29, 0, 30), w, 'Europe/Berlin')),
    '2026-03-29T01:00:00.000Z',
  );
});
