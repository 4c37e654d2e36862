import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reassemble, type IncomingPart } from './reassembly.js';

const part = (
  sender: string,
  text: string,
  reference: number,
  total: number,
  sequence: number,
  bits: 8 | 16 = 8,
) => ({ sender, text, concatenation: { bits, reference, total, sequence } }) satisfies IncomingPart;

test('out-of-order parts are joined in sequence order', () => {
  const r = reassemble([part('A', 'c', 7, 3, 3), part('A', 'a', 7, 3, 1), part('A', 'b', 7, 3, 2)]);
  assert.deepEqual(r.messages, [{ sender: 'A', text: 'abc', reference: { bits: 8, value: 7 }, parts: 3 }]);
  assert.deepEqual(r.pending, []);
  assert.deepEqual(r.duplicates, []);
});

test('a duplicate part is set aside and the first copy is kept', () => {
  const first = part('A', 'he', 1, 2, 1);
  const again = part('A', 'HE', 1, 2, 1);
  const r = reassemble([first, again, part('A', 'llo', 1, 2, 2)]);
  assert.deepEqual(
    r.messages.map((m) => m.text),
    ['hello'],
  );
  assert.deepEqual(r.duplicates, [again]);
});

test('missing parts leave the message pending with what is missing', () => {
  const p2 = part('A', 'b', 9, 3, 2);
  const r = reassemble([p2]);
  assert.deepEqual(r.messages, []);
  assert.deepEqual(r.pending, [
    { sender: 'A', reference: { bits: 8, value: 9 }, total: 3, received: [p2], missing: [1, 3] },
  ]);
  // Feeding the pending parts back with the newcomers completes it.
  const done = reassemble([...r.pending[0]!.received, part('A', 'c', 9, 3, 3), part('A', 'a', 9, 3, 1)]);
  assert.deepEqual(
    done.messages.map((m) => m.text),
    ['abc'],
  );
});

test('senders, reference widths, references and totals keep messages apart', () => {
  const r = reassemble([
    part('A', 'A1', 5, 2, 1),
    part('B', 'B1', 5, 2, 1),
    part('A', 'W1', 5, 2, 1, 16),
    part('A', 'T1', 5, 3, 1),
    part('B', 'B2', 5, 2, 2),
    part('A', 'A2', 5, 2, 2),
    part('A', 'W2', 5, 2, 2, 16),
  ]);
  // In order of each message's first part.
  assert.deepEqual(
    r.messages.map((m) => `${m.sender}:${m.text}`),
    ['A:A1A2', 'B:B1B2', 'A:W1W2'],
  );
  assert.deepEqual(
    r.pending.map((p) => [p.sender, p.total, p.missing]),
    [['A', 3, [2, 3]]],
  );
});

test('single SMS and parts with an out-of-range element stand alone', () => {
  const r = reassemble([
    { sender: 'A', text: 'plain', concatenation: null },
    part('A', 'zero', 1, 2, 0),
    part('A', 'over', 1, 2, 3),
    part('A', 'one of one', 1, 1, 1),
  ]);
  assert.deepEqual(
    r.messages.map((m) => [m.text, m.reference, m.parts]),
    [
      ['plain', null, 1],
      ['zero', null, 1],
      ['over', null, 1],
      ['one of one', { bits: 8, value: 1 }, 1],
    ],
  );
});

test('a surrogate pair split by the sending phone is mended by joining the parts', () => {
  const r = reassemble([part('A', 'ok \ud83d', 3, 2, 1), part('A', '\ude00!', 3, 2, 2)]);
  assert.equal(r.messages[0]!.text, 'ok 😀!');
});
