import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoutingEngine } from './engine.js';
import { T0, agent, call, ofType, offerOf, offered, queue } from './fixtures.test.js';

describe('wrap-up', () => {
  test('ends by timer (cause timer), then the agent takes the next interaction', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('q', { wrapUpMs: 30_000 }), T0);
    e.upsertAgent(agent('a'), T0);
    e.login('a', T0, 'available');
    e.accept(offerOf(e.enqueue(call('c1', 'q', 1, T0), T0), 'c1').reservationId, T0);
    e.enqueue(call('c2', 'q', 2, T0 + 1), T0 + 1);
    const done = e.complete('c1', T0 + 10_000);
    assert.deepEqual(ofType(done, 'wrap_up_started'), [
      { type: 'wrap_up_started', interactionId: 'c1', agentId: 'a', endsAt: T0 + 40_000 },
    ]);
    assert.equal(e.agentState('a').state, 'wrap_up');
    assert.equal(e.interaction('c1')?.phase, 'wrap_up');
    assert.throws(() => e.complete('c1', T0 + 10_001), { code: 'INTERACTION_STATE_INVALID' });
    assert.equal(e.nextDeadline(), T0 + 40_000);
    assert.deepEqual(e.tick(T0 + 39_999), []);
    const ev = e.tick(T0 + 40_000);
    assert.deepEqual(ev.slice(0, 2), [
      { type: 'wrap_up_ended', interactionId: 'c1', agentId: 'a', cause: 'timer' },
      {
        type: 'agent_state',
        agentId: 'a',
        state: 'available',
        previous: 'wrap_up',
        reason: null,
        cause: 'wrap_up_ended',
      },
    ]);
    assert.deepEqual(offered(ev), ['c2→a']);
    assert.equal(e.interaction('c1'), undefined); // forgotten once wrap-up ends
  });

  test('the agent ends wrap-up early (cause agent); the timer is gone', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('q', { wrapUpMs: 30_000 }), T0);
    e.upsertAgent(agent('a'), T0);
    e.login('a', T0, 'available');
    e.accept(offerOf(e.enqueue(call('c1', 'q', 1, T0), T0), 'c1').reservationId, T0);
    e.complete('c1', T0 + 1);
    assert.deepEqual(ofType(e.endWrapUp('c1', T0 + 2), 'wrap_up_ended'), [
      { type: 'wrap_up_ended', interactionId: 'c1', agentId: 'a', cause: 'agent' },
    ]);
    assert.equal(e.nextDeadline(), null);
    assert.throws(() => e.endWrapUp('c1', T0 + 3), { code: 'INTERACTION_NOT_FOUND' });
  });
});

