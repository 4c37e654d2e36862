import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubmitPacer } from './pacer.js';

/** Drives a pacer the way the bind does, with timers that fire `lateness(i)` ms late. */
function run(pacer: SubmitPacer, count: number, lateness: (i: number) => number): number[] {
  const sent: number[] = [];
  let now = 0;
  for (let i = 0; i < count; i++) {
    const at = pacer.nextAt();
    if (at > now) now = Math.ceil(at) + lateness(i); // setTimeout(ceil(delay)) then the loop's own delay
    pacer.take(now);
    sent.push(now);
  }
  return sent;
}

const rate = (sent: number[]) => ((sent.length - 1) * 1000) / (sent[sent.length - 1]! - sent[0]!);

test('fake clock: exact rate with punctual timers', () => {
  const sent = run(new SubmitPacer(50), 151, () => 0);
  assert.ok(Math.abs(rate(sent) - 50) / 50 < 0.01, String(rate(sent)));
});

test('fake clock: late timers do not lower the rate', () => {
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 0x7fffffff) / 0x7fffffff;
  for (const r of [10, 50, 200, 1000]) {
    const sent = run(new SubmitPacer(r), r * 3, () => Math.floor(random() * 4));
    const measured = rate(sent);
    assert.ok(Math.abs(measured - r) / r < 0.05, `${r}/s measured ${measured}`);
    // and never a burst beyond the catch-up allowance in any one second
    for (let i = 0; i < sent.length; i++) {
      const inSecond = sent.filter((t) => t >= sent[i]! && t < sent[i]! + 1000).length;
      assert.ok(inSecond <= r + Math.ceil(r * 0.02) + 1, `${r}/s: ${inSecond} in one second`);
    }
  }
});

test('fake clock: an idle bind does not save up a burst', () => {
  const p = new SubmitPacer(10);
  p.take(0);
  assert.equal(p.nextAt(), 100);
  p.take(5000); // idle for 5 s
  assert.equal(p.nextAt(), 5100);
});

test('fake clock: a pause holds the next slot, then the schedule restarts', () => {
  const p = new SubmitPacer(100);
  p.take(0);
  p.pauseUntil(1000);
  assert.equal(p.nextAt(), 1000);
  p.pauseUntil(500); // an earlier pause does not shorten it
  assert.equal(p.nextAt(), 1000);
  p.take(1000);
  assert.equal(p.nextAt(), 1010);
});

test('a rate must be positive', () => {
  assert.throws(() => new SubmitPacer(0), RangeError);
  assert.throws(() => new SubmitPacer(Number.NaN), RangeError);
});

// Accuracy under real timers depends on the machine's load: see `npm run bench:smpp-pacing`.
test('real time: 50/s over 1.5 s with real timers never sends ahead of its slot', async (t) => {
  const pacer = new SubmitPacer(50);
  const sent: number[] = [];
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (sent.length < 76) {
        const now = performance.now();
        const at = pacer.nextAt();
        if (at > now) {
          setTimeout(pump, Math.max(1, Math.ceil(at - now)));
          return;
        }
        pacer.take(now);
        sent.push(now);
      }
      resolve();
    };
    pump();
  });
  const measured = rate(sent);
  t.diagnostic(`measured ${measured.toFixed(2)}/s`);
  sent.forEach((at, i) => assert.ok(at - sent[0]! >= i * 20 - 1, `send ${i} at +${at - sent[0]!} ms`));
  assert.ok(measured <= 50 * 1.05, `measured ${measured}/s`);
});
