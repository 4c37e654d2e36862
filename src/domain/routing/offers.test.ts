import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoutingEngine } from './engine.js';
import { T0, agent, call, ofType, offerOf, offered, queue } from './fixtures.test.js';
import type { QueueConfig } from './types.js';

/** Queue q, agents a1 and a2 logged out. */
function floor(over: Partial<QueueConfig> = {}): RoutingEngine {
  const e = new RoutingEngine();
  e.upsertQueue(queue('q', { reservationTimeoutMs: 15_000, ...over }), T0);
  e.upsertAgent(agent('a1'), T0);
  e.upsertAgent(agent('a2'), T0);
  return e;
}

describe('reject and timeout', () => {
  test('reject: the interaction returns to its original place, the agent goes not_ready (missed)', () => {
    const e = floor();
    e.login('a1', T0, 'available');
    const r = offerOf(e.enqueue(call('c1', 'q', 1, T0 + 1), T0 + 1), 'c1');
    e.enqueue(call('c2', 'q', 2, T0 + 2), T0 + 2);
    const ev = e.reject(r.reservationId, T0 + 3);
    assert.deepEqual(ev.slice(0, 3), [
      {
        type: 'offer_cancelled',
        reservationId: r.reservationId,
        interactionId: 'c1',
        agentId: 'a1',
        reason: 'rejected',
      },
      {
        type: 'agent_state',
        agentId: 'a1',
        state: 'not_ready',
        previous: 'reserved',
        reason: 'missed',
        cause: 'missed',
      },
      { type: 'requeued', interactionId: 'c1', queueId: 'q', reason: 'rejected' },
    ]);
    assert.deepEqual(offered(ev), []);
    assert.deepEqual(
      e.waiting('q').map((w) => w.interactionId),
      ['c1', 'c2'],
    );
    assert.deepEqual(e.agentState('a1'), {
      state: 'not_ready',
      presence: 'not_ready',
      reason: 'missed',
      pendingLogout: false,
      work: [],
    });
    // Another agent arriving takes c1 first: it kept its place ahead of c2.
    assert.deepEqual(offered(e.login('a2', T0 + 4, 'available')), ['c1→a2']);
  });

  test('timeout: same as reject with reason timeout, processed by tick at the deadline', () => {
    const e = floor();
    e.login('a1', T0, 'available');
    const r = offerOf(e.enqueue(call('c1', 'q', 1, T0 + 1), T0 + 1), 'c1');
    assert.equal(r.expiresAt, T0 + 15_001);
    assert.equal(e.nextDeadline(), T0 + 15_001);
    assert.deepEqual(e.tick(T0 + 15_000), []);
    e.login('a2', T0 + 2, 'available');
    const c2 = offerOf(e.enqueue(call('c2', 'q', 2, T0 + 3), T0 + 3), 'c2');
    e.accept(c2.reservationId, T0 + 3);
    e.enqueue(call('c3', 'q', 3, T0 + 4), T0 + 4); // waits
    const ev = e.tick(T0 + 20_000);
    assert.deepEqual(ofType(ev, 'offer_cancelled')[0]?.reason, 'timeout');
    assert.deepEqual(ofType(ev, 'requeued'), [
      { type: 'requeued', interactionId: 'c1', queueId: 'q', reason: 'timeout' },
    ]);
    assert.deepEqual(ofType(ev, 'agent_state')[0], {
      type: 'agent_state',
      agentId: 'a1',
      state: 'not_ready',
      previous: 'reserved',
      reason: 'missed',
      cause: 'missed',
    });
    assert.deepEqual(
      e.waiting('q').map((w) => w.interactionId),
      ['c1', 'c3'],
    );
  });

  test('ring_all timeout: agents are simply free again and the interaction rings again', () => {
    const e = floor({ strategy: 'ring_all' });
    e.login('a1', T0, 'available');
    e.login('a2', T0, 'available');
    const first = e.enqueue(call('c1', 'q', 1, T0 + 1), T0 + 1);
    assert.deepEqual(offered(first), ['c1→a1', 'c1→a2']);
    const ev = e.tick(T0 + 15_001);
    assert.deepEqual(
      ofType(ev, 'offer_cancelled').map((x) => x.reason),
      ['timeout', 'timeout'],
    );
    assert.deepEqual(ofType(ev, 'requeued').length, 1);
    assert.ok(ofType(ev, 'agent_state').every((x) => x.state !== 'not_ready'));
    assert.deepEqual(offered(ev), ['c1→a1', 'c1→a2']);
  });

  test('ring_all: one agent rejecting leaves the others ringing; the last one requeues', () => {
    const e = floor({ strategy: 'ring_all' });
    e.login('a1', T0, 'available');
    e.login('a2', T0, 'available');
    const [o1, o2] = ofType(e.enqueue(call('c1', 'q', 1, T0 + 1), T0 + 1), 'offer');
    assert.ok(o1 && o2);
    const ev1 = e.reject(o1.reservationId, T0 + 2);
    assert.deepEqual(ofType(ev1, 'requeued'), []);
    assert.equal(e.interaction('c1')?.phase, 'offered');
    assert.deepEqual(e.interaction('c1')?.agentIds, ['a2']);
    const ev2 = e.reject(o2.reservationId, T0 + 3);
    assert.deepEqual(ofType(ev2, 'requeued').length, 1);
    assert.equal(e.interaction('c1')?.phase, 'waiting');
  });

  test('an unknown reservation is RESERVATION_NOT_FOUND', () => {
    const e = floor();
    assert.throws(() => e.accept('r999', T0), { code: 'RESERVATION_NOT_FOUND' });
    assert.throws(() => e.reject('r999', T0), { code: 'RESERVATION_NOT_FOUND' });
  });
});

