import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clockMinutes, dailySendDue, localDateMinute } from './schedule.js';

const at = (h: number, m: number, day = 23) => Date.UTC(2026, 10, day, h, m);

test('due from the time of day until the grace ends, once per local date', () => {
  const s = { at: '07:00', timeZone: 'UTC' };
  assert.equal(dailySendDue(s, null, at(6, 59)), false);
  assert.equal(dailySendDue(s, null, at(7, 0)), true);
  assert.equal(dailySendDue(s, null, at(7, 59)), true);
  assert.equal(dailySendDue(s, null, at(8, 0)), false);
  assert.equal(dailySendDue(s, at(7, 1), at(7, 30)), false);
  assert.equal(dailySendDue(s, at(7, 1, 22), at(7, 30)), true);
});

test('the time of day is local to the zone (Shanghai is UTC+8)', () => {
  const s = { at: '08:30', timeZone: 'Asia/Shanghai' };
  assert.equal(dailySendDue(s, null, at(0, 30)), true);
  assert.equal(dailySendDue(s, null, at(8, 30)), false);
  assert.deepEqual(localDateMinute(at(20, 0), 'Asia/Shanghai'), { date: '2026-11-24', minute: 4 * 60 });
});

test('clock times are checked', () => {
  assert.equal(clockMinutes('23:59'), 1439);
  assert.equal(clockMinutes('24:00'), undefined);
  assert.equal(clockMinutes('7:00'), undefined);
});
