import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildReceipt,
  formatReceiptText,
  parseReceiptDate,
  parseReceiptText,
  receiptDateToEpochMs,
  stateFromNumber,
  stateFromStat,
  type ReceiptText,
} from './receipt.js';

const d = (year: number, month: number, day: number, hour: number, minute: number, second = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

const TEXTS: [string, string, ReceiptText][] = [
  [
    'spec layout, 10-digit dates',
    'id:0123456789 sub:001 dlvrd:001 submit date:2501311200 done date:2501311201 stat:DELIVRD err:000 text:Hello there',
    {
      id: '0123456789',
      sub: '001',
      dlvrd: '001',
      submitDate: d(2025, 1, 31, 12, 0),
      doneDate: d(2025, 1, 31, 12, 1),
      stat: 'DELIVRD',
      err: '000',
      text: 'Hello there',
    },
  ],
  [
    '12-digit dates, capital Text:',
    'id:ABC123 sub:001 dlvrd:000 submit date:250131120059 done date:250131120105 stat:UNDELIV err:001 Text:Hi',
    {
      id: 'ABC123',
      sub: '001',
      dlvrd: '000',
      submitDate: d(2025, 1, 31, 12, 0, 59),
      doneDate: d(2025, 1, 31, 12, 1, 5),
      stat: 'UNDELIV',
      err: '001',
      text: 'Hi',
    },
  ],
  [
    'upper-case keys, underscores in date keys',
    'ID:77 SUB:1 DLVRD:1 SUBMIT_DATE:2412312359 DONE_DATE:2501010000 STAT:DELIVRD ERR:0',
    {
      id: '77',
      sub: '1',
      dlvrd: '1',
      submitDate: d(2024, 12, 31, 23, 59),
      doneDate: d(2025, 1, 1, 0, 0),
      stat: 'DELIVRD',
      err: '0',
    },
  ],
  ['missing fields stay absent', 'id:5 stat:EXPIRED', { id: '5', stat: 'EXPIRED' }],
  [
    'text keeps its colons and words that look like keys',
    'id:9 stat:DELIVRD text:id:1 stat:x',
    { id: '9', stat: 'DELIVRD', text: 'id:1 stat:x' },
  ],
  ['empty text', 'id:9 stat:DELIVRD err:000 text:', { id: '9', stat: 'DELIVRD', err: '000', text: '' }],
  ['fields out of order', 'stat:REJECTD err:002 id:42', { id: '42', stat: 'REJECTD', err: '002' }],
  [
    'bad dates are dropped, the rest kept',
    'id:1 submit date:2513011200 done date:25 stat:DELIVRD',
    { id: '1', stat: 'DELIVRD' },
  ],
  ['no receipt at all', 'Hello, can you call me back?', {}],
  ['a key inside a word is not a key', 'paid:5 id:6', { id: '6' }],
];

for (const [name, input, expected] of TEXTS) {
  test(`receipt text: ${name}`, () => {
    assert.deepEqual(parseReceiptText(input), expected);
  });
}

test('receipt dates: 10, 12 and 14 digits; impossible ones are undefined', () => {
  assert.deepEqual(parseReceiptDate('2402291530'), d(2024, 2, 29, 15, 30));
  assert.deepEqual(parseReceiptDate('240229153045'), d(2024, 2, 29, 15, 30, 45));
  assert.deepEqual(parseReceiptDate('20240229153045'), d(2024, 2, 29, 15, 30, 45));
  for (const bad of ['2302291530', '2400011530', '2401012400', '2401011260', '24010112', 'abcdefghij', '']) {
    assert.equal(parseReceiptDate(bad), undefined, bad);
  }
  assert.equal(receiptDateToEpochMs(d(2025, 1, 1, 1, 0), 60), Date.UTC(2025, 0, 1, 0, 0));
});

test('stat words and message_state numbers map to states', () => {
  const stats: [string, string | undefined][] = [
    ['DELIVRD', 'delivered'],
    ['delivered', 'delivered'],
    ['EXPIRED', 'expired'],
    ['DELETED', 'deleted'],
    ['UNDELIV', 'undeliverable'],
    ['ACCEPTD', 'accepted'],
    ['UNKNOWN', 'unknown'],
    ['REJECTD', 'rejected'],
    ['ENROUTE', 'enroute'],
    ['SKIPPED', 'skipped'],
    ['WHATEVER', undefined],
  ];
  for (const [stat, state] of stats) assert.equal(stateFromStat(stat), state, stat);
  assert.equal(stateFromNumber(2), 'delivered');
  assert.equal(stateFromNumber(5), 'undeliverable');
  assert.equal(stateFromNumber(42), undefined);
});

test('TLVs win over the text; the text fills the rest', () => {
  const r = buildReceipt(
    { receiptedMessageId: '0A1B', messageState: 5, networkErrorCode: Buffer.from([3, 0x01, 0x02]) },
    'id:0000002587 sub:001 dlvrd:000 submit date:2501311200 done date:2501311201 stat:DELIVRD err:001 text:',
  );
  assert.equal(r.messageId, '0A1B');
  assert.equal(r.state, 'undeliverable');
  assert.equal(r.final, true);
  assert.equal(r.stat, 'DELIVRD');
  assert.equal(r.error, '001');
  assert.deepEqual(r.networkError, { type: 3, code: 0x0102 });
  assert.equal(r.delivered, 0);
});

test('text only; enroute and intermediate receipts are not final; nothing known is unknown', () => {
  const text = buildReceipt({}, 'id:77 stat:ENROUTE');
  assert.deepEqual([text.messageId, text.state, text.final], ['77', 'enroute', false]);
  assert.equal(buildReceipt({}, 'id:77 stat:DELIVRD', true).final, false);
  const empty = buildReceipt({}, '');
  assert.deepEqual(empty, { state: 'unknown', final: true });
});

test('formatReceiptText writes what parseReceiptText reads', () => {
  const when = d(2025, 3, 4, 5, 6);
  const text = formatReceiptText({
    id: 'X1',
    stat: 'DELIVRD',
    submitDate: when,
    doneDate: when,
    text: 'abc',
  });
  assert.equal(
    text,
    'id:X1 sub:001 dlvrd:001 submit date:2503040506 done date:2503040506 stat:DELIVRD err:000 text:abc',
  );
  assert.equal(parseReceiptText(text).doneDate?.minute, 6);
});
