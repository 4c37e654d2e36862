/** Random floors and operation sequences for the routing property tests (no tests here). */
import fc from 'fast-check';
import { STRATEGIES, type AgentConfig, type Channel, type OverflowRule, type QueueConfig } from './types.js';

export const SKILLS = ['s0', 's1', 's2', 's3'];
export const CHANNELS: Channel[] = ['voice', 'chat', 'email'];

const reqArb = (max: number) =>
  fc.uniqueArray(fc.record({ skill: fc.constantFrom(...SKILLS), minLevel: fc.integer({ min: 1, max: 3 }) }), {
    selector: (r) => r.skill,
    maxLength: max,
  });

const skillsArb = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...SKILLS), fc.integer({ min: 1, max: 5 })), {
    selector: (t) => t[0],
    maxLength: 4,
    size: 'max',
  })
  .map((pairs) => Object.fromEntries(pairs));

const agentArb = fc.record({
  skills: skillsArb,
  voice: fc.constantFrom(0, 1, 1),
  chat: fc.integer({ min: 0, max: 3 }),
  email: fc.integer({ min: 0, max: 2 }),
  voiceExclusive: fc.boolean(),
});

const ruleArb = (queues: number): fc.Arbitrary<OverflowRule> =>
  fc.oneof(
    fc.record({
      afterSec: fc.integer({ min: 1, max: 20 }),
      action: fc.constant('widen' as const),
      lowerMinLevelBy: fc.integer({ min: 0, max: 3 }),
      dropSkills: fc.subarray(SKILLS, { maxLength: 2 }),
    }),
    fc.record({
      afterSec: fc.integer({ min: 1, max: 20 }),
      action: fc.constant('move' as const),
      toQueueId: fc.integer({ min: 0, max: queues - 1 }).map((n) => `q${n}`),
    }),
  );

const queueArb = (queues: number) =>
  fc.record({
    requirements: reqArb(2),
    priority: fc.integer({ min: 0, max: 3 }),
    strategy: fc.constantFrom(...STRATEGIES),
    reservationTimeoutMs: fc.integer({ min: 1_000, max: 5_000 }),
    wrapUpMs: fc.constantFrom(0, 0, 2_000),
    maxWaitMs: fc.option(fc.integer({ min: 10_000, max: 60_000 }), { nil: null }),
    overflow: fc
      .array(ruleArb(queues), { maxLength: 2 })
      .map((r) => [...r].sort((a, b) => a.afterSec - b.afterSec)),
    stickyMs: fc.constantFrom(0, 4_000),
    serviceLevelThresholdMs: fc.integer({ min: 500, max: 8_000 }),
  });

export const cmdArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('enqueue' as const),
      q: fc.nat(),
      channel: fc.constantFrom(...CHANNELS),
      priority: fc.integer({ min: 0, max: 2 }),
      vip: fc.boolean(),
      extra: reqArb(1),
      sticky: fc.option(fc.nat(), { nil: null }),
      back: fc.constantFrom(0, 0, 0, 5_000, 30_000),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constantFrom('accept' as const, 'reject' as const), pick: fc.nat() }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom('complete' as const, 'endWrapUp' as const),
      pick: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom('abandon' as const, 'remove' as const), pick: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), q: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('setPriority' as const),
      pick: fc.nat(),
      p: fc.integer({ min: 0, max: 5 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 8_000 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('presence' as const),
      agent: fc.nat(),
      available: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('login' as const), agent: fc.nat(), available: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('logout' as const), agent: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('reskill' as const), agent: fc.nat(), skills: skillsArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('stale' as const), n: fc.integer({ min: 1, max: 500 }) }),
  },
);

export const scenarioArb = fc.integer({ min: 1, max: 3 }).chain((nq) =>
  fc.record({
    queues: fc.array(queueArb(nq), { minLength: nq, maxLength: nq }),
    agents: fc.array(agentArb, { minLength: 1, maxLength: 6 }),
    steps: fc.array(fc.tuple(cmdArb, fc.integer({ min: 0, max: 2_500 })), {
      minLength: 10,
      maxLength: 80,
      size: 'max',
    }),
  }),
);

export type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

export function queueConfigs(s: Scenario): QueueConfig[] {
  return s.queues.map((q, i) => ({ id: `q${i}`, ...q }));
}

export function agentConfig(a: Scenario['agents'][number], i: number, skills = a.skills): AgentConfig {
  return {
    id: `a${i}`,
    teamId: null,
    skills,
    capacity: { voice: a.voice, chat: a.chat, email: a.email },
    exclusiveChannels: a.voiceExclusive ? ['voice'] : [],
  };
}
