import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { DomainError } from '../errors.js';
import {
  ESC,
  GSM7_BASIC_TABLE,
  GSM7_EXTENSION_TABLE,
  decodeGsm7,
  encodeGsm7,
  findUnencodable,
  gsm7Cost,
  gsm7Length,
  septetsToText,
} from './gsm7.js';
import { packSeptets } from './septet-packing.js';

// The oracle package keeps its own GSM 03.38 table (Unicode code unit → GSM septets); an
// independently written table that must agree with ours character for character.
const require = createRequire(import.meta.url);
const oracleTable = (
  require('sms-segments-calculator/dist/libs/UnicodeToGSM.js') as { default: Record<string, number[]> }
).default;

const isUnencodable = (e: unknown): boolean => e instanceof DomainError && e.code === 'SMS_UNENCODABLE';

test('the alphabet matches TS 23.038 at the landmark positions', () => {
  assert.equal(GSM7_BASIC_TABLE.length, 128);
  const landmarks: [number, string][] = [
    [0x00, '@'],
    [0x01, '£'],
    [0x02, '$'],
    [0x09, '\u00c7'], // capital C cedilla, not ç (an old mapping error the spec corrected)
    [0x0a, '\n'],
    [0x0d, '\r'],
    [0x10, '\u0394'],
    [0x11, '_'],
    [0x15, '\u03a9'],
    [0x1b, '\u001b'],
    [0x1f, 'É'],
    [0x20, ' '],
    [0x24, '¤'],
    [0x40, '¡'],
    [0x5b, 'Ä'],
    [0x5f, '§'],
    [0x60, '¿'],
    [0x7f, 'à'],
  ];
  for (const [septet, char] of landmarks)
    assert.equal(GSM7_BASIC_TABLE[septet], char, `septet 0x${septet.toString(16)}`);
  assert.deepEqual(
    [...GSM7_EXTENSION_TABLE.values()].sort(),
    ['\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€'].sort(),
  );
});

test('the alphabet agrees entry for entry with the oracle package table (127 basic + 10 extension)', () => {
  const ours = new Map<number, number[]>();
  for (let septet = 0; septet < 128; septet++) {
    if (septet !== ESC) ours.set(GSM7_BASIC_TABLE.charCodeAt(septet), [septet]);
  }
  for (const [septet, char] of GSM7_EXTENSION_TABLE) ours.set(char.charCodeAt(0), [ESC, septet]);
  const theirs = new Map(Object.entries(oracleTable).map(([k, v]) => [Number(k), v]));
  assert.equal(ours.size, 137);
  assert.deepEqual(
    new Map([...ours].sort(([a], [b]) => a - b)),
    new Map([...theirs].sort(([a], [b]) => a - b)),
  );
});

test('every basic character round-trips through septets and packing, one septet each', () => {
  for (let septet = 0; septet < 128; septet++) {
    if (septet === ESC) continue;
    const char = GSM7_BASIC_TABLE[septet]!;
    assert.equal(gsm7Cost(char.charCodeAt(0)), 1);
    assert.deepEqual([...encodeGsm7(char)], [septet]);
    assert.equal(septetsToText(encodeGsm7(char)), char);
  }
  const everything = [...GSM7_BASIC_TABLE].filter((c) => c !== '\u001b').join('');
  assert.equal(decodeGsm7(packSeptets(encodeGsm7(everything)), everything.length), everything);
});

test('every extension character costs two septets, ESC first, and round-trips', () => {
  for (const [septet, char] of GSM7_EXTENSION_TABLE) {
    assert.equal(gsm7Cost(char.charCodeAt(0)), 2, char);
    assert.deepEqual([...encodeGsm7(char)], [ESC, septet]);
    assert.equal(septetsToText(encodeGsm7(char)), char);
  }
  assert.equal(gsm7Length('{a}'), 5);
  assert.equal(gsm7Length('€10 ^_^ [ok] ~ | \\'), 18 + 8); // 18 characters, 8 of them extension
});

test('characters outside the alphabet are reported with their indexes, never replaced', () => {
  assert.equal(gsm7Length('ok ç'), -1);
  assert.deepEqual(findUnencodable('Grüße'), []);
  assert.deepEqual(findUnencodable('Hi 😀, ça va? `x`'), [
    { char: '😀', index: 3 },
    { char: 'ç', index: 7 },
    { char: '`', index: 14 },
    { char: '`', index: 16 },
  ]);
  // Look-alikes are different characters: OHM SIGN vs Ω, small ç vs Ç, a lone surrogate.
  assert.deepEqual(findUnencodable('\u2126\u03a9\u00e7\u00c7\ud800'), [
    { char: '\u2126', index: 0 },
    { char: '\u00e7', index: 2 },
    { char: '\ud800', index: 4 },
  ]);
  assert.throws(
    () => encodeGsm7('price: 5€, 10₽ 😀'),
    (e: unknown) =>
      isUnencodable(e) &&
      JSON.stringify((e as DomainError).details) ===
        JSON.stringify({
          unencodable: [
            { char: '₽', index: 13 },
            { char: '😀', index: 15 },
          ],
        }),
  );
});

test('decoding follows the spec for undefined escapes: basic char after ESC, space for a lone ESC', () => {
  assert.equal(septetsToText(Uint8Array.of(ESC, 0x41)), 'A'); // ESC + code with no extension → basic char
  assert.equal(septetsToText(Uint8Array.of(0x61, ESC)), 'a '); // trailing ESC → space
  assert.equal(septetsToText(Uint8Array.of(ESC, ESC, 0x62)), ' b'); // ESC ESC (reserved) → space
  assert.equal(septetsToText(Uint8Array.of(0x1b, 0x65, 0x31)), '€1');
});

test('an unmapped character is reported even inside an otherwise valid message', () => {
  assert.throws(() => encodeGsm7('a'.repeat(300) + '\u00a0'), isUnencodable);
});
