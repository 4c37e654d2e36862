import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from '../errors.js';
import { decodeGsm7, encodeGsm7 } from './gsm7.js';
import { fillBitsAfter, packSeptets, packedLength, unpackSeptets } from './septet-packing.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

test('known packing vectors (PDU-mode literature and the 3GPP packing scheme)', () => {
  // The classic PDU tutorial vector, and the "How are you?" example of the same literature.
  assert.equal(hex(packSeptets(encodeGsm7('hellohello'))), 'E8329BFD4697D9EC37');
  assert.equal(hex(packSeptets(encodeGsm7('hello'))), 'E8329BFD06');
  assert.equal(hex(packSeptets(encodeGsm7('How are you?'))), 'C8F71D14969741F977FD07');
  // Vectors from warthog618/sms (encoding/gsm7 tests), an independent Go implementation.
  assert.equal(
    hex(packSeptets(encodeGsm7('pattern!!'))),
    hex(Uint8Array.of(240, 48, 157, 94, 150, 187, 67, 33)),
  );
  assert.equal(
    hex(packSeptets(encodeGsm7('a very long test pattern'))),
    hex(
      Uint8Array.of(
        97,
        144,
        189,
        44,
        207,
        131,
        216,
        111,
        247,
        25,
        68,
        47,
        207,
        233,
        32,
        120,
        152,
        78,
        47,
        203,
        221,
      ),
    ),
  );
  // Seven septets leave the last octet's top bit spare; it stays zero.
  assert.equal(hex(packSeptets(encodeGsm7('pattern'))), hex(Uint8Array.of(240, 48, 157, 94, 150, 187, 1)));
});

test('fill bits shift the first septet up and stay zero (warthog618/sms fill vectors)', () => {
  const expected = ['7F', 'FE', 'FC01', 'F803', 'F007', 'E00F', 'C01F'];
  for (let fill = 0; fill <= 6; fill++) {
    assert.equal(hex(packSeptets(Uint8Array.of(0x7f), fill)), expected[fill], `fill ${fill}`);
    assert.deepEqual([...unpackSeptets(bytes(expected[fill]!), 1, fill)], [0x7f]);
  }
  assert.equal(fillBitsAfter(6), 1); // 05 00 03 rr tt ss: 48 bits, next septet boundary at 49
  assert.equal(fillBitsAfter(7), 0); // 06 08 04 rr rr tt ss: 56 bits = 8 septets exactly
  assert.equal(fillBitsAfter(12), 2);
});

test('the septet count comes from TP-UDL, not the octet length', () => {
  // 7 septets and 8 septets ending in "@" (0x00) pack to the same octets.
  const seven = packSeptets(encodeGsm7('pattern'));
  assert.equal(hex(seven), hex(packSeptets(encodeGsm7('pattern@'))));
  assert.equal(decodeGsm7(seven, 7), 'pattern');
  assert.equal(decodeGsm7(seven, 8), 'pattern@');
  assert.equal(packedLength(160), 140);
  assert.equal(packedLength(153, 1), 134);
});

test('bad counts and fill bits are refused', () => {
  const bad = (e: unknown): boolean => e instanceof DomainError && e.code === 'VALIDATION_FAILED';
  assert.throws(() => unpackSeptets(Uint8Array.of(1, 2), 3), bad);
  assert.throws(() => unpackSeptets(Uint8Array.of(1, 2), -1), bad);
  assert.throws(() => packSeptets(Uint8Array.of(1), 7), bad);
  assert.throws(() => decodeGsm7(Uint8Array.of(1), 1, 2), bad);
});

test('property: unpack(pack(septets, fill)) returns the septets for every fill', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ max: 0x7f, maxLength: 200 }),
      fc.integer({ min: 0, max: 6 }),
      (septets, fill) => {
        const packed = packSeptets(septets, fill);
        assert.equal(packed.length, packedLength(septets.length, fill));
        assert.deepEqual(unpackSeptets(packed, septets.length, fill), septets);
        if (packed.length > 0) assert.equal((packed[0] ?? 0) & ((1 << fill) - 1), 0, 'fill bits are zero');
      },
    ),
  );
});
