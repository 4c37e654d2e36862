/** The staffing suggestion: how many agents a group needs to meet its service-level target. */
import { erlangCFromB, nextErlangB, trafficErlangs } from './erlang.js';
import { DomainError } from '../errors.js';
import { requireNonNegative } from './inputs.js';
import { serviceLevelFromC, type TrafficLoad } from './service-level.js';

/** A load with its target: `targetServiceLevel` of calls answered within `thresholdSec`. */
export interface StaffingTarget extends TrafficLoad {
  thresholdSec: number;
  /** Fraction in [0, 1], e.g. 0.8 for "80/20". */
  targetServiceLevel: number;
  /** Optional cap on occupancy in (0, 1], e.g. 0.85 to leave agents breathing room. */
  maxOccupancy?: number;
}

/**
 * Smallest number of agents that meets the service-level target (and the occupancy cap, if given).
 * Zero traffic needs zero agents.
 * @example requiredAgents({ arrivalRatePerSec: 0.1, ahtSec: 180, thresholdSec: 20, targetServiceLevel: 0.8 }); // 22
 */
export function requiredAgents(target: StaffingTarget): number {
  const { ahtSec, thresholdSec, targetServiceLevel, maxOccupancy = 1 } = target;
  const a = trafficErlangs(target.arrivalRatePerSec, ahtSec);
  requireNonNegative('thresholdSec', thresholdSec);
  requireFraction('targetServiceLevel', targetServiceLevel, true);
  requireFraction('maxOccupancy', maxOccupancy, false);
  if (a === 0) return 0;
  // Walk N upward, carrying Erlang B along, so the whole search costs O(N) rather than O(N²).
  // It ends: C falls to 0 as N grows, and SL then reaches 1 exactly in floating point.
  let b = 1;
  for (let n = 1; ; n++) {
    b = nextErlangB(b, n, a);
    if (n <= a || a / n > maxOccupancy) continue;
    const sl = serviceLevelFromC(erlangCFromB(n, a, b), n, a, ahtSec, thresholdSec);
    if (sl >= targetServiceLevel) return n;
  }
}

function requireFraction(field: string, value: number, zeroAllowed: boolean): void {
  const ok = Number.isFinite(value) && value <= 1 && (zeroAllowed ? value >= 0 : value > 0);
  if (!ok) {
    const range = zeroAllowed ? '[0, 1]' : '(0, 1]';
    throw new DomainError('VALIDATION_FAILED', `${field} must be a fraction in ${range}`, { [field]: value });
  }
}
