import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { erlangC } from './erlang.js';
import { averageSpeedOfAnswer, occupancy, serviceLevel } from './service-level.js';
import { requiredAgents } from './staffing.js';

// 100 calls per half hour at 180 s AHT: 10 Erlangs.
const load = { arrivalRatePerSec: 100 / 1800, ahtSec: 180 };
const close = (actual: number, expected: number, eps = 1e-9) =>
  assert.ok(Math.abs(actual - expected) < eps, `${actual} ≠ ${expected}`);

void test('service level follows 1 − C·e^{−(N−A)·t/AHT}', () => {
  for (const agents of [11, 12, 13, 14]) {
    const expected = 1 - erlangC(agents, 10) * Math.exp((-(agents - 10) * 20) / 180);
    close(serviceLevel({ ...load, agents, thresholdSec: 20 }), expected);
  }
  close(serviceLevel({ ...load, agents: 13, thresholdSec: 20 }), 0.7956, 5e-5);
  close(serviceLevel({ ...load, agents: 14, thresholdSec: 20 }), 0.8884, 5e-5);
  // A zero threshold counts only calls answered at once.
  close(serviceLevel({ ...load, agents: 12, thresholdSec: 0 }), 1 - erlangC(12, 10));
});

void test('average speed of answer is C·AHT/(N − A) and occupancy is A/N', () => {
  close(averageSpeedOfAnswer({ ...load, agents: 12 }), (erlangC(12, 10) * 180) / 2);
  close(averageSpeedOfAnswer({ arrivalRatePerSec: 0.1, ahtSec: 180, agents: 20 }), 49.569, 1e-3);
  close(occupancy({ ...load, agents: 12 }), 10 / 12);
});

void test('an unstable group reports SL 0, infinite ASA and full occupancy rather than NaN', () => {
  for (const agents of [0, 9, 10]) {
    assert.equal(serviceLevel({ ...load, agents, thresholdSec: 20 }), 0);
    assert.equal(averageSpeedOfAnswer({ ...load, agents }), Infinity);
    assert.equal(occupancy({ ...load, agents }), 1);
  }
});

void test('with no traffic every call (vacuously) meets the target', () => {
  const idle = { arrivalRatePerSec: 0, ahtSec: 180 };
  assert.equal(serviceLevel({ ...idle, agents: 3, thresholdSec: 20 }), 1);
  assert.equal(averageSpeedOfAnswer({ ...idle, agents: 3 }), 0);
  assert.equal(occupancy({ ...idle, agents: 3 }), 0);
  assert.equal(occupancy({ ...idle, agents: 0 }), 0);
});

void test('required agents is the smallest N that meets the target', () => {
  const target = { ...load, thresholdSec: 20, targetServiceLevel: 0.8 };
  assert.equal(requiredAgents(target), 14);
  assert.ok(serviceLevel({ ...load, agents: 13, thresholdSec: 20 }) < 0.8);
  const eighteen = { arrivalRatePerSec: 0.1, ahtSec: 180, thresholdSec: 20, targetServiceLevel: 0.8 };
  assert.equal(requiredAgents(eighteen), 22);
  // Target 0 still needs a stable group: the first N above the traffic.
  assert.equal(requiredAgents({ ...eighteen, targetServiceLevel: 0 }), 19);
});

void test('an occupancy cap can require more agents than the service level does', () => {
  const eighteen = { arrivalRatePerSec: 0.1, ahtSec: 180, thresholdSec: 20, targetServiceLevel: 0.8 };
  assert.equal(requiredAgents({ ...eighteen, maxOccupancy: 0.8 }), 23); // 18/22 > 0.8 ≥ 18/23
  assert.equal(requiredAgents({ ...eighteen, maxOccupancy: 0.95 }), 22);
});

void test('staffing scales to large centers and handles zero traffic', () => {
  const big = { arrivalRatePerSec: 100, ahtSec: 300, thresholdSec: 20, targetServiceLevel: 0.8 };
  const n = requiredAgents(big); // 30 000 Erlangs
  assert.ok(n > 30_000 && n < 30_100, `${n}`);
  assert.ok(serviceLevel({ ...big, agents: n }) >= 0.8);
  assert.ok(serviceLevel({ ...big, agents: n - 1 }) < 0.8);
  assert.equal(requiredAgents({ ...big, arrivalRatePerSec: 0 }), 0);
  assert.ok(requiredAgents({ ...big, targetServiceLevel: 1 }) > n); // reachable: SL rounds to 1
});

void test('staffing rejects targets outside [0, 1] and caps outside (0, 1]', () => {
  const invalid = (err: unknown) => err instanceof DomainError && err.code === 'VALIDATION_FAILED';
  const base = { ...load, thresholdSec: 20, targetServiceLevel: 0.8 };
  assert.throws(() => requiredAgents({ ...base, targetServiceLevel: 80 }), invalid);
  assert.throws(() => requiredAgents({ ...base, maxOccupancy: 0 }), invalid);
  assert.throws(() => requiredAgents({ ...base, thresholdSec: -1 }), invalid);
  assert.throws(() => serviceLevel({ ...load, agents: 12, thresholdSec: Number.NaN }), invalid);
});
