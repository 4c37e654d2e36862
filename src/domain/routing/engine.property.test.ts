/**
 * Property tests: random floors and random operation sequences with a moving clock. After every
 * step the engine's read API must satisfy the routing invariants, checked against an independent
 * model of skills, capacity and overflow stages kept here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from '../errors.js';
import { RoutingEngine } from './engine.js';
import { T0 } from './fixtures.test.js';
import {
  STRATEGIES,
  type AgentConfig,
  type Channel,
  type OverflowRule,
  type QueueConfig,
  type RoutingEvent,
  type SkillRequirement,
} from './types.js';
import type { AgentView, InteractionView } from './views.js';

const SKILLS = ['s0', 's1', 's2', 's3'];
const CHANNELS: Channel[] = ['voice', 'chat', 'email'];

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

const cmdArb = fc.oneof(
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

type Cmd = typeof cmdArb extends fc.Arbitrary<infer C> ? C : never;

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

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

function queueConfigs(s: Scenario): QueueConfig[] {
  return s.queues.map((q, i) => ({ id: `q${i}`, ...q }));
}

function agentConfig(a: Scenario['agents'][number], i: number, skills = a.skills): AgentConfig {
  return {
    id: `a${i}`,
    teamId: null,
    skills,
    capacity: { voice: a.voice, chat: a.chat, email: a.email },
    exclusiveChannels: a.voiceExclusive ? ['voice'] : [],
  };
}

// --- the independent model ------------------------------------------------------------------

function mergeReq(reqs: SkillRequirement[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of reqs) m.set(r.skill, Math.max(m.get(r.skill) ?? 0, Math.max(1, r.minLevel)));
  return m;
}

/** Requirement of a queue after `stage` overflow rules, plus extras (computed from the config). */
function expectedRequirement(q: QueueConfig, stage: number, extra: SkillRequirement[]): Map<string, number> {
  let base = mergeReq(q.requirements);
  const rules = [...q.overflow].sort((a, b) => a.afterSec - b.afterSec);
  for (const rule of rules.slice(0, stage)) {
    if (rule.action !== 'widen') continue;
    const next = new Map<string, number>();
    for (const [skill, level] of base) {
      if (rule.dropSkills?.includes(skill)) continue;
      next.set(skill, Math.max(1, level - (rule.lowerMinLevelBy ?? 0)));
    }
    base = next;
  }
  for (const [skill, level] of mergeReq(extra)) base.set(skill, Math.max(base.get(skill) ?? 0, level));
  return base;
}

function meets(skills: Record<string, number>, req: Map<string, number>): boolean {
  for (const [skill, level] of req) if ((skills[skill] ?? 0) < level) return false;
  return true;
}

function hasRoom(cfg: AgentConfig, work: AgentView['work'], channel: Channel): boolean {
  const cap = cfg.capacity[channel] ?? 0;
  if (work.filter((w) => w.channel === channel).length >= cap) return false;
  if (work.some((w) => cfg.exclusiveChannels.includes(w.channel))) return false;
  if (cfg.exclusiveChannels.includes(channel) && work.length > 0) return false;
  return true;
}

/** Service order key: smaller is served first. */
function keyBefore(a: InteractionView, b: InteractionView): boolean {
  if (a.effectivePriority !== b.effectivePriority) return a.effectivePriority > b.effectivePriority;
  if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt < b.arrivedAt;
  return a.seq < b.seq;
}

interface Model {
  queues: QueueConfig[];
  agents: AgentConfig[];
  extras: Map<string, SkillRequirement[]>;
  arrivals: Map<string, number>;
  live: Set<string>;
  everEnqueued: string[];
  answered: Map<string, number>;
  within: Map<string, number>;
  abandoned: Map<string, number>;
}