describe('presence and logout', () => {
  test('not_ready with a pending offer: the offer stays and can be accepted; no new offers', () => {
    const e = floor();
    e.upsertAgent(agent('a1', {}, { capacity: { chat: 2 }, exclusiveChannels: [] }), T0);
    e.login('a1', T0, 'available');
    const r = offerOf(e.enqueue(call('h1', 'q', 1, T0 + 1, { channel: 'chat' }), T0 + 1), 'h1');
    const ev = e.setPresence('a1', 'not_ready', 'break', T0 + 2);
    assert.deepEqual(ofType(ev, 'offer_cancelled'), []);
    assert.deepEqual(offered(e.enqueue(call('h2', 'q', 2, T0 + 3, { channel: 'chat' }), T0 + 3)), []);
    e.accept(r.reservationId, T0 + 4);
    const done = e.complete('h1', T0 + 5);
    assert.deepEqual(ofType(done, 'agent_state'), [
      {
        type: 'agent_state',
        agentId: 'a1',
        state: 'not_ready',
        previous: 'busy',
        reason: 'break',
        cause: 'complete',
      },
    ]);
    assert.deepEqual(offered(e.setPresence('a1', 'available', null, T0 + 6)), ['h2→a1']);
  });

  test('logout with work is pending until the last work ends; offers go back at once', () => {
    const e = floor({ wrapUpMs: 5_000 });
    e.upsertAgent(agent('a1', {}, { capacity: { chat: 3 }, exclusiveChannels: [] }), T0);
    e.login('a1', T0, 'available');
    const chat = (id: string, seq: number) => call(id, 'q', seq, T0 + seq, { channel: 'chat' });
    e.accept(offerOf(e.enqueue(chat('h1', 1), T0 + 1), 'h1').reservationId, T0 + 1);
    const pendingOffer = offerOf(e.enqueue(chat('h2', 2), T0 + 2), 'h2');
    const ev = e.logout('a1', T0 + 3);
    assert.deepEqual(ev.slice(0, 3), [
      {
        type: 'offer_cancelled',
        reservationId: pendingOffer.reservationId,
        interactionId: 'h2',
        agentId: 'a1',
        reason: 'rejected',
      },
      { type: 'requeued', interactionId: 'h2', queueId: 'q', reason: 'rejected' },
      {
        type: 'agent_state',
        agentId: 'a1',
        state: 'busy',
        previous: 'reserved',
        reason: null,
        cause: 'logout',
      },
    ]);
    assert.deepEqual(offered(ev), []);
    assert.equal(e.agentState('a1').pendingLogout, true);
    assert.throws(() => e.removeAgent('a1', T0 + 3), { code: 'AGENT_STATE_INVALID' });
    // Wrap-up still holds the agent; the logout lands when it ends.
    assert.deepEqual(ofType(e.complete('h1', T0 + 4), 'agent_state')[0]?.state, 'wrap_up');
    const end = e.tick(T0 + 5_004);
    assert.deepEqual(ofType(end, 'agent_state'), [
      {
        type: 'agent_state',
        agentId: 'a1',
        state: 'logged_out',
        previous: 'wrap_up',
        reason: null,
        cause: 'logout',
      },
    ]);
    assert.equal(e.agentState('a1').presence, 'logged_out');
    assert.deepEqual(e.removeAgent('a1', T0 + 5_005), []);
    assert.equal(e.hasAgent('a1'), false);
  });

  test('logout with no work is immediate; login again cancels a pending logout', () => {
    const e = floor();
    e.login('a1', T0, 'available');
    assert.deepEqual(ofType(e.logout('a1', T0 + 1), 'agent_state'), [
      {
        type: 'agent_state',
        agentId: 'a1',
        state: 'logged_out',
        previous: 'available',
        reason: null,
        cause: 'logout',
      },
    ]);
    assert.throws(() => e.logout('a1', T0 + 2), { code: 'AGENT_STATE_INVALID' });
    assert.throws(() => e.setPresence('a1', 'available', null, T0 + 2), { code: 'AGENT_STATE_INVALID' });
    e.login('a1', T0 + 3, 'available');
    assert.throws(() => e.login('a1', T0 + 3, 'available'), { code: 'AGENT_STATE_INVALID' });
    e.accept(offerOf(e.enqueue(call('c1', 'q', 1, T0 + 4), T0 + 4), 'c1').reservationId, T0 + 4);
    e.logout('a1', T0 + 5);
    e.login('a1', T0 + 6, 'available');
    assert.equal(e.agentState('a1').pendingLogout, false);
    e.complete('c1', T0 + 7);
    assert.equal(e.agentState('a1').state, 'available');
  });
});

