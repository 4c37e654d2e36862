/** Properties of planMessage over generated text: lossless, within limits, never splitting a pair. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from '../errors.js';
import { ESC, decodeGsm7, findUnencodable, gsm7Cost } from './gsm7.js';
import { planMessage, type MessagePlan } from './plan.js';
import { reassemble } from './reassembly.js';
import { countSegments } from './segments.js';
import { unpackSeptets } from './septet-packing.js';
import { readConcatenation } from './udh.js';
import { decodeUcs2, isHighSurrogate, isLowSurrogate } from './ucs2.js';
import { anyText, gsmText } from './texts.test.js';

const reference = fc.oneof(
  fc.record({ bits: fc.constant(8 as const), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ bits: fc.constant(16 as const), value: fc.integer({ min: 0, max: 65535 }) }),
);

function decodePart(plan: MessagePlan, i: number): string {
  const p = plan.parts[i]!;
  return plan.encoding === 'gsm7' ? decodeGsm7(p.payload, p.units, p.fillBits) : decodeUcs2(p.payload);
}

/** Every invariant a plan must hold for `text`. */
function checkPlan(text: string, plan: MessagePlan): void {
  const { parts, segments, unitsPerSegment } = plan;
  assert.equal(parts.length, segments);
  assert.equal(parts.map((_, i) => decodePart(plan, i)).join(''), text, 'parts decode back to the text');
  assert.equal(parts.map((p) => p.text).join(''), text);
  assert.equal(
    countSegments(text, plan.encoding, plan.parts[0]?.udh?.length === 7 ? 16 : 8).segments,
    segments,
  );
  parts.forEach((p, i) => {
    assert.equal(p.sequence, i + 1);
    assert.ok(p.units <= unitsPerSegment, 'no part exceeds its limit');
    assert.ok((p.udh?.length ?? 0) + p.payload.length <= 140, 'at most 140 octets of user data');
    assert.ok(p.userDataLength <= (plan.encoding === 'gsm7' ? 160 : 140));
    if (segments > 1) {
      const c = readConcatenation(p.udh!);
      assert.deepEqual([c?.total, c?.sequence], [segments, i + 1]);
    } else assert.equal(p.udh, null);
    const next = parts[i + 1];
    if (!next) return;
    // No boundary inside a surrogate pair.
    assert.ok(
      !(isHighSurrogate(p.text.charCodeAt(p.text.length - 1)) && isLowSurrogate(next.text.charCodeAt(0))),
    );
    if (plan.encoding === 'gsm7') {
      // No part ends on an ESC whose character went to the next part.
      assert.notEqual(unpackSeptets(p.payload, p.units, p.fillBits).at(-1), ESC);
      // Parts are full: the next character would not have fitted.
      assert.ok(p.units + gsm7Cost(next.text.charCodeAt(0)) > unitsPerSegment, 'greedy fill');
    } else {
      const width =
        isHighSurrogate(next.text.charCodeAt(0)) && isLowSurrogate(next.text.charCodeAt(1)) ? 2 : 1;
      assert.ok(p.units + width > unitsPerSegment, 'greedy fill');
    }
  });
}

test('property: any text, auto — lossless, within limits, no split pairs, counts agree', () => {
  fc.assert(
    fc.property(anyText, reference, (text, ref) => checkPlan(text, planMessage(text, { reference: ref }))),
    { numRuns: 300 },
  );
});

test('property: any text forced to UCS-2 is lossless too', () => {
  fc.assert(
    fc.property(anyText, reference, (text, ref) => {
      const plan = planMessage(text, { encoding: 'ucs2', reference: ref });
      assert.equal(plan.encoding, 'ucs2');
      checkPlan(text, plan);
    }),
    { numRuns: 200 },
  );
});

test('property: GSM text forced to GSM-7 is lossless; anything else is refused with every culprit listed', () => {
  fc.assert(
    fc.property(gsmText, reference, (text, ref) =>
      checkPlan(text, planMessage(text, { encoding: 'gsm7', reference: ref })),
    ),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(anyText, (text) => {
      // A naive reference: walk code points, keep those with a unit GSM-7 cannot carry.
      const expected: { char: string; index: number }[] = [];
      let index = 0;
      for (const char of text) {
        if ([...char].some((_, k) => gsm7Cost(char.charCodeAt(k)) === 0)) expected.push({ char, index });
        index += char.length;
      }
      assert.deepEqual(findUnencodable(text), expected);
      if (expected.length === 0) return;
      assert.deepEqual(planMessage(text, { reference: { bits: 8, value: 0 } }).unencodable, expected);
      assert.throws(
        () => planMessage(text, { encoding: 'gsm7', reference: { bits: 8, value: 0 } }),
        (e: unknown) =>
          e instanceof DomainError && e.code === 'SMS_UNENCODABLE' && e.details?.unencodable !== undefined,
      );
    }),
    { numRuns: 200 },
  );
});

test('property: decoded parts, shuffled and duplicated, reassemble into the original text', () => {
  fc.assert(
    fc.property(
      anyText,
      reference,
      fc.infiniteStream(fc.nat()),
      fc.array(fc.nat(), { maxLength: 4 }),
      (text, ref, shuffle, dups) => {
        const plan = planMessage(text, { reference: ref });
        const incoming = plan.parts.map((p, i) => ({
          sender: '+15550100',
          text: decodePart(plan, i),
          concatenation: p.udh ? readConcatenation(p.udh) : null,
        }));
        const copies = dups.map((d) => incoming[d % incoming.length]!);
        const all = [...incoming, ...copies];
        // Fisher–Yates with generated indexes, so the order is part of the shrinkable input.
        const it = shuffle[Symbol.iterator]();
        for (let i = all.length - 1; i > 0; i--) {
          const j = (it.next().value as number) % (i + 1);
          [all[i], all[j]] = [all[j]!, all[i]!];
        }
        const result = reassemble(all);
        assert.equal(result.pending.length, 0);
        if (plan.segments === 1) {
          assert.equal(result.messages.length, 1 + copies.length); // a repeated single SMS is another message
          assert.ok(result.messages.every((m) => m.text === text));
        } else {
          assert.deepEqual(
            result.messages.map((m) => m.text),
            [text],
          );
          assert.equal(result.duplicates.length, copies.length);
        }
      },
    ),
    { numRuns: 200 },
  );
});
