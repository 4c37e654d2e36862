import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseMessageId, sameMessageId } from './message-id.js';

test('message ids match across hex/decimal, case, leading zeros and whitespace', () => {
  const same: [string, string][] = [
    ['0A1B', '2587'],
    ['000123', '123'],
    ['abc', 'ABC'],
    ['0a1b', '0000002587'],
    [' 42 ', '42'],
    ['0x0A1B', '2587'],
    ['7d9f-aa', '7D9F-AA'],
  ];
  for (const [a, b] of same) assert.equal(sameMessageId(a, b), true, `${a} ~ ${b}`);
  const different: [string, string][] = [
    ['0A1B', '0A1C'],
    ['123', '1234'],
    ['12345678', '305419896'], // hex without letters is read as decimal unless told otherwise
    ['abc-1', 'abc-01'],
  ];
  for (const [a, b] of different) assert.equal(sameMessageId(a, b), false, `${a} !~ ${b}`);
});

test('a base per side covers SMSCs that write hex without letters', () => {
  assert.equal(sameMessageId('12345678', '305419896', 'hex', 'decimal'), true);
  assert.equal(normaliseMessageId('0A1B', 'decimal'), 't:0A1B');
  assert.equal(normaliseMessageId('0010', 'hex'), 'n:16');
  assert.equal(normaliseMessageId('99999999999999999999999'), 'n:99999999999999999999999');
  assert.equal(normaliseMessageId(''), 't:');
});
