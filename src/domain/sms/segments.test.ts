import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { countSegments, segmentCapacity, segmentCost, splitIntoParts } from './segments.js';

const parts = (text: string, encoding: 'gsm7' | 'ucs2', bits: 8 | 16 = 8): string[] => {
  const out: string[] = [];
  splitIntoParts(text, encoding, bits, (start, end) => out.push(text.slice(start, end)));
  return out;
};

test('capacities follow from 140 octets, the UDH and the fill bits', () => {
  assert.equal(segmentCapacity('gsm7'), 160);
  assert.equal(segmentCapacity('gsm7', 8), 153);
  assert.equal(segmentCapacity('gsm7', 16), 152);
  assert.equal(segmentCapacity('ucs2'), 70);
  assert.equal(segmentCapacity('ucs2', 8), 67);
  assert.equal(segmentCapacity('ucs2', 16), 66);
});

test('GSM-7 boundaries: 160 fits one SMS, 161 needs two; 153×2 two, 153×2+1 three', () => {
  const at = (n: number, bits: 8 | 16 = 8) => countSegments('a'.repeat(n), 'auto', bits);
  assert.deepEqual(at(0), { encoding: 'gsm7', segments: 1, units: 0, unitsPerSegment: 160 });
  assert.deepEqual(at(160), { encoding: 'gsm7', segments: 1, units: 160, unitsPerSegment: 160 });
  assert.deepEqual(at(161), { encoding: 'gsm7', segments: 2, units: 161, unitsPerSegment: 153 });
  assert.equal(at(306).segments, 2);
  assert.equal(at(307).segments, 3);
  assert.equal(at(304, 16).segments, 2);
  assert.equal(at(305, 16).segments, 3);
  assert.equal(at(153 * 255).segments, 255);
  assert.equal(at(153 * 255 + 1).segments, 256); // counted; planMessage refuses it
});

test('extension characters count double, so 80 braces fill a single SMS and 81 do not', () => {
  assert.equal(countSegments('{'.repeat(80)).segments, 1);
  assert.deepEqual(countSegments('{'.repeat(81)), {
    encoding: 'gsm7',
    segments: 2,
    units: 162,
    unitsPerSegment: 153,
  });
  assert.equal(countSegments('€'.repeat(80) + 'a').segments, 2);
});

test('an escape pair on the boundary moves whole to the next part', () => {
  // 152 septets + "€" (2 septets) would straddle 153: the part ends at 152 and € opens part 2.
  const text = 'a'.repeat(152) + '€' + 'b'.repeat(10);
  const split = parts(text, 'gsm7');
  assert.deepEqual(split, ['a'.repeat(152), '€' + 'b'.repeat(10)]);
  // With a 16-bit reference (152 per part) the same pair still fits exactly... one earlier.
  assert.deepEqual(parts('a'.repeat(151) + '€' + 'b'.repeat(10), 'gsm7', 16), [
    'a'.repeat(151),
    '€' + 'b'.repeat(10),
  ]);
  // And it can make the difference of a segment: 152 + 2 + 152 = 306 septets but 3 parts.
  assert.equal(countSegments('a'.repeat(152) + '€' + 'a'.repeat(152)).segments, 3);
  assert.equal(countSegments('a'.repeat(151) + '€' + 'a'.repeat(153)).segments, 2);
});

test('UCS-2 boundaries: 70 units one SMS, 71 two; 67×2 two, 67×2+1 three', () => {
  const at = (n: number) => countSegments('汉'.repeat(n));
  assert.deepEqual(at(70), { encoding: 'ucs2', segments: 1, units: 70, unitsPerSegment: 70 });
  assert.deepEqual(at(71), { encoding: 'ucs2', segments: 2, units: 71, unitsPerSegment: 67 });
  assert.equal(at(134).segments, 2);
  assert.equal(at(135).segments, 3);
  // Emoji are two units each: 35 fit one SMS, 36 do not.
  assert.equal(countSegments('😀'.repeat(35)).segments, 1);
  assert.equal(countSegments('😀'.repeat(36)).segments, 2);
});

test('an emoji on the UCS-2 boundary moves whole to the next part', () => {
  const text = '汉'.repeat(66) + '😀' + '字'.repeat(5); // 73 units: concatenated, 67 per part
  assert.deepEqual(parts(text, 'ucs2'), ['汉'.repeat(66), '😀' + '字'.repeat(5)]);
  // 66 + 2 + 66 = 134 units, exactly 2×67, yet three parts because the pair cannot straddle.
  assert.equal(countSegments('汉'.repeat(66) + '😀' + '汉'.repeat(66)).segments, 3);
  // A lone surrogate is one unit like any other and may sit anywhere.
  assert.deepEqual(parts('汉'.repeat(66) + '\ud83d\ud83d' + '汉'.repeat(5), 'ucs2'), [
    '汉'.repeat(66) + '\ud83d',
    '\ud83d' + '汉'.repeat(5),
  ]);
});

test('one character that is not GSM makes the whole message UCS-2, and the count follows', () => {
  const text = 'a'.repeat(100) + 'ç';
  assert.deepEqual(countSegments(text), { encoding: 'ucs2', segments: 2, units: 101, unitsPerSegment: 67 });
  assert.deepEqual(countSegments('a'.repeat(100), 'ucs2'), {
    encoding: 'ucs2',
    segments: 2,
    units: 100,
    unitsPerSegment: 67,
  });
  assert.throws(
    () => countSegments(text, 'gsm7'),
    (e: unknown) => e instanceof DomainError && e.code === 'SMS_UNENCODABLE',
  );
});

test('segment cost is integer minor units', () => {
  assert.equal(segmentCost(3, 7), 21);
  assert.equal(segmentCost(0, 7), 0);
  const invalid = (e: unknown): boolean => e instanceof DomainError && e.code === 'VALIDATION_FAILED';
  assert.throws(() => segmentCost(2, 0.05), invalid);
  assert.throws(() => segmentCost(-1, 5), invalid);
  assert.throws(() => segmentCost(1.5, 5), invalid);
  assert.throws(() => segmentCost(255, Number.MAX_SAFE_INTEGER), invalid);
});
