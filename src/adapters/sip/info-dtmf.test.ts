import { test } from 'node:test';
import assert from 'node:assert/strict';
import { infoDtmf } from './info-dtmf.js';

test('dtmf-relay bodies give their Signal, 10 and 11 as * and #', () => {
  assert.deepEqual(infoDtmf('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n'), {
    kind: 'digit',
    digit: '5',
  });
  assert.deepEqual(infoDtmf('Application/DTMF-Relay', 'Signal= #\nDuration=100'), {
    kind: 'digit',
    digit: '#',
  });
  assert.deepEqual(infoDtmf('application/dtmf-relay', 'Signal=10\r\n'), { kind: 'digit', digit: '*' });
  assert.deepEqual(infoDtmf('application/dtmf-relay', 'Signal=11\r\n'), { kind: 'digit', digit: '#' });
  assert.deepEqual(infoDtmf('application/dtmf-relay', 'Duration=160\r\n'), { kind: 'malformed' });
  assert.deepEqual(infoDtmf('application/dtmf-relay', 'Signal=x\r\n'), { kind: 'malformed' });
});

test('application/dtmf bodies are the digit alone; other INFO bodies are not DTMF', () => {
  assert.deepEqual(infoDtmf('application/dtmf', '7\r\n'), { kind: 'digit', digit: '7' });
  assert.deepEqual(infoDtmf('application/dtmf', '12'), { kind: 'malformed' });
  assert.deepEqual(infoDtmf('application/media_control+xml', '<x/>'), { kind: 'not_dtmf' });
  assert.deepEqual(infoDtmf(undefined, ''), { kind: 'not_dtmf' });
});
