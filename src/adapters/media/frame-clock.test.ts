import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameClock } from './frame-clock.js';
import { ManualScheduler } from './scheduler.js';

/** A ManualScheduler that counts the tasks it was given. */
class CountingScheduler extends ManualScheduler {
  given = 0;
  override at(timeMs: number, fn: () => void) {
    this.given++;
    return super.at(timeMs, fn);
  }
}

test('calls on one scheduler share one 20 ms clock: every member ticks each frame, one task per frame', () => {
  const scheduler = new CountingScheduler();
  const clock = FrameClock.of(scheduler);
  assert.equal(FrameClock.of(scheduler), clock, 'one clock per scheduler');
  const ticks = { a: [] as number[], b: [] as number[] };
  const leaveA = clock.join(() => ticks.a.push(scheduler.now()));
  scheduler.advanceTo(30);
  const leaveB = clock.join(() => ticks.b.push(scheduler.now()));
  scheduler.advanceTo(100);
  assert.deepEqual(ticks.a, [20, 40, 60, 80, 100]);
  assert.deepEqual(ticks.b, [40, 60, 80, 100], 'a later member ticks from the next frame on');
  // Five frames ran and the sixth waits: one task per frame, however many calls.
  assert.equal(scheduler.given, 6, 'one task per frame, however many calls');
  leaveA();
  scheduler.advanceTo(140);
  assert.deepEqual(ticks.a, [20, 40, 60, 80, 100], 'a member that left ticks no more');
  assert.deepEqual(ticks.b, [40, 60, 80, 100, 120, 140]);
  leaveB();
  scheduler.advanceTo(400);
  assert.equal(scheduler.given, 8, 'no task while nobody is on the clock (the waiting one cancelled)');
  // Joining again starts the clock afresh from now.
  clock.join(() => ticks.a.push(scheduler.now()));
  scheduler.advanceTo(425);
  assert.deepEqual(ticks.a.slice(-1), [420]);
});

test('a member that throws does not stop the others, and the error still surfaces', () => {
  const scheduler = new ManualScheduler();
  const clock = FrameClock.of(scheduler);
  const seen: number[] = [];
  let thrown = false;
  clock.join(() => {
    if (thrown) return;
    thrown = true;
    throw new Error('disk full');
  });
  clock.join(() => seen.push(scheduler.now()));
  assert.throws(() => scheduler.advanceTo(20), /disk full/);
  scheduler.advanceTo(40);
  assert.deepEqual(seen, [20, 40], 'the other call kept its clock');
});
