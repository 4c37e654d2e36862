/**
 * Differential test against sms-segments-calculator (Twilio's calculator), an independent
 * implementation: same encoding choice, same segment count, same units in every segment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { DomainError } from '../errors.js';
import { countSegments } from './segments.js';
import { planMessage } from './plan.js';
import { gsm7Length } from './gsm7.js';
import { CJK, EMOJI, GSM_EXTENSION, NON_GSM_LATIN, anyText, gsmText, mixedText } from './texts.test.js';

type OracleEncoding = 'GSM-7' | 'UCS-2' | 'auto';
const SEED = 0x5e9_3e7;
const reference = { bits: 8, value: 0x2a } as const;

/** Our plan in the oracle's terms: encoding name, segment count, units per segment. */
function ours(text: string, encoding: 'auto' | 'gsm7' | 'ucs2'): [string, number, number[]] {
  const plan = planMessage(text, { encoding, reference });
  assert.equal(countSegments(text, encoding).segments, plan.segments);
  return [plan.encoding === 'gsm7' ? 'GSM-7' : 'UCS-2', plan.segments, plan.parts.map((p) => p.units)];
}

function theirs(text: string, encoding: OracleEncoding): [string, number, number[]] {
  const m = new SegmentedMessage(text, encoding);
  const bitsPerUnit = m.encodingName === 'GSM-7' ? 7 : 16;
  // messageSizeInBits leaves out the UDH, so this is septets or UCS-2 units per segment.
  return [m.encodingName, m.segmentsCount, m.segments.map((s) => s.messageSizeInBits() / bitsPerUnit)];
}

// The one documented difference (see below) is about grapheme clusters of several code points.
// This guard keeps the random corpus free of them, so the comparison itself needs no exceptions.
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
function graphemesAreCodePoints(text: string): boolean {
  for (const { segment } of graphemes.segment(text)) {
    if (segment !== '\r\n' && [...segment].length !== 1) return false;
  }
  return true;
}

const fixed: string[] = [
  '',
  'Hello World',
  'a'.repeat(160),
  'a'.repeat(161),
  'a'.repeat(306),
  'a'.repeat(307),
  '{'.repeat(80),
  '{'.repeat(81),
  'a'.repeat(152) + '€' + 'a'.repeat(10),
  'a'.repeat(152) + '€' + 'a'.repeat(152),
  'a'.repeat(159) + '^',
  '汉'.repeat(70),
  '汉'.repeat(71),
  '汉'.repeat(134),
  '汉'.repeat(135),
  '😀'.repeat(35),
  '😀'.repeat(36),
  '汉'.repeat(66) + '😀' + '汉'.repeat(66),
  'Grüße aus Köln! Ihr Termin ist am 12.03. um 14:00 Uhr. Antworten Sie mit JA oder NEIN.',
  'Ваш код подтверждения: 123456. Никому его не сообщайте.',
  '您的验证码是 123456，五分钟内有效。请勿泄露给他人。',
  'Your order #1234 has shipped 🚚 — track it at https://example.com/t/abc?x=[1]',
  'Line one\r\nLine two\nLine three\rend',
  '£5 off {today} only | reply STOP ~ \\ [x] ^_^ €',
  'Ç is GSM, ç is not',
  'Tab\there',
  'Form\ffeed',
  [...GSM_EXTENSION].join('').repeat(20),
  EMOJI.join('').repeat(8),
  [...CJK].join('').repeat(10),
  [...NON_GSM_LATIN].join('').repeat(12),
];

test('the fixed corpus: encoding, segment count and units per segment agree with the oracle', () => {
  for (const text of fixed) {
    assert.deepEqual(ours(text, 'auto'), theirs(text, 'auto'), JSON.stringify(text.slice(0, 60)));
    assert.deepEqual(ours(text, 'ucs2'), theirs(text, 'UCS-2'), JSON.stringify(text.slice(0, 60)));
  }
});

