import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { exponential, mulberry32 } from './prng.js';
import { averageSpeedOfAnswer, serviceLevel } from './service-level.js';
import { simulateQueue } from './simulation.js';

const DAY = 86_400;
// 18 Erlangs: 0.1 calls/s at 180 s AHT, threshold 20 s.
const group = { arrivalRatePerSec: 0.1, ahtSec: 180, thresholdSec: 20 };

void test('the generator is repeatable and roughly uniform', () => {
  const a = mulberry32(7);
  const b = mulberry32(7);
  const draws = Array.from({ length: 10_000 }, () => a());
  assert.deepEqual(
    draws.slice(0, 5),
    Array.from({ length: 5 }, () => b()),
  );
  assert.ok(draws.every((x) => x >= 0 && x < 1));
  const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, `${mean}`);
  const random = mulberry32(8);
  const expMean =
    Array.from({ length: 10_000 }, () => exponential(random, 180)).reduce((s, x) => s + x, 0) / 10_000;
  assert.ok(Math.abs(expMean - 180) < 180 * 0.03, `${expMean}`);
});

void test('a two-day run agrees with Erlang C within 3 points (24 agents, seed 1)', () => {
  const run = simulateQueue({ ...group, agents: 24, durationSec: 2 * DAY, seed: 1 });
  const predicted = serviceLevel({ ...group, agents: 24 });
  assert.ok(Math.abs(run.serviceLevel - predicted) * 100 <= 3, `${run.serviceLevel} vs ${predicted}`);
  assert.ok(Math.abs(run.averageWaitSec - averageSpeedOfAnswer({ ...group, agents: 24 })) < 3);
  assert.ok(Math.abs(run.occupancy - 18 / 24) < 0.02, `${run.occupancy}`);
  // Poisson count over 17 280 expected calls: 4 standard deviations is about ±530.
  assert.ok(Math.abs(run.offered - 17_280) < 530, `${run.offered}`);
  assert.equal(run.answered, run.offered);
  assert.equal(run.serviceLevel, run.answeredWithinThreshold / run.offered);
});

void test('the same seed gives the same run; another seed a different one', () => {
  const input = { ...group, agents: 20, durationSec: DAY, seed: 42 };
  assert.deepEqual(simulateQueue(input), simulateQueue(input));
  assert.notDeepEqual(simulateQueue(input), simulateQueue({ ...input, seed: 43 }));
});

void test('a heavily overstaffed group answers everything at once', () => {
  const run = simulateQueue({ ...group, agents: 200, durationSec: DAY, seed: 3 });
  assert.equal(run.serviceLevel, 1);
  assert.equal(run.averageWaitSec, 0);
});

void test('an overloaded group still yields finite numbers, with waits that grow', () => {
  const run = simulateQueue({ ...group, agents: 15, durationSec: DAY, seed: 5 });
  assert.ok(run.serviceLevel < 0.05, `${run.serviceLevel}`);
  assert.ok(Number.isFinite(run.averageWaitSec) && run.averageWaitSec > 3600);
  assert.ok(run.occupancy > 0.99 && run.occupancy <= 1);
});

void test('no arrivals or no time means no calls', () => {
  const quiet = simulateQueue({ ...group, arrivalRatePerSec: 0, agents: 3, durationSec: DAY, seed: 1 });
  assert.deepEqual(quiet, {
    offered: 0,
    answered: 0,
    answeredWithinThreshold: 0,
    serviceLevel: 1,
    averageWaitSec: 0,
    occupancy: 0,
  });
  assert.equal(simulateQueue({ ...group, agents: 3, durationSec: 0, seed: 1 }).offered, 0);
});

void test('a simulated week is fast', () => {
  const started = performance.now();
  const run = simulateQueue({ ...group, agents: 20, durationSec: 7 * DAY, seed: 9 });
  assert.ok(run.offered > 59_000);
  assert.ok(performance.now() - started < 2_000); // takes milliseconds; the bound only catches blow-ups
});

void test('a group with no agents or bad numbers is rejected', () => {
  const invalid = (err: unknown) => err instanceof DomainError && err.code === 'VALIDATION_FAILED';
  assert.throws(() => simulateQueue({ ...group, agents: 0, durationSec: DAY, seed: 1 }), invalid);
  assert.throws(() => simulateQueue({ ...group, agents: 2, durationSec: -1, seed: 1 }), invalid);
  assert.throws(() => simulateQueue({ ...group, ahtSec: 0, agents: 2, durationSec: DAY, seed: 1 }), invalid);
});
