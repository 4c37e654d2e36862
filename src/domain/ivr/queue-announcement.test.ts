import { test } from 'node:test';
import assert from 'node:assert/strict';
import { announcementPrompts, expectedWaitMinutes } from './queue-announcement.js';

const base = { staffedAgents: 2, averageHandleSeconds: 120, sayPosition: true, sayWaitTime: true } as const;

test('the expected wait shares the callers up to this one among the staffed agents, at least a minute', () => {
  assert.equal(expectedWaitMinutes(3, 2, 120), 3);
  assert.equal(expectedWaitMinutes(1, 4, 60), 1);
  assert.equal(expectedWaitMinutes(2, 0, 180), 6, 'an empty floor counts as one agent');
});

test('English: "you are caller number 12 in the queue, your expected wait is about 12 minutes"', () => {
  assert.deepEqual(announcementPrompts({ ...base, position: 12, language: 'en' }), [
    'queue-position',
    'say/12',
    'queue-position-end',
    'queue-wait',
    'say/12',
    'queue-wait-minutes',
  ]);
  assert.deepEqual(announcementPrompts({ ...base, position: 1, sayPosition: false, language: 'en' }), [
    'queue-wait',
    'say/1',
    'queue-wait-minute',
  ]);
});

test('Mandarin numbers come from the same say fragments (第二十一位)', () => {
  assert.deepEqual(announcementPrompts({ ...base, position: 21, sayWaitTime: false, language: 'zh' }), [
    'queue-position',
    'say/2',
    'say/shi',
    'say/1',
    'queue-position-end',
  ]);
  assert.deepEqual(
    announcementPrompts({ ...base, position: 1, sayPosition: false, sayWaitTime: false, language: 'zh' }),
    [],
  );
});
