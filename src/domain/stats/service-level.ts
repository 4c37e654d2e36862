/**
 * Queue performance predicted by Erlang C for one skill group: service level, average speed of
 * answer and occupancy. Assumes Poisson arrivals, exponential handling, FCFS and no abandonment.
 */
import { erlangC, trafficErlangs } from './erlang.js';
import { requireAgents, requireNonNegative } from './inputs.js';

/** Calls offered to a group: arrivals per second and average handling time in seconds. */
export interface TrafficLoad {
  arrivalRatePerSec: number;
  ahtSec: number;
}

/** A load and the number of agents serving it. */
export interface StaffedLoad extends TrafficLoad {
  agents: number;
}

/** A staffed load and the service-level threshold ("answered within `thresholdSec` seconds"). */
export interface ServiceLevelQuery extends StaffedLoad {
  thresholdSec: number;
}

/**
 * Fraction of calls answered within the threshold: 1 − C·e^{−(N−A)·t/AHT}. 0 when agents ≤ traffic.
 * @example serviceLevel({ arrivalRatePerSec: 0.1, ahtSec: 180, agents: 20, thresholdSec: 20 }); // ≈ 0.5590
 */
export function serviceLevel(query: ServiceLevelQuery): number {
  const { agents, ahtSec, thresholdSec } = query;
  requireNonNegative('thresholdSec', thresholdSec);
  const a = trafficErlangs(query.arrivalRatePerSec, ahtSec);
  requireAgents(agents);
  if (agents <= a) return 0;
  return serviceLevelFromC(erlangC(agents, a), agents, a, ahtSec, thresholdSec);
}

/** Service level from an already computed Erlang C; the caller guarantees agents > traffic. */
export function serviceLevelFromC(
  c: number,
  agents: number,
  trafficErlangs: number,
  ahtSec: number,
  thresholdSec: number,
): number {
  const sl = 1 - c * Math.exp((-(agents - trafficErlangs) * thresholdSec) / ahtSec);
  return Math.min(1, Math.max(0, sl));
}

/**
 * Average speed of answer (mean wait over all calls) in seconds: C·AHT / (N − A).
 * Infinity when agents ≤ traffic, since the queue then grows without bound.
 * @example averageSpeedOfAnswer({ arrivalRatePerSec: 0.1, ahtSec: 180, agents: 20 }); // ≈ 49.6
 */
export function averageSpeedOfAnswer(load: StaffedLoad): number {
  const a = trafficErlangs(load.arrivalRatePerSec, load.ahtSec);
  requireAgents(load.agents);
  if (load.agents <= a) return Infinity;
  return (erlangC(load.agents, a) * load.ahtSec) / (load.agents - a);
}

/**
 * Share of agent time spent handling calls: A / N, capped at 1 when agents cannot keep up.
 * @example occupancy({ arrivalRatePerSec: 0.1, ahtSec: 180, agents: 20 }); // 0.9
 */
export function occupancy(load: StaffedLoad): number {
  const a = trafficErlangs(load.arrivalRatePerSec, load.ahtSec);
  requireAgents(load.agents);
  if (load.agents === 0) return a > 0 ? 1 : 0;
  return Math.min(1, a / load.agents);
}
