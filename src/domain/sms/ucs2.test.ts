import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from '../errors.js';
import { decodeUcs2, encodeUcs2, isHighSurrogate, isLowSurrogate } from './ucs2.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

test('UCS-2 is UTF-16 big-endian; an emoji is its surrogate pair', () => {
  assert.equal(hex(encodeUcs2('ABC')), '004100420043');
  assert.equal(hex(encodeUcs2('你好')), '4F60597D');
  // warthog618/sms "hello 😁" vector.
  assert.equal(hex(encodeUcs2('hello 😁')), '00680065006C006C006F0020D83DDE01');
  assert.equal(decodeUcs2(Uint8Array.of(0xd8, 0x3d, 0xde, 0x01)), '😁');
  assert.equal(encodeUcs2('').length, 0);
});

test('surrogate halves are recognised', () => {
  assert.ok(isHighSurrogate(0xd83d) && !isHighSurrogate(0xde01));
  assert.ok(isLowSurrogate(0xde01) && !isLowSurrogate(0xd83d));
  assert.ok(!isHighSurrogate(0x41) && !isLowSurrogate(0xe000));
});

test('an odd octet count is malformed and refused', () => {
  assert.throws(
    () => decodeUcs2(Uint8Array.of(0x00, 0x41, 0x00)),
    (e: unknown) => e instanceof DomainError && e.code === 'VALIDATION_FAILED',
  );
});

test('property: any UTF-16 string (lone surrogates included) round-trips', () => {
  const unit = fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u));
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 300 }), (text) => {
      assert.equal(decodeUcs2(encodeUcs2(text)), text);
    }),
  );
  // Long enough to cross the chunking of the decoder.
  const long = '漢字😀'.repeat(5000);
  assert.equal(decodeUcs2(encodeUcs2(long)), long);
});