describe('overflow', () => {
  test('widen: after afterSec the requirement is lowered and a less skilled agent gets it', () => {
    const e = new RoutingEngine();
    e.upsertQueue(
      queue('q', {
        requirements: [
          { skill: 'sales', minLevel: 8 },
          { skill: 'fr', minLevel: 3 },
        ],
        overflow: [
          { afterSec: 30, action: 'widen', lowerMinLevelBy: 5 },
          { afterSec: 60, action: 'widen', dropSkills: ['fr'] },
        ],
      }),
      T0,
    );
    e.upsertAgent(agent('mid', { sales: 4, fr: 1 }), T0);
    e.upsertAgent(agent('nofr', { sales: 3 }), T0);
    e.login('mid', T0, 'available');
    e.login('nofr', T0, 'available');
    e.enqueue(call('c1', 'q', 1, T0), T0);
    assert.equal(e.nextDeadline(), T0 + 30_000);
    const ev = e.tick(T0 + 30_000);
    assert.deepEqual(ofType(ev, 'overflowed'), [
      { type: 'overflowed', interactionId: 'c1', fromQueueId: 'q', toQueueId: 'q', stage: 1 },
    ]);
    assert.deepEqual(offered(ev), ['c1→mid']);
    e.accept(offerOf(ev, 'c1').reservationId, T0 + 30_000);
    // The second stage drops fr entirely.
    e.enqueue(call('c2', 'q', 2, T0 + 1), T0 + 1);
    e.tick(T0 + 30_001);
    assert.deepEqual(e.interaction('c2')?.requirements, [
      { skill: 'fr', minLevel: 1 },
      { skill: 'sales', minLevel: 3 },
    ]);
    assert.deepEqual(offered(e.tick(T0 + 60_001)), ['c2→nofr']);
  });

  test('move: to another queue keeping arrivedAt, so ahead of that queue’s later arrivals', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('q1', { overflow: [{ afterSec: 20, action: 'move', toQueueId: 'q2' }] }), T0);
    e.upsertQueue(queue('q2'), T0);
    e.enqueue(call('c1', 'q1', 1, T0), T0);
    e.enqueue(call('c2', 'q2', 2, T0 + 5_000), T0 + 5_000);
    const ev = e.tick(T0 + 20_000);
    assert.deepEqual(ofType(ev, 'overflowed'), [
      { type: 'overflowed', interactionId: 'c1', fromQueueId: 'q1', toQueueId: 'q2', stage: 1 },
    ]);
    assert.deepEqual(
      ofType(ev, 'queue_stats').map((s) => [s.stats.queueId, s.stats.waiting]),
      [
        ['q1', 0],
        ['q2', 2],
      ],
    );
    assert.deepEqual(
      e.waiting('q2').map((w) => w.interactionId),
      ['c1', 'c2'],
    );
    assert.equal(e.interaction('c1')?.queueId, 'q2');
  });

  test('restart: enqueue with a past arrivedAt applies the steps already due at once', () => {
    const e = new RoutingEngine();
    e.upsertQueue(
      queue('q1', {
        requirements: [{ skill: 'x', minLevel: 9 }],
        overflow: [
          { afterSec: 10, action: 'widen', lowerMinLevelBy: 8 },
          { afterSec: 20, action: 'move', toQueueId: 'q2' },
        ],
      }),
      T0,
    );
    e.upsertQueue(queue('q2', { overflow: [{ afterSec: 90, action: 'widen', lowerMinLevelBy: 1 }] }), T0);
    const now = T0 + 60_000;
    const ev = e.enqueue(call('c1', 'q1', 1, T0 + 15_000), now);
    assert.deepEqual(ofType(ev, 'overflowed'), [
      { type: 'overflowed', interactionId: 'c1', fromQueueId: 'q1', toQueueId: 'q1', stage: 1 },
      { type: 'overflowed', interactionId: 'c1', fromQueueId: 'q1', toQueueId: 'q2', stage: 2 },
    ]);
    assert.equal(e.interaction('c1')?.queueId, 'q2');
    assert.equal(e.nextDeadline(), T0 + 15_000 + 90_000);
    // A restart with the max wait already passed ends it at once.
    e.upsertQueue(queue('q3', { maxWaitMs: 5_000 }), now);
    assert.deepEqual(ofType(e.enqueue(call('c2', 'q3', 2, T0), now), 'max_wait_exceeded'), [
      { type: 'max_wait_exceeded', interactionId: 'c2', queueId: 'q3' },
    ]);
    assert.equal(e.interaction('c2'), undefined);
  });

  test('overflow cycles end: a move back to a queue already visited is skipped', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('a', { overflow: [{ afterSec: 1, action: 'move', toQueueId: 'b' }] }), T0);
    e.upsertQueue(queue('b', { overflow: [{ afterSec: 1, action: 'move', toQueueId: 'a' }] }), T0);
    const ev = e.enqueue(call('c1', 'a', 1, T0), T0 + 5_000);
    assert.deepEqual(ofType(ev, 'overflowed').length, 1);
    assert.equal(e.interaction('c1')?.queueId, 'b');
    assert.equal(e.nextDeadline(), null);
  });
});