test('400 generated mixed texts agree with the oracle (auto and forced UCS-2)', () => {
  fc.assert(
    fc.property(mixedText, (text) => {
      assert.ok(graphemesAreCodePoints(text), 'corpus drifted into multi-code-point graphemes');
      assert.deepEqual(ours(text, 'auto'), theirs(text, 'auto'));
      assert.deepEqual(ours(text, 'ucs2'), theirs(text, 'UCS-2'));
    }),
    { seed: SEED, numRuns: 400 },
  );
});

test('200 generated texts of arbitrary code units (controls, lone surrogates) agree with the oracle', () => {
  // Random code units often form clusters (combining marks after a letter): those texts belong to
  // the documented difference below, so this property draws only texts whose graphemes are code points.
  fc.assert(
    fc.property(anyText.filter(graphemesAreCodePoints), (text) => {
      assert.deepEqual(ours(text, 'auto'), theirs(text, 'auto'));
    }),
    { seed: SEED + 3, numRuns: 200 },
  );
});

test('200 generated GSM texts agree with the oracle when forced to GSM-7', () => {
  fc.assert(
    fc.property(gsmText, (text) => {
      assert.deepEqual(ours(text, 'gsm7'), theirs(text, 'GSM-7'));
    }),
    { seed: SEED + 1, numRuns: 200 },
  );
});

test('both refuse a forced GSM-7 for text outside the alphabet', () => {
  fc.assert(
    fc.property(
      mixedText.filter((t) => gsm7Length(t) < 0),
      (text) => {
        assert.throws(() => new SegmentedMessage(text, 'GSM-7'));
        assert.throws(
          () => planMessage(text, { encoding: 'gsm7', reference }),
          (e: unknown) => e instanceof DomainError && e.code === 'SMS_UNENCODABLE',
        );
      },
    ),
    { seed: SEED + 2, numRuns: 100 },
  );
});

/**
 * Documented disagreement. The oracle never splits a grapheme cluster (a user-perceived character
 * such as e + combining accent, a flag, a keycap, a skin-toned or ZWJ emoji); we never split a
 * surrogate pair but may split a cluster between its code points, as the issue specifies. A
 * split cluster is harmless: handsets reassemble the parts before rendering, and every part is
 * still valid UTF-16 (a split surrogate pair would not be, and gateways that transcode per part
 * turn it into "?"). Keeping clusters whole would cost a segment in these cases, cannot work for
 * clusters longer than a segment, and would tie the count to the Unicode version of the runtime.
 * So for these texts we count one segment fewer than the oracle, kept here as explicit cases.
 */
test('documented: the oracle keeps grapheme clusters whole at a UCS-2 boundary, we split between code points', () => {
  const a = (n: number) => 'a'.repeat(n);
  const cases: [name: string, text: string, oursParts: number[], oracleParts: number[]][] = [
    ['e + combining acute', a(66) + 'e\u0301' + a(66), [67, 67], [66, 67, 1]],
    ['flag (two regional indicators)', a(65) + '🇩🇪' + a(65), [67, 67], [65, 67, 2]],
    ['keycap # + FE0F + 20E3', a(65) + '#️⃣' + a(66), [67, 67], [65, 67, 2]],
    ['thumbs up + skin tone', a(65) + '👍🏽' + a(65), [67, 67], [65, 67, 2]],
    ['ZWJ family (8 units)', a(64) + '👨‍👩‍👧' + a(62), [67, 67], [64, 67, 3]],
  ];
  for (const [name, text, oursParts, oracleParts] of cases) {
    assert.deepEqual(ours(text, 'auto'), ['UCS-2', oursParts.length, oursParts], name);
    assert.deepEqual(theirs(text, 'auto'), ['UCS-2', oracleParts.length, oracleParts], name);
  }
  // Away from a boundary the two agree on such text.
  const calm = 'Bonne journée 👍🏽 🇫🇷 e\u0301';
  assert.deepEqual(ours(calm, 'auto'), theirs(calm, 'auto'));
});
