import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bargeRules, conferenceRules, listenRules, mixFrames, whisperRules } from './mixer.js';

const f = (v: number) => new Int16Array(160).fill(v);
const level = (m: Map<string, Int16Array>, leg: string) => m.get(leg)?.[0];
const call = { caller: 'c', agent: 'a', supervisor: 's' };
const talk = new Map([
  ['c', f(1)],
  ['a', f(10)],
  ['s', f(100)],
]);

test('conference: each leg hears the sum of the others, never itself', () => {
  const out = mixFrames(talk, conferenceRules(['c', 'a', 's']));
  assert.deepEqual([level(out, 'c'), level(out, 'a'), level(out, 's')], [110, 101, 11]);
});

test('whisper: agent hears supervisor, caller does not', () => {
  const out = mixFrames(talk, whisperRules(call));
  assert.deepEqual([level(out, 'c'), level(out, 'a'), level(out, 's')], [10, 101, 11]);
});

test('listen and barge', () => {
  const l = mixFrames(talk, listenRules(call));
  assert.deepEqual([level(l, 'c'), level(l, 'a'), level(l, 's')], [10, 1, 11]);
  const b = mixFrames(talk, bargeRules(call));
  assert.deepEqual([level(b, 'c'), level(b, 'a'), level(b, 's')], [110, 101, 11]);
});

test('self in rules is ignored; missing and short frames are silence; duplicates count once', () => {
  const out = mixFrames(
    new Map([
      ['x', f(5)],
      ['y', new Int16Array([7, 7])],
    ]),
    new Map([['x', ['x', 'y', 'y', 'ghost']]]),
  );
  const x = out.get('x')!;
  assert.equal(x.length, 160);
  assert.deepEqual([x[0], x[1], x[2]], [7, 7, 0]);
});

test('sums clip to 16 bits and equal the clipped exact sum', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 2, maxLength: 6 }),
      (levels) => {
        const legs = levels.map((_, i) => `l${i}`);
        const out = mixFrames(new Map(legs.map((l, i) => [l, f(levels[i]!)])), conferenceRules(legs));
        legs.forEach((l, i) => {
          const exact = levels.reduce((s, v, j) => (j === i ? s : s + v), 0);
          assert.equal(level(out, l), Math.max(-32768, Math.min(32767, exact)));
        });
      },
    ),
  );
});
