import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { erlangB, erlangC, trafficErlangs } from './erlang.js';

/** Independent check: Erlang C by its textbook direct sum, in log space so large groups fit in a double. */
function erlangCByDirectSum(agents: number, traffic: number): number {
  // log of A^k / k! for k = 0..N, then the waiting term A^N/N! · N/(N−A).
  const logTerms: number[] = [0];
  for (let k = 1; k <= agents; k++) logTerms.push(logTerms[k - 1]! + Math.log(traffic) - Math.log(k));
  const logWaiting = logTerms[agents]! + Math.log(agents / (agents - traffic));
  const all = [...logTerms.slice(0, agents), logWaiting];
  const max = Math.max(...all);
  const total = all.reduce((sum, l) => sum + Math.exp(l - max), 0);
  return Math.exp(logWaiting - max) / total;
}

/** Independent check: Erlang B by its direct sum A^N/N! / Σ A^k/k!. */
function erlangBByDirectSum(agents: number, traffic: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= agents; k++) {
    term *= traffic / k;
    sum += term;
  }
  return term / sum;
}

void test('Erlang C matches the textbook values for A = 10 Erlangs', () => {
  const expected: [number, number][] = [
    [11, 0.6821],
    [12, 0.4494],
    [13, 0.2853],
  ];
  for (const [agents, c] of expected) {
    assert.ok(Math.abs(erlangC(agents, 10) - c) < 5e-5, `N = ${agents}: ${erlangC(agents, 10)}`);
    assert.ok(Math.abs(erlangC(agents, 10) - erlangCByDirectSum(agents, 10)) < 1e-12);
  }
});

void test('Erlang B matches the direct sum (10 Erlangs on 10 lines blocks ≈ 21.46 %)', () => {
  assert.ok(Math.abs(erlangB(10, 10) - 0.2146) < 5e-5);
  for (const [agents, traffic] of [
    [1, 0.5],
    [5, 3.2],
    [30, 25],
    [60, 70],
  ] as const) {
    assert.ok(Math.abs(erlangB(agents, traffic) - erlangBByDirectSum(agents, traffic)) < 1e-12);
  }
  assert.equal(erlangB(0, 7), 1); // no lines: everything is blocked
});

void test('large groups and heavy traffic stay finite and accurate', () => {
  for (const [agents, traffic] of [
    [1050, 1000],
    [1200, 1150],
    [5100, 5000],
  ] as const) {
    const c = erlangC(agents, traffic);
    assert.ok(Number.isFinite(c) && c > 0 && c < 1, `${agents}/${traffic}: ${c}`);
    assert.ok(Math.abs(c - erlangCByDirectSum(agents, traffic)) < 1e-9, `${agents}/${traffic}`);
  }
  const huge = erlangC(100_000, 99_500);
  assert.ok(Number.isFinite(huge) && huge > 0 && huge < 1);
});

void test('waiting probability falls as agents are added', () => {
  let previous = 1;
  for (let agents = 19; agents <= 40; agents++) {
    const c = erlangC(agents, 18);
    assert.ok(c < previous, `N = ${agents}`);
    previous = c;
  }
});

void test('an overloaded or exactly loaded group always waits; an idle one never does', () => {
  assert.equal(erlangC(10, 10), 1);
  assert.equal(erlangC(9, 10), 1);
  assert.equal(erlangC(0, 3), 1);
  assert.equal(erlangC(5, 0), 0);
});

void test('traffic is arrival rate times handling time', () => {
  assert.equal(trafficErlangs(0.1, 180), 18);
  assert.equal(trafficErlangs(0, 180), 0);
});

void test('bad inputs fail with VALIDATION_FAILED instead of returning NaN', () => {
  const invalid = (err: unknown) => err instanceof DomainError && err.code === 'VALIDATION_FAILED';
  assert.throws(() => erlangC(2.5, 1), invalid);
  assert.throws(() => erlangC(-1, 1), invalid);
  assert.throws(() => erlangC(3, Number.NaN), invalid);
  assert.throws(() => erlangB(3, -1), invalid);
  assert.throws(() => trafficErlangs(1, 0), invalid);
  assert.throws(() => trafficErlangs(Infinity, 10), invalid);
});
