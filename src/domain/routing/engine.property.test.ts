/**
 * Property tests: random floors and random operation sequences with a moving clock. After every
 * step the engine's read API must satisfy the routing invariants (see invariants.fixtures.test.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from '../errors.js';
import { RoutingEngine } from './engine.js';
import { T0 } from './fixtures.test.js';
import { check, type Model } from './invariants.fixtures.test.js';
import { agentConfig, queueConfigs, scenarioArb, type Scenario } from './scenario.fixtures.test.js';
import type { RoutingTuning } from './state.js';
import type { RoutingEvent } from './types.js';

interface Step {
  events: RoutingEvent[];
  error: string | null;
}

function run(s: Scenario, verify: boolean, tuning: Partial<RoutingTuning> = {}): Step[] {
  const e = new RoutingEngine(tuning);
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
    const op = cmd;
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

  test('invariants also hold on the heap and eager-sync paths used at scale', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        run(s, true, { scanLimit: 0, pendingScanLimit: 0 });
      }),
      { numRuns: 1_000 },
    );
  });

  test('the internal paths agree: scan or heap, lazy or eager sync, the same events', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const lazy = JSON.stringify(run(s, false));
        assert.equal(JSON.stringify(run(s, false, { scanLimit: 0, pendingScanLimit: 0 })), lazy);
        assert.equal(JSON.stringify(run(s, false, { scanLimit: 2, pendingScanLimit: 1 })), lazy);
      }),
      { numRuns: 500 },
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
