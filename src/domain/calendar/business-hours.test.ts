import { test } from 'node:test';
import assert from 'node:assert/strict';
import { businessHoursProblems, isOpen, type BusinessHours } from './business-hours.js';

const bh: BusinessHours = {
  timeZone: 'Asia/Shanghai',
  weekly: {
    mon: [
      { from: '08:00', to: '12:00' },
      { from: '13:00', to: '18:00' },
    ],
    sat: [{ from: '09:00', to: '24:00' }],
  },
  holidays: ['2026-10-01'],
};

test('open within a range in the schedule time zone, closed at lunch and outside', () => {
  // Monday 2026-11-23 09:30 in Shanghai is 01:30 UTC.
  assert.equal(isOpen(bh, Date.UTC(2026, 10, 23, 1, 30)), true);
  assert.equal(isOpen(bh, Date.UTC(2026, 10, 23, 4, 30)), false); // 12:30 local
  assert.equal(isOpen(bh, Date.UTC(2026, 10, 23, 10, 0)), false); // 18:00 local, end exclusive
  assert.equal(isOpen(bh, Date.UTC(2026, 10, 24, 1, 30)), false); // Tuesday: no ranges
});

test('"24:00" runs to midnight and holidays close the whole day', () => {
  assert.equal(isOpen(bh, Date.UTC(2026, 10, 28, 15, 59)), true); // Sat 23:59 local
  // 2026-10-01 is a Thursday, but a holiday anyway; check a Monday holiday too.
  const withHoliday = { ...bh, holidays: ['2026-11-23'] };
  assert.equal(isOpen(withHoliday, Date.UTC(2026, 10, 23, 1, 30)), false);
});

test('schedule problems are reported with their path', () => {
  const bad: BusinessHours = {
    timeZone: 'Mars/Olympus',
    weekly: { mon: [{ from: '18:00', to: '08:00' }], tue: [{ from: '8', to: '9' }] },
    holidays: ['tomorrow'],
  };
  assert.deepEqual(businessHoursProblems(bad), [
    'timeZone: unknown time zone "Mars/Olympus"',
    'weekly.mon[0]: "from" must be before "to"',
    'weekly.tue[0]: times must be HH:MM',
    'holidays[0]: dates must be YYYY-MM-DD',
  ]);
  assert.deepEqual(businessHoursProblems(bh), []);
});
