/**
 * Seeded pseudo-random numbers for simulations. The domain never calls Math.random(): a seed makes
 * every run repeatable, so a simulated result can be asserted in a test and reproduced from a report.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * Mulberry32: a 32-bit state generator, fast and good enough for queueing simulations.
 * @example const random = mulberry32(42); random(); // 0.6011037519201636
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An exponentially distributed draw with the given mean (inverse transform sampling). */
export function exponential(random: Random, mean: number): number {
  // 1 - u lies in (0, 1], so the logarithm is always finite.
  return -Math.log(1 - random()) * mean;
}
