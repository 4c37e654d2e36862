import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoutingEngine } from './engine.js';
import { T0, agent, call, ofType, offerOf, queue } from './fixtures.test.js';

describe('queue statistics', () => {
  test('answered, within threshold, abandoned and service level', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('q', { serviceLevelThresholdMs: 20_000 }), T0);
    e.upsertAgent(agent('a'), T0);
    e.enqueue(call('c1', 'q', 1, T0), T0);
    e.enqueue(call('c2', 'q', 2, T0 + 1_000), T0 + 1_000);
    e.enqueue(call('c3', 'q', 3, T0 + 2_000), T0 + 2_000);
    let s = e.queueStats('q');
    assert.deepEqual([s.waiting, s.oldestArrivedAt, s.serviceLevelPct], [3, T0, null]);
    const r1 = offerOf(e.login('a', T0 + 10_000, 'available'), 'c1');
    s = e.queueStats('q');
    assert.deepEqual([s.waiting, s.oldestArrivedAt], [2, T0 + 1_000]); // offered is not waiting
    e.accept(r1.reservationId, T0 + 20_000); // waited exactly the threshold: within
    const r2 = offerOf(e.complete('c1', T0 + 21_000), 'c2');
    e.accept(r2.reservationId, T0 + 21_001); // 20 001 ms: outside
    e.abandon('c3', T0 + 22_000);
    s = e.queueStats('q');
    assert.deepEqual(
      { answered: s.answered, within: s.answeredWithinThreshold, abandoned: s.abandoned, waiting: s.waiting },
      { answered: 2, within: 1, abandoned: 1, waiting: 0 },
    );
    assert.equal(s.serviceLevelPct, (1 / 3) * 100);
    assert.equal(s.oldestArrivedAt, null);
  });

  test('agents per state: logged-in agents meeting the base requirement', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('q', { requirements: [{ skill: 'sales', minLevel: 3 }], wrapUpMs: 5_000 }), T0);
    e.upsertAgent(agent('a1', { sales: 3 }), T0);
    e.upsertAgent(agent('a2', { sales: 5 }), T0);
    e.upsertAgent(agent('a3', { sales: 5 }), T0);
    e.upsertAgent(agent('low', { sales: 2 }), T0);
    e.upsertAgent(agent('off', { sales: 9 }), T0);
    e.login('a1', T0, 'available');
    e.login('a2', T0 + 1, 'available');
    e.login('a3', T0, 'not_ready', 'lunch');
    e.login('low', T0, 'available');
    const zero = { available: 0, not_ready: 0, reserved: 0, busy: 0, wrap_up: 0 };
    assert.deepEqual(e.queueStats('q').agents, { ...zero, available: 2, not_ready: 1 });
    const r = offerOf(e.enqueue(call('c1', 'q', 1, T0 + 2), T0 + 2), 'c1');
    assert.deepEqual(e.queueStats('q').agents, { ...zero, available: 1, not_ready: 1, reserved: 1 });
    e.accept(r.reservationId, T0 + 3);
    assert.deepEqual(e.queueStats('q').agents, { ...zero, available: 1, not_ready: 1, busy: 1 });
    e.complete('c1', T0 + 4);
    assert.deepEqual(e.queueStats('q').agents, { ...zero, available: 1, not_ready: 1, wrap_up: 1 });
    // Skills change: a2 drops below the requirement and leaves the count.
    const ev = e.upsertAgent(agent('a2', { sales: 1 }), T0 + 5);
    assert.deepEqual(ofType(ev, 'queue_stats')[0]?.stats.agents, { ...zero, not_ready: 1, wrap_up: 1 });
    // A queue change re-counts.
    e.upsertQueue(queue('q', { requirements: [{ skill: 'sales', minLevel: 1 }], wrapUpMs: 5_000 }), T0 + 6);
    assert.deepEqual(e.queueStats('q').agents, { ...zero, available: 2, not_ready: 1, wrap_up: 1 });
  });

  test('one queue_stats per touched queue, at the end of the list', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('q1'), T0);
    e.upsertQueue(queue('q2'), T0);
    e.upsertAgent(agent('a'), T0);
    e.enqueue(call('c1', 'q1', 1, T0), T0);
    const ev = e.login('a', T0 + 1, 'available');
    const types = ev.map((x) => x.type);
    assert.deepEqual(types, ['agent_state', 'offer', 'agent_state', 'queue_stats', 'queue_stats']);
    assert.deepEqual(
      ofType(ev, 'queue_stats').map((x) => x.stats.queueId),
      ['q1', 'q2'],
    );
  });
});
