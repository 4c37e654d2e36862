import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualScheduler } from './scheduler.js';

test('manual scheduler runs due tasks in time order at their own time, and honours cancel', () => {
  const s = new ManualScheduler(100);
  const log: string[] = [];
  s.at(130, () => log.push(`b@${s.now()}`));
  s.at(110, () => {
    log.push(`a@${s.now()}`);
    s.at(120, () => log.push(`a2@${s.now()}`));
  });
  s.at(140, () => log.push('never')).cancel();
  s.advanceTo(135);
  assert.deepEqual(log, ['a@110', 'a2@120', 'b@130']);
  assert.equal(s.now(), 135);
  assert.equal(s.pending(), 0);
});