describe('sticky routing', () => {
  test('offered only to the preferred agent until preferredUntil, then to everyone', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('q'), T0);
    e.upsertAgent(agent('last'), T0);
    e.upsertAgent(agent('other'), T0);
    e.login('other', T0, 'available');
    const ev = e.enqueue(
      call('c1', 'q', 1, T0, { preferredAgentId: 'last', preferredUntil: T0 + 20_000 }),
      T0,
    );
    assert.deepEqual(offered(ev), []);
    assert.equal(e.interaction('c1')?.stickyAgentId, 'last');
    // A later, non-sticky arrival goes to the free agent.
    assert.deepEqual(offered(e.enqueue(call('c2', 'q', 2, T0 + 1), T0 + 1)), ['c2→other']);
    assert.deepEqual(offered(e.login('last', T0 + 2, 'available')), ['c1→last']);
  });

  test('the window expires in tick and the interaction is visible to every eligible agent', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('q', { stickyMs: 20_000 }), T0);
    e.upsertAgent(agent('last'), T0);
    e.upsertAgent(agent('other'), T0);
    e.login('other', T0, 'available');
    // preferredUntil defaults to arrivedAt + queue.stickyMs.
    e.enqueue(call('c1', 'q', 1, T0, { preferredAgentId: 'last' }), T0);
    assert.equal(e.nextDeadline(), T0 + 20_000);
    assert.deepEqual(e.tick(T0 + 19_999), []);
    const ev = e.tick(T0 + 20_000);
    assert.deepEqual(offered(ev), ['c1→other']);
    assert.equal(e.interaction('c1')?.stickyAgentId, null);
  });

  test('a window already closed at enqueue routes normally', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('q'), T0);
    e.upsertAgent(agent('other'), T0);
    e.login('other', T0, 'available');
    const ev = e.enqueue(call('c1', 'q', 1, T0, { preferredAgentId: 'gone', preferredUntil: T0 }), T0);
    assert.deepEqual(offered(ev), ['c1→other']);
  });
});

describe('max wait and deadlines', () => {
  test('max wait removes the interaction with an event; counts neither answered nor abandoned', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('q', { maxWaitMs: 60_000 }), T0);
    e.enqueue(call('c1', 'q', 1, T0), T0);
    const ev = e.tick(T0 + 60_000);
    assert.deepEqual(ev, [
      { type: 'max_wait_exceeded', interactionId: 'c1', queueId: 'q' },
      { type: 'queue_stats', stats: e.queueStats('q') },
    ]);
    assert.equal(e.interaction('c1'), undefined);
    const s = e.queueStats('q');
    assert.deepEqual([s.waiting, s.answered, s.abandoned, s.serviceLevelPct], [0, 0, 0, null]);
  });

  test('max wait does not run while offered; it applies on return to the queue', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('q', { maxWaitMs: 10_000, reservationTimeoutMs: 30_000 }), T0);
    e.upsertAgent(agent('a'), T0);
    e.login('a', T0, 'available');
    const r = offerOf(e.enqueue(call('c1', 'q', 1, T0), T0), 'c1');
    assert.equal(e.nextDeadline(), T0 + 30_000);
    const ev = e.reject(r.reservationId, T0 + 15_000);
    assert.deepEqual(
      ev.filter((x) => x.type === 'requeued' || x.type === 'max_wait_exceeded').map((x) => x.type),
      ['requeued', 'max_wait_exceeded'],
    );
  });

  test('tick processes every due deadline in time order, then matches once', () => {
    const e = new RoutingEngine();
    e.upsertQueue(queue('w', { wrapUpMs: 5_000 }), T0);
    e.upsertQueue(queue('m', { maxWaitMs: 3_000 }), T0);
    e.upsertQueue(queue('o', { overflow: [{ afterSec: 4, action: 'widen', lowerMinLevelBy: 1 }] }), T0);
    e.upsertAgent(agent('a', {}, { capacity: { chat: 1 }, exclusiveChannels: [] }), T0);
    e.login('a', T0, 'available');
    e.accept(offerOf(e.enqueue(call('h1', 'w', 1, T0, { channel: 'chat' }), T0), 'h1').reservationId, T0);
    e.complete('h1', T0); // wrap-up ends at T0+5000
    e.enqueue(call('m1', 'm', 2, T0 + 1_000), T0 + 1_000); // max wait at T0+4000
    e.enqueue(call('o1', 'o', 3, T0 + 500, { channel: 'chat' }), T0 + 500); // overflow at T0+4500
    assert.equal(e.nextDeadline(), T0 + 4_000);
    const ev = e.tick(T0 + 10_000);
    assert.deepEqual(
      ev.filter((x) => x.type !== 'queue_stats' && x.type !== 'agent_state').map((x) => x.type),
      ['max_wait_exceeded', 'overflowed', 'wrap_up_ended', 'offer'],
    );
    assert.deepEqual(offered(ev), ['o1→a']);
    // queue_stats close the list, one per touched queue.
    const tail = ev.slice(-3).map((x) => (x.type === 'queue_stats' ? x.stats.queueId : x.type));
    assert.deepEqual([...tail].sort(), ['m', 'o', 'w']);
    assert.equal(e.nextDeadline(), T0 + 10_000 + 30_000); // the new offer's timeout
  });
});
