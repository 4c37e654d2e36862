import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../test/helpers/manual-clock.js';
import { GraceTimers } from './reconnect-grace.js';

test('a lost browser that does not come back: the deadline runs once, at the end of the grace', () => {
  const clock = new ManualClock();
  const grace = new GraceTimers(clock, clock, 30_000);
  const expired: string[] = [];
  grace.start('call-1', () => expired.push('call-1'));
  clock.advance(29_999);
  assert.deepEqual(expired, []);
  assert.equal(grace.running('call-1'), true);
  clock.advance(1);
  assert.deepEqual(expired, ['call-1']);
  assert.equal(grace.running('call-1'), false);
  clock.advance(60_000);
  assert.deepEqual(expired, ['call-1']);
});

test('a browser back within the grace: nothing runs, and the timer is free again', () => {
  const clock = new ManualClock();
  const grace = new GraceTimers(clock, clock, 30_000);
  let expired = 0;
  grace.start('call-1', () => expired++);
  clock.advance(10_000);
  assert.equal(grace.cancel('call-1'), true);
  assert.equal(clock.armedAt(), null);
  clock.advance(60_000);
  assert.equal(expired, 0);
  assert.equal(grace.cancel('call-1'), false);
});

test('a second loss within the grace keeps the first deadline', () => {
  const clock = new ManualClock();
  const grace = new GraceTimers(clock, clock, 30_000);
  let expired = 0;
  const first = grace.start('call-1', () => expired++);
  clock.advance(20_000);
  assert.equal(
    grace.start('call-1', () => expired++),
    first,
  );
  clock.advance(10_000);
  assert.equal(expired, 1);
});

test('several calls share the one timer, each ending at its own deadline', () => {
  const clock = new ManualClock();
  const grace = new GraceTimers(clock, clock, 30_000);
  const expired: string[] = [];
  grace.start('a', () => expired.push('a'));
  clock.advance(5_000);
  grace.start('b', () => expired.push('b'));
  clock.advance(5_000);
  grace.start('c', () => expired.push('c'));
  grace.cancel('a');
  assert.equal(clock.armedAt(), clock.now() + 25_000);
  clock.advance(25_000);
  assert.deepEqual(expired, ['b']);
  clock.advance(5_000);
  assert.deepEqual(expired, ['b', 'c']);
  assert.equal(clock.armedAt(), null);
});