function check(e: RoutingEngine, m: Model, events: RoutingEvent[]): void {
  const agents = new Map(m.agents.map((a) => [a.id, { cfg: a, view: e.agentState(a.id) }]));
  const views = new Map<string, InteractionView>();
  for (const id of m.everEnqueued) {
    const v = e.interaction(id);
    assert.equal(v !== undefined, m.live.has(id), `accounting of ${id}`);
    if (v) views.set(id, v);
  }
  const queueOf = (id: string) => m.queues.find((q) => q.id === id)!;

  // Every live interaction is exactly one of waiting/offered/active/wrap-up, seen from both sides.
  const waitingSeen = new Map<string, string>();
  for (const q of m.queues) {
    const list = e.waiting(q.id);
    for (const w of list) {
      assert.ok(!waitingSeen.has(w.interactionId), `${w.interactionId} waits twice`);
      waitingSeen.set(w.interactionId, q.id);
    }
    for (let i = 1; i < list.length; i++) {
      assert.ok(
        keyBefore(views.get(list[i - 1]!.interactionId)!, views.get(list[i]!.interactionId)!),
        'service order',
      );
    }
    const stats = e.queueStats(q.id);
    assert.equal(stats.waiting, list.length);
    assert.equal(stats.oldestArrivedAt, list.length ? Math.min(...list.map((w) => w.arrivedAt)) : null);
    assert.equal(stats.answered, m.answered.get(q.id) ?? 0);
    assert.equal(stats.answeredWithinThreshold, m.within.get(q.id) ?? 0);
    assert.equal(stats.abandoned, m.abandoned.get(q.id) ?? 0);
    const counts = { available: 0, not_ready: 0, reserved: 0, busy: 0, wrap_up: 0 };
    for (const { cfg, view } of agents.values()) {
      if (view.state !== 'logged_out' && meets(cfg.skills, mergeReq(q.requirements))) counts[view.state]++;
    }
    assert.deepEqual(stats.agents, counts, `agent counts of ${q.id}`);
  }
  const workOf = new Map<string, { agentId: string; phase: string; reservationId?: string }[]>();
  for (const [agentId, { cfg, view }] of agents) {
    for (const w of view.work) {
      const list = workOf.get(w.interactionId) ?? [];
      list.push({ agentId, phase: w.phase, reservationId: w.reservationId });
      workOf.set(w.interactionId, list);
    }
    // Capacity per channel and the mixing rule.
    for (const ch of CHANNELS) {
      assert.ok(
        view.work.filter((w) => w.channel === ch).length <= (cfg.capacity[ch] ?? 0),
        `${agentId} over ${ch}`,
      );
    }
    if (view.work.some((w) => cfg.exclusiveChannels.includes(w.channel))) {
      assert.equal(view.work.length, 1, `${agentId} mixes work with an exclusive channel`);
    }
    // The shown state is derived from presence and work.
    const expected =
      view.presence === 'logged_out'
        ? 'logged_out'
        : view.work.some((w) => w.phase === 'offered')
          ? 'reserved'
          : view.work.some((w) => w.phase === 'active')
            ? 'busy'
            : view.work.some((w) => w.phase === 'wrap_up')
              ? 'wrap_up'
              : view.presence;
    assert.equal(view.state, expected, `${agentId} state`);
    if (view.presence === 'logged_out') assert.equal(view.work.length, 0);
  }
  for (const [id, v] of views) {
    const held = workOf.get(id) ?? [];
    if (v.phase === 'waiting') {
      assert.equal(waitingSeen.get(id), v.queueId, `${id} waiting in its queue`);
      assert.equal(held.length, 0);
    } else {
      assert.ok(!waitingSeen.has(id), `${id} both waiting and ${v.phase}`);
      assert.deepEqual(held.map((h) => h.agentId).sort(), [...v.agentIds].sort(), `${id} holders`);
      assert.ok(held.every((h) => h.phase === v.phase));
      if (v.phase === 'offered') {
        assert.ok(held.length >= 1);
        assert.ok(held.every((h) => h.reservationId !== undefined));
        if (held.length > 1) assert.equal(queueOf(v.queueId).strategy, 'ring_all', `${id} offered twice`);
      } else {
        assert.equal(held.length, 1);
      }
    }
    // The engine's requirement equals the one derived from the config and the stage.
    const expectedReq = expectedRequirement(queueOf(v.queueId), v.stage, m.extras.get(id) ?? []);
    assert.deepEqual(
      new Map(v.requirements.map((r) => [r.skill, r.minLevel])),
      expectedReq,
      `${id} requirement`,
    );
  }
  for (const id of workOf.keys()) assert.ok(views.has(id), `agent holds unknown ${id}`);

  const routable = (view: AgentView) =>
    view.state !== 'logged_out' && view.presence === 'available' && !view.pendingLogout;
  const eligible = (agentId: string, w: InteractionView) => {
    const a = agents.get(agentId)!;
    return (
      (w.stickyAgentId === null || w.stickyAgentId === agentId) &&
      meets(a.cfg.skills, new Map(w.requirements.map((r) => [r.skill, r.minLevel])))
    );
  };
  const waiting = [...views.values()].filter((v) => v.phase === 'waiting');

  // Drained: no waiting interaction has an eligible agent with room.
  for (const w of waiting) {
    for (const [agentId, a] of agents) {
      const free = routable(a.view) && hasRoom(a.cfg, a.view.work, w.channel) && eligible(agentId, w);
      assert.ok(!free, `not drained: ${w.id} waits while ${agentId} could take it`);
    }
  }

  // Offers made in this step: skills met, and no better waiting interaction the agent could take.
  for (const o of events) {
    if (o.type !== 'offer') continue;
    const x = views.get(o.interactionId);
    if (!x || x.phase !== 'offered') continue;
    assert.ok(
      meets(
        agents.get(o.agentId)!.cfg.skills,
        expectedRequirement(queueOf(x.queueId), x.stage, m.extras.get(x.id) ?? []),
      ),
    );
    for (const w of waiting) {
      if (w.channel === x.channel && eligible(o.agentId, w)) {
        assert.ok(keyBefore(x, w), `${o.agentId} got ${x.id} while better ${w.id} waited`);
      }
    }
  }
}