describe('abandon, remove, move, priority', () => {
  test('abandon while offered cancels the offer without penalty and counts as abandoned', () => {
    const e = floor();
    e.login('a1', T0, 'available');
    const r = offerOf(e.enqueue(call('c1', 'q', 1, T0 + 1), T0 + 1), 'c1');
    e.enqueue(call('c2', 'q', 2, T0 + 2), T0 + 2);
    const ev = e.abandon('c1', T0 + 3);
    assert.deepEqual(ofType(ev, 'offer_cancelled'), [
      {
        type: 'offer_cancelled',
        reservationId: r.reservationId,
        interactionId: 'c1',
        agentId: 'a1',
        reason: 'abandoned',
      },
    ]);
    assert.deepEqual(offered(ev), ['c2→a1']);
    assert.equal(e.interaction('c1'), undefined);
    assert.equal(e.queueStats('q').abandoned, 1);
    assert.throws(() => e.abandon('c1', T0 + 4), { code: 'INTERACTION_NOT_FOUND' });
    e.accept(offerOf(ev, 'c2').reservationId, T0 + 4);
    assert.throws(() => e.abandon('c2', T0 + 5), { code: 'INTERACTION_STATE_INVALID' });
  });

  test('remove takes a waiting interaction out without counting an abandon', () => {
    const e = floor();
    e.enqueue(call('c1', 'q', 1, T0 + 1), T0 + 1);
    const ev = e.remove('c1', T0 + 2);
    assert.deepEqual(ev, [{ type: 'queue_stats', stats: e.queueStats('q') }]);
    assert.equal(e.queueStats('q').abandoned, 0);
    assert.equal(e.queueStats('q').waiting, 0);
  });

  test('move keeps the arrival time (its place) in the new queue; an offer is cancelled (moved)', () => {
    const e = floor();
    e.upsertQueue(queue('q2', { requirements: [{ skill: 'x', minLevel: 1 }] }), T0);
    e.upsertAgent(agent('ax', { x: 1 }), T0);
    e.login('a1', T0, 'available');
    const r = offerOf(e.enqueue(call('c1', 'q', 1, T0 + 1), T0 + 1), 'c1');
    e.enqueue(call('c2', 'q2', 2, T0 + 2), T0 + 2);
    const ev = e.move('c1', 'q2', T0 + 3);
    assert.deepEqual(ofType(ev, 'offer_cancelled'), [
      {
        type: 'offer_cancelled',
        reservationId: r.reservationId,
        interactionId: 'c1',
        agentId: 'a1',
        reason: 'moved',
      },
    ]);
    assert.equal(e.agentState('a1').state, 'available');
    assert.deepEqual(
      e.waiting('q2').map((w) => w.interactionId),
      ['c1', 'c2'],
    );
    assert.deepEqual(offered(e.login('ax', T0 + 4, 'available')), ['c1→ax']);
    assert.throws(() => e.move('c1', 'nope', T0 + 5), { code: 'QUEUE_NOT_FOUND' });
  });

  test('setPriority reorders a waiting interaction; an offered one keeps its offer', () => {
    const e = floor();
    e.enqueue(call('c1', 'q', 1, T0 + 1), T0 + 1);
    e.enqueue(call('c2', 'q', 2, T0 + 2), T0 + 2);
    e.setPriority('c2', 5, T0 + 3);
    assert.deepEqual(
      e.waiting('q').map((w) => [w.interactionId, w.priority]),
      [
        ['c2', 5],
        ['c1', 0],
      ],
    );
    const r = offerOf(e.login('a1', T0 + 4, 'available'), 'c2');
    const ev = e.setPriority('c2', 1, T0 + 5);
    assert.deepEqual(ofType(ev, 'offer_cancelled'), []);
    assert.equal(e.interaction('c2')?.priority, 1);
    e.accept(r.reservationId, T0 + 6);
  });

  test('enqueue errors: unknown queue, duplicate id', () => {
    const e = floor();
    assert.throws(() => e.enqueue(call('c1', 'nope', 1, T0), T0), { code: 'QUEUE_NOT_FOUND' });
    e.enqueue(call('c1', 'q', 1, T0), T0);
    assert.throws(() => e.enqueue(call('c1', 'q', 2, T0), T0), { code: 'CONFLICT' });
    assert.throws(() => e.removeQueue('q', T0), { code: 'QUEUE_NOT_EMPTY' });
    // Offered still counts; once accepted the queue may go (the active work keeps its config).
    const r = offerOf(e.login('a1', T0, 'available'), 'c1');
    assert.throws(() => e.removeQueue('q', T0), { code: 'QUEUE_NOT_EMPTY' });
    e.accept(r.reservationId, T0);
    assert.deepEqual(e.removeQueue('q', T0), []);
    assert.equal(e.hasQueue('q'), false);
    assert.throws(() => e.queueStats('q'), { code: 'QUEUE_NOT_FOUND' });
    assert.deepEqual(ofType(e.complete('c1', T0 + 1), 'queue_stats'), []);
    assert.equal(e.interaction('c1'), undefined);
  });
});
