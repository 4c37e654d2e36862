import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toE164, tryE164 } from './phone.js';
import { DomainError } from '../errors.js';

test('national and international spellings normalise to one E.164 number', () => {
  assert.equal(toE164('(202) 555-0143', 'US'), '+12025550143');
  assert.equal(toE164('+1 202 555 0143', 'DE'), '+12025550143');
  assert.equal(toE164('0030 2310 123456', 'US'), '+302310123456');
  assert.equal(toE164('138 0013 8000', 'CN'), '+8613800138000');
});

test('invalid numbers are refused with PHONE_NUMBER_INVALID', () => {
  for (const bad of ['', 'abc', '12', '+1 000', '555-0143; DROP TABLE']) {
    assert.throws(
      () => toE164(bad, 'US'),
      (e: unknown) => e instanceof DomainError && e.code === 'PHONE_NUMBER_INVALID',
    );
  }
  assert.equal(tryE164('nope', 'US'), undefined);
});