// --- running a scenario ---------------------------------------------------------------------

interface Step {
  events: RoutingEvent[];
  error: string | null;
}

export function run(s: Scenario, verify: boolean): Step[] {
  const e = new RoutingEngine();
  const m: Model = {
    queues: queueConfigs(s),
    agents: s.agents.map((a, i) => agentConfig(a, i)),
    extras: new Map(),
    arrivals: new Map(),
    live: new Set(),
    everEnqueued: [],
    answered: new Map(),
    within: new Map(),
    abandoned: new Map(),
  };
  let now = T0 + 100_000;
  for (const q of m.queues) e.upsertQueue(q, now);
  for (const a of m.agents) e.upsertAgent(a, now);
  for (const a of m.agents) e.login(a.id, now, 'available');
  const out: Step[] = [];
  const offerQueue = new Map<string, string>();
  let seq = 0;
  const inc = (map: Map<string, number>, k: string) => map.set(k, (map.get(k) ?? 0) + 1);

  for (const [cmd, dt] of s.steps) {
    now += dt;
    const views = () => m.everEnqueued.filter((id) => m.live.has(id)).map((id) => e.interaction(id)!);
    const works = () => m.agents.flatMap((a) => e.agentState(a.id).work);
    const pick = <T>(list: T[], n: number): T | undefined => list[n % Math.max(1, list.length)];
    let events: RoutingEvent[] = [];
    let error: string | null = null;
    let leaving: string | null = null;
    const op = cmd as Cmd;
    try {
      switch (op.kind) {
        case 'enqueue': {
          const id = `i${seq}`;
          const q = m.queues[op.q % m.queues.length]!;
          const sticky = op.sticky === null ? null : `a${op.sticky % m.agents.length}`;
          m.everEnqueued.push(id);
          m.extras.set(id, op.extra);
          m.arrivals.set(id, now - op.back);
          events = e.enqueue(
            {
              id,
              queueId: q.id,
              channel: op.channel,
              priority: op.priority,
              vip: op.vip,
              arrivedAt: now - op.back,
              seq: seq++,
              extraRequirements: op.extra,
              preferredAgentId: sticky,
            },
            now,
          );
          m.live.add(id);
          break;
        }
        case 'accept':
        case 'reject': {
          const r = pick(
            works().filter((w) => w.reservationId),
            op.pick,
          );
          if (!r?.reservationId) continue;
          events = op.kind === 'accept' ? e.accept(r.reservationId, now) : e.reject(r.reservationId, now);
          break;
        }
        case 'complete':
        case 'endWrapUp': {
          const phase = op.kind === 'complete' ? 'active' : 'wrap_up';
          const w = pick(
            works().filter((x) => x.phase === phase),
            op.pick,
          );
          if (!w) continue;
          events =
            op.kind === 'complete' ? e.complete(w.interactionId, now) : e.endWrapUp(w.interactionId, now);
          if (op.kind === 'endWrapUp' || !events.some((x) => x.type === 'wrap_up_started'))
            leaving = w.interactionId;
          break;
        }
        case 'abandon':
        case 'remove':
        case 'move':
        case 'setPriority': {
          const v = pick(
            views().filter((x) => x.phase === 'waiting' || x.phase === 'offered'),
            op.pick,
          );
          if (!v) continue;
          if (op.kind === 'move') {
            events = e.move(v.id, m.queues[op.q % m.queues.length]!.id, now);
          } else if (op.kind === 'setPriority') {
            events = e.setPriority(v.id, op.p, now);
          } else {
            events = op.kind === 'abandon' ? e.abandon(v.id, now) : e.remove(v.id, now);
            if (op.kind === 'abandon') inc(m.abandoned, v.queueId);
            leaving = v.id;
          }
          break;
        }
        case 'tick':
          now += op.dt;
          events = e.tick(now);
          break;
        case 'presence': {
          const a = m.agents[op.agent % m.agents.length]!;
          events = e.setPresence(
            a.id,
            op.available ? 'available' : 'not_ready',
            op.available ? null : 'break',
            now,
          );
          break;
        }
        case 'login': {
          const a = m.agents[op.agent % m.agents.length]!;
          events = e.login(a.id, now, op.available ? 'available' : 'not_ready', null);
          break;
        }
        case 'logout':
          events = e.logout(m.agents[op.agent % m.agents.length]!.id, now);
          break;
        case 'reskill': {
          const i = op.agent % m.agents.length;
          // Only skills change: capacity stays, so work never exceeds it.
          const cfg = { ...m.agents[i]!, skills: op.skills };
          m.agents[i] = cfg;
          events = e.upsertAgent(cfg, now);
          break;
        }
        case 'stale':
          events = e.accept(`r${op.n + 100_000}`, now);
          break;
      }
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      error = err.code;
      events = [];
    }
    if (leaving !== null) m.live.delete(leaving);
    for (const ev of events) {
      if (ev.type === 'offer') offerQueue.set(ev.reservationId, ev.queueId);
      if (ev.type === 'offer_cancelled') {
        // A rejection, or a timeout outside ring_all, leaves the agent not ready ('missed').
        const strategy = m.queues.find((q) => q.id === offerQueue.get(ev.reservationId))?.strategy;
        const missed = op.kind === 'reject' || (ev.reason === 'timeout' && strategy !== 'ring_all');
        if (missed && (ev.reason === 'rejected' || ev.reason === 'timeout')) {
          const view = e.agentState(ev.agentId);
          assert.deepEqual(
            [view.presence, view.reason],
            ['not_ready', 'missed'],
            `${ev.agentId} after a miss`,
          );
        }
      }
      if (ev.type === 'max_wait_exceeded' || ev.type === 'wrap_up_ended') m.live.delete(ev.interactionId);
      if (ev.type === 'accepted') {
        inc(m.answered, ev.queueId);
        const q = m.queues.find((x) => x.id === ev.queueId)!;
        if (now - m.arrivals.get(ev.interactionId)! <= q.serviceLevelThresholdMs) inc(m.within, ev.queueId);
      }
    }
    // queue_stats come last, one per queue.
    const firstStats = events.findIndex((x) => x.type === 'queue_stats');
    if (firstStats >= 0) {
      const tail = events.slice(firstStats);
      assert.ok(tail.every((x) => x.type === 'queue_stats'));
      assert.equal(
        new Set(tail.map((x) => (x.type === 'queue_stats' ? x.stats.queueId : ''))).size,
        tail.length,
      );
    }
    if (verify) check(e, m, events);
    out.push({ events, error });
  }
  return out;
}

describe('routing engine properties', () => {
  test('invariants hold after every step of random operation sequences', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        run(s, true);
      }),
      { numRuns: 4_000 },
    );
  });

  test('determinism: the same sequence on two engines gives identical events', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        assert.deepEqual(JSON.stringify(run(s, false)), JSON.stringify(run(s, false)));
      }),
      { numRuns: 500 },
    );
  });
});
