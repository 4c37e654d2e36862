/**
 * Erlang B and Erlang C for one group of identical agents. Computed by the Erlang B recurrence,
 * which never forms A^N or N!, so it stays finite and accurate for thousands of agents.
 */
import { requireAgents, requireNonNegative, requirePositive } from './inputs.js';

/** Offered traffic in Erlangs: arrival rate times average handling time. */
export function trafficErlangs(arrivalRatePerSec: number, ahtSec: number): number {
  requireNonNegative('arrivalRatePerSec', arrivalRatePerSec);
  requirePositive('ahtSec', ahtSec);
  return arrivalRatePerSec * ahtSec;
}

/**
 * Erlang B: probability that a call finds all `agents` busy when blocked calls are lost.
 * @example erlangB(11, 10); // ≈ 0.1632
 */
export function erlangB(agents: number, trafficErlangs: number): number {
  requireAgents(agents);
  requireNonNegative('trafficErlangs', trafficErlangs);
  let b = 1;
  for (let n = 1; n <= agents; n++) b = nextErlangB(b, n, trafficErlangs);
  return b;
}

/** One step of the recurrence B(n) = A·B(n−1) / (n + A·B(n−1)); every term stays in [0, 1]. */
export function nextErlangB(previousB: number, agents: number, trafficErlangs: number): number {
  const ab = trafficErlangs * previousB;
  return ab / (agents + ab);
}

/**
 * Erlang C: probability that a call has to wait, with an unlimited queue and no abandonment.
 * Returns 1 when the group cannot keep up (agents ≤ traffic), where the queue grows without bound.
 * @example erlangC(11, 10); // ≈ 0.6821
 */
export function erlangC(agents: number, trafficErlangs: number): number {
  return erlangCFromB(agents, trafficErlangs, erlangB(agents, trafficErlangs));
}

/** Erlang C from an already computed Erlang B for the same agents and traffic. */
export function erlangCFromB(agents: number, trafficErlangs: number, erlangBValue: number): number {
  if (agents <= trafficErlangs) return 1;
  return (agents * erlangBValue) / (agents - trafficErlangs * (1 - erlangBValue));
}
