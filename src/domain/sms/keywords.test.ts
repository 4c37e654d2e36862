import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseKeyword, RESERVED_WORDS, routeKeyword } from './keywords.js';

test('opt-out words in any case, spacing, width and in Chinese', () => {
  for (const text of ['STOP', ' stop ', 'Stop', 'ＳＴＯＰ', 'unsubscribe', '退订', ' 退订 ', 'td']) {
    assert.equal(routeKeyword(text, []).kind, 'opt_out', text);
  }
  assert.deepEqual(routeKeyword('start', []), { kind: 'opt_in', keyword: 'START' });
});

test('a sentence that only contains a keyword is a conversation', () => {
  for (const text of ['please stop calling me at night', 'ok thanks', 'weather today?', '']) {
    assert.deepEqual(routeKeyword(text, ['WEATHER']), { kind: 'conversation' }, text);
  }
});

test('subscribe by SUB <topic>, by the topic keyword alone, or 订阅<topic>; unsubscribe likewise', () => {
  assert.deepEqual(routeKeyword('sub weather', ['WEATHER']), { kind: 'subscribe', topic: 'WEATHER' });
  assert.deepEqual(routeKeyword('  Weather ', ['weather']), { kind: 'subscribe', topic: 'WEATHER' });
  assert.deepEqual(routeKeyword('SUB   news', []), { kind: 'subscribe', topic: 'NEWS' });
  assert.deepEqual(routeKeyword('订阅天气', ['天气']), { kind: 'subscribe', topic: '天气' });
  assert.deepEqual(routeKeyword('UNSUB weather', []), { kind: 'unsubscribe', topic: 'WEATHER' });
  assert.deepEqual(routeKeyword('stop weather', []), { kind: 'unsubscribe', topic: 'WEATHER' });
  assert.deepEqual(routeKeyword('退订 天气', []), { kind: 'unsubscribe', topic: '天气' });
});

test('work-order replies carry the reference and the note in the sender’s spelling', () => {
  assert.deepEqual(routeKeyword('OK 4711', []), {
    kind: 'work_order',
    action: 'acknowledge',
    reference: 4711,
    note: null,
  });
  assert.deepEqual(routeKeyword('done 4711   Fuse replaced,  all fine', []), {
    kind: 'work_order',
    action: 'done',
    reference: 4711,
    note: 'Fuse replaced, all fine',
  });
  assert.deepEqual(routeKeyword('完成 #12 已修好', []), {
    kind: 'work_order',
    action: 'done',
    reference: 12,
    note: '已修好',
  });
  assert.deepEqual(routeKeyword('OK 12345678901', []), { kind: 'conversation' });
});

test('normaliseKeyword folds width, case and spaces', () => {
  assert.equal(normaliseKeyword('  ｓｕｂ \t Weather '), 'SUB WEATHER');
});

test('command words are reserved, so no topic can take them', () => {
  for (const w of ['STOP', 'SUB', 'UNSUB', 'OK', 'DONE', '退订', '订阅']) assert.ok(RESERVED_WORDS.has(w), w);
  assert.equal(RESERVED_WORDS.has('WEATHER'), false);
});
