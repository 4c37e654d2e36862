import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Unspeakable, sayFragments } from './say.js';

const en = (as: Parameters<typeof sayFragments>[0], v: string | number, c?: 'USD' | 'CNY' | 'EUR') =>
  sayFragments(as, v, 'en', c).join(' ');
const zh = (as: Parameters<typeof sayFragments>[0], v: string | number, c?: 'USD' | 'CNY' | 'EUR') =>
  sayFragments(as, v, 'zh', c).join(' ');

test('English numbers', () => {
  assert.equal(en('number', 0), '0');
  assert.equal(en('number', 7), '7');
  assert.equal(en('number', 10), '10');
  assert.equal(en('number', 15), '15');
  assert.equal(en('number', 20), '20');
  assert.equal(en('number', 42), '40 2');
  assert.equal(en('number', 105), '1 hundred 5');
  assert.equal(en('number', 1234), '1 thousand 2 hundred 30 4');
  assert.equal(en('number', 10000), '10 thousand');
  assert.equal(en('number', '2000019'), '2 million 19');
  assert.equal(
    en('number', '999999999999'),
    '9 hundred 90 9 billion 9 hundred 90 9 million 9 hundred 90 9 thousand 9 hundred 90 9',
  );
  assert.equal(en('number', '-3.05'), 'minus 3 point 0 5');
  assert.equal(en('number', '-0'), '0');
});

test('Mandarin numbers: 零, 十 at the head, 两 before 千 and 万', () => {
  assert.equal(zh('number', 0), '0');
  assert.equal(zh('number', 7), '7');
  assert.equal(zh('number', 10), 'shi');
  assert.equal(zh('number', 15), 'shi 5');
  assert.equal(zh('number', 20), '2 shi');
  assert.equal(zh('number', 105), '1 bai 0 5');
  assert.equal(zh('number', 110), '1 bai 1 shi');
  assert.equal(zh('number', 1234), '1 qian 2 bai 3 shi 4');
  assert.equal(zh('number', 2222), 'liang qian 2 bai 2 shi 2');
  assert.equal(zh('number', 1005), '1 qian 0 5');
  assert.equal(zh('number', 10000), '1 wan');
  assert.equal(zh('number', 10500), '1 wan 0 5 bai');
  assert.equal(zh('number', 20000), 'liang wan');
  assert.equal(zh('number', 100000), 'shi wan');
  assert.equal(zh('number', 120000), 'shi 2 wan');
  assert.equal(zh('number', 100000005), '1 yi 0 5');
  assert.equal(zh('number', 100010000), '1 yi 0 1 wan');
  assert.equal(zh('number', '3.14'), '3 dian 1 4');
  assert.equal(zh('number', -8), 'fu 8');
});

test('digits: en star/pound, zh 1 as yao', () => {
  assert.equal(en('digits', '12*#+0'), '1 2 star pound plus 0');
  assert.equal(zh('digits', '110*#'), 'yao yao 0 xing jing');
  assert.equal(en('digits', '555-0143'), '5 5 5 0 1 4 3');
});

test('dates and times', () => {
  assert.equal(en('date', '2026-11-23'), 'november 23rd 20 20 6');
  assert.equal(en('date', '2001-01-01'), 'january 1st 2 thousand 1');
  assert.equal(en('date', '1905-03-12'), 'march 12th 19 oh 5');
  assert.equal(en('date', '1900-02-22'), 'february 22nd 19 hundred');
  assert.equal(zh('date', '2026-11-23'), '2 0 2 6 nian shi 1 yue 2 shi 3 ri');
  assert.equal(en('time', '14:05'), '2 oh 5 pm');
  assert.equal(en('time', '00:30'), '12 30 am');
  assert.equal(en('time', '09:00'), '9 am');
  assert.equal(zh('time', '14:05'), 'shi 4 dian 0 5 fen');
  assert.equal(zh('time', '02:00'), 'liang dian zheng');
  assert.equal(zh('time', '10:30'), 'shi dian 3 shi fen');
});

test('currency in both languages', () => {
  assert.equal(en('currency', '12.50', 'USD'), '12 dollars and 50 cents');
  assert.equal(en('currency', '1.01', 'USD'), '1 dollar and 1 cent');
  assert.equal(en('currency', '0.5', 'EUR'), '50 cents');
  assert.equal(en('currency', 0, 'USD'), '0 dollars');
  assert.equal(en('currency', '1234', 'CNY'), '1 thousand 2 hundred 30 4 yuan');
  assert.equal(en('currency', '-3.00', 'USD'), 'minus 3 dollars');
  assert.equal(zh('currency', '12.50', 'CNY'), 'shi 2 yuan 5 jiao');
  assert.equal(zh('currency', '12.05', 'CNY'), 'shi 2 yuan 0 5 fen');
  assert.equal(zh('currency', '2.22', 'CNY'), 'liang yuan liang jiao liang fen');
  assert.equal(zh('currency', '0.07', 'CNY'), '7 fen');
  assert.equal(zh('currency', '12.50', 'USD'), 'shi 2 meiyuan 5 shi meifen');
  assert.equal(zh('currency', '3', 'EUR'), '3 ouyuan');
});

test('values that cannot be said throw Unspeakable', () => {
  for (const [as, v] of [
    ['number', 'abc'],
    ['number', '1e21'],
    ['number', '1000000000000'],
    ['date', '2026-02-29'],
    ['date', '2026-13-01'],
    ['time', '24:00'],
    ['digits', '12a'],
    ['currency', '1.234'],
  ] as const) {
    assert.throws(() => sayFragments(as, v, 'en', 'USD'), Unspeakable, `${as} ${v}`);
  }
  assert.throws(() => sayFragments('currency', '1', 'en'), Unspeakable);
  assert.deepEqual(sayFragments('date', '2024-02-29', 'en'), ['february', '29th', '20', '20', '4']);
});

test('every number up to 10^12 uses only the documented fragments', () => {
  const enWords = new Set(['hundred', 'thousand', 'million', 'billion']);
  const zhWords = new Set(['shi', 'bai', 'qian', 'wan', 'yi', 'liang']);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (n) => {
      for (const f of sayFragments('number', n, 'en')) {
        const k = Number(f);
        assert.ok(enWords.has(f) || (Number.isInteger(k) && (k < 20 || (k < 100 && k % 10 === 0))), f);
      }
      const z = sayFragments('number', n, 'zh');
      for (const f of z) assert.ok(zhWords.has(f) || /^[0-9]$/.test(f), f);
      // 零 is never doubled and never ends a number (except zero itself).
      assert.ok(!z.join(' ').includes('0 0'));
      if (n > 0) assert.notEqual(z[z.length - 1], '0');
    }),
  );
});
