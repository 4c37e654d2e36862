/**
 * The routing benchmark's scale scenario, built from a seeded PRNG so every run is identical:
 * 200 skills, 500 queues, 10,000 agents. Shared by the engine run and the naive baseline.
 */
import type { AgentConfig, InteractionInput, QueueConfig, Strategy } from '../src/domain/routing/index.js';

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SKILLS = 200;
export const QUEUES = 500;
export const AGENTS = 10_000;
export const WAITING = 100_000;
/** Queues q490–q499 ("express") use skills s190–s199, held only by agents a9000–a9999. */
export const EXPRESS_QUEUES = 10;
export const EXPRESS_AGENTS = 1_000;
const MAIN_SKILLS = SKILLS - EXPRESS_QUEUES;

const STRATEGIES: Strategy[] = ['longest_idle', 'least_occupied', 'highest_skill', 'round_robin', 'ring_all'];

export interface Scenario {
  queues: QueueConfig[];
  agents: AgentConfig[];
  mainQueueIds: string[];
  expressQueueIds: string[];
}

const int = (rnd: () => number, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

function pickSkills(rnd: () => number, from: number, count: number, n: number): number[] {
  const set = new Set<number>();
  while (set.size < n) set.add(from + Math.floor(rnd() * count));
  return [...set];
}

export function buildScenario(seed = 42): Scenario {
  const rnd = prng(seed);
  const queues: QueueConfig[] = [];
  for (let i = 0; i < QUEUES; i++) {
    const express = i >= QUEUES - EXPRESS_QUEUES;
    const skills = express
      ? [MAIN_SKILLS + (i - (QUEUES - EXPRESS_QUEUES))]
      : pickSkills(rnd, 0, MAIN_SKILLS, int(rnd, 1, 2));
    const strategy = express
      ? (STRATEGIES[i % 4] as Strategy)
      : (STRATEGIES[i % STRATEGIES.length] as Strategy);
    const overflow: QueueConfig['overflow'] =
      !express && rnd() < 0.3
        ? [
            { afterSec: 60, action: 'widen', lowerMinLevelBy: 2 },
            { afterSec: 180, action: 'widen', lowerMinLevelBy: 3 },
          ]
        : [];
    queues.push({
      id: `q${i}`,
      requirements: skills.map((s) => ({ skill: `s${s}`, minLevel: int(rnd, 1, 5) })),
      priority: int(rnd, 0, 3),
      strategy,
      reservationTimeoutMs: 30_000,
      wrapUpMs: 0,
      maxWaitMs: null,
      overflow,
      stickyMs: 0,
      serviceLevelThresholdMs: 20_000,
    });
  }
  const agents: AgentConfig[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const express = i >= AGENTS - EXPRESS_AGENTS;
    const ids = express
      ? pickSkills(rnd, MAIN_SKILLS, EXPRESS_QUEUES, int(rnd, 5, 10))
      : pickSkills(rnd, 0, MAIN_SKILLS, int(rnd, 5, 10));
    agents.push({
      id: `a${String(i).padStart(5, '0')}`,
      teamId: null,
      skills: Object.fromEntries(ids.map((s) => [`s${s}`, int(rnd, 1, 10)])),
      capacity: { voice: 1 },
      exclusiveChannels: ['voice'],
    });
  }
  return {
    queues,
    agents,
    mainQueueIds: queues.slice(0, QUEUES - EXPRESS_QUEUES).map((q) => q.id),
    expressQueueIds: queues.slice(QUEUES - EXPRESS_QUEUES).map((q) => q.id),
  };
}

/** Arrivals: a stream of voice interactions with increasing seq (and mostly increasing time). */
export class Arrivals {
  private seq = 0;
  private readonly rnd: () => number;

  constructor(
    private readonly scenario: Scenario,
    seed = 7,
  ) {
    this.rnd = prng(seed);
  }

  /** The next interaction for a main queue (`express` for an express queue). */
  next(arrivedAt: number, express = false): InteractionInput {
    const ids = express ? this.scenario.expressQueueIds : this.scenario.mainQueueIds;
    const seq = this.seq++;
    return {
      id: `i${seq}`,
      queueId: ids[Math.floor(this.rnd() * ids.length)] as string,
      channel: 'voice',
      priority: this.rnd() < 0.1 ? 1 : 0,
      vip: this.rnd() < 0.02,
      arrivedAt,
      seq,
    };
  }

  /** A uniform draw in [0, 1). */
  random(): number {
    return this.rnd();
  }
}
