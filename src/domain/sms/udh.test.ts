import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { concatenationHeader, concatenationHeaderLength, readConcatenation } from './udh.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const invalid = (e: unknown): boolean => e instanceof DomainError && e.code === 'VALIDATION_FAILED';

test('8-bit reference: 05 00 03 ref total seq; 16-bit: 06 08 04 refHi refLo total seq', () => {
  assert.equal(hex(concatenationHeader({ bits: 8, value: 0xcc }, 3, 2)), '050003CC0302');
  assert.equal(hex(concatenationHeader({ bits: 16, value: 0x1234 }, 2, 1)), '06080412340201');
  assert.equal(hex(concatenationHeader({ bits: 16, value: 0xff }, 255, 255)), '06080400FFFFFF');
  assert.equal(concatenationHeaderLength(8), 6);
  assert.equal(concatenationHeaderLength(16), 7);
});

test('references, totals and sequences out of range are refused', () => {
  assert.throws(() => concatenationHeader({ bits: 8, value: 256 }, 2, 1), invalid);
  assert.throws(() => concatenationHeader({ bits: 16, value: 65536 }, 2, 1), invalid);
  assert.throws(() => concatenationHeader({ bits: 8, value: -1 }, 2, 1), invalid);
  assert.throws(() => concatenationHeader({ bits: 8, value: 1.5 }, 2, 1), invalid);
  assert.throws(() => concatenationHeader({ bits: 12 as 8, value: 1 }, 2, 1), invalid);
  assert.throws(() => concatenationHeader({ bits: 8, value: 1 }, 256, 1), invalid);
  assert.throws(() => concatenationHeader({ bits: 8, value: 1 }, 2, 3), invalid);
  assert.throws(() => concatenationHeader({ bits: 8, value: 1 }, 2, 0), invalid);
});

test('reading finds the element among others and round-trips what we write', () => {
  assert.deepEqual(readConcatenation(bytes('050003630801')), {
    bits: 8,
    reference: 0x63,
    total: 8,
    sequence: 1,
  });
  assert.deepEqual(readConcatenation(concatenationHeader({ bits: 16, value: 0xbeef }, 4, 3)), {
    bits: 16,
    reference: 0xbeef,
    total: 4,
    sequence: 3,
  });
  // Port addressing (IEI 05, 4 octets) before the concatenation element.
  assert.deepEqual(readConcatenation(bytes('0B05041581000000030A0201')), {
    bits: 8,
    reference: 0x0a,
    total: 2,
    sequence: 1,
  });
  assert.equal(readConcatenation(bytes('06050415810000')), null); // no concatenation element
  assert.equal(readConcatenation(bytes('00')), null);
});

test('an element with sequence 0 or above total is ignored, as TS 23.040 prescribes', () => {
  assert.equal(readConcatenation(bytes('050003010200')), null);
  assert.equal(readConcatenation(bytes('050003010203')), null);
  assert.equal(readConcatenation(bytes('050003010001')), null);
});

test('a header whose lengths overrun it is malformed', () => {
  assert.throws(() => readConcatenation(bytes('')), invalid);
  assert.throws(() => readConcatenation(bytes('0500030102')), invalid); // UDHL says 5, 4 present
  assert.throws(() => readConcatenation(bytes('03000301')), invalid); // element claims 3 octets, 1 left
});
