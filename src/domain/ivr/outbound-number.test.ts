import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outboundChecker } from './outbound-number.js';

test('numbers are normalised to E.164 before the dial plan sees them', () => {
  const check = outboundChecker({ patterns: ['+1NXXNXXXXXX'], defaultCountry: 'US' });
  assert.deepEqual(check('(202) 555-0143'), { ok: true, number: '+12025550143' });
  assert.deepEqual(check('+1 202 555 0143'), { ok: true, number: '+12025550143' });
  assert.deepEqual(check('0012025550143'), { ok: true, number: '+12025550143' });
});

test('numbers outside the dial plan are refused', () => {
  const check = outboundChecker({ patterns: ['+1NXXNXXXXXX'], defaultCountry: 'US' });
  assert.deepEqual(check('+442079460000'), { ok: false, reason: 'not_in_dial_plan' });
  assert.deepEqual(check('+8613800138000'), { ok: false, reason: 'not_in_dial_plan' });
});

test('an empty dial plan refuses every number', () => {
  const check = outboundChecker({ patterns: [], defaultCountry: 'US' });
  assert.deepEqual(check('+12025550143'), { ok: false, reason: 'not_in_dial_plan' });
});

test('anything but a phone number is refused before the dial plan (toll fraud)', () => {
  const check = outboundChecker({ patterns: ['+.'], defaultCountry: 'US' });
  for (const bad of [
    '',
    '12025550143;user=phone',
    'sip:evil@example.com',
    '2025550143@x',
    '*67',
    '+1202555#',
  ]) {
    assert.deepEqual(check(bad), { ok: false, reason: 'not_a_number' }, bad);
  }
});
