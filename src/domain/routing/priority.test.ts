import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoutingEngine } from './engine.js';
import { T0, agent, call, offered, queue } from './fixtures.test.js';
import { VIP_PRIORITY_BOOST, type InteractionInput, type QueueConfig } from './types.js';

/**
 * An agent serving two queues, with the given interactions enqueued while it is logged out; returns
 * the order in which it is offered them when it logs in and takes them one by one.
 */
function serviceOrder(queues: QueueConfig[], arrivals: InteractionInput[]): string[] {
  const e = new RoutingEngine();
  for (const q of queues) e.upsertQueue(q, T0);
  e.upsertAgent(agent('a', { s: 1, t: 1 }), T0);
  for (const ix of arrivals) e.enqueue(ix, ix.arrivedAt);
  const order: string[] = [];
  let ev = e.login('a', T0 + 100_000, 'available');
  for (let now = T0 + 100_001; ; now++) {
    const o = ev.find((x) => x.type === 'offer');
    if (!o || o.type !== 'offer') break;
    order.push(o.interactionId);
    e.accept(o.reservationId, now);
    ev = e.complete(o.interactionId, now);
  }
  return order;
}

const qs = (p1: number, p2: number) => [
  queue('q1', { priority: p1, requirements: [{ skill: 's', minLevel: 1 }] }),
  queue('q2', { priority: p2, requirements: [{ skill: 't', minLevel: 1 }] }),
];

describe('priority and fairness across queues', () => {
  test('equal priority: earliest arrival first whatever the queue, in any insertion order', () => {
    const arrivals = [
      call('x1', 'q1', 1, T0 + 10),
      call('y1', 'q2', 2, T0 + 5),
      call('x2', 'q1', 3, T0 + 7),
      call('y2', 'q2', 4, T0 + 20),
    ];
    const expected = ['y1', 'x2', 'x1', 'y2'];
    assert.deepEqual(serviceOrder(qs(0, 0), arrivals), expected);
    assert.deepEqual(serviceOrder(qs(0, 0).reverse(), [...arrivals].reverse()), expected);
  });

  test('higher effective priority first: queue priority + own priority + VIP boost', () => {
    const arrivals = [
      call('low', 'q1', 1, T0),
      call('q2prio', 'q2', 2, T0 + 1),
      call('own', 'q1', 3, T0 + 2, { priority: 6 }),
      call('vip', 'q1', 4, T0 + 3, { vip: true }),
    ];
    // q2 has priority 5: effective q2prio 5, own 6, vip 10, low 0.
    assert.deepEqual(serviceOrder(qs(0, 5), arrivals), ['vip', 'own', 'q2prio', 'low']);
    assert.deepEqual(serviceOrder(qs(0, 5).reverse(), [...arrivals].reverse()), [
      'vip',
      'own',
      'q2prio',
      'low',
    ]);
    assert.equal(VIP_PRIORITY_BOOST, 10);
  });

  test('same priority and arrival time: lower seq first', () => {
    const arrivals = [call('b', 'q2', 2, T0), call('a', 'q1', 3, T0), call('c', 'q1', 1, T0)];
    assert.deepEqual(serviceOrder(qs(0, 0), arrivals), ['c', 'b', 'a']);
  });

  test('several agents freed in one tick take the best interactions first', () => {
    const e = new RoutingEngine();
    for (const q of qs(0, 3)) e.upsertQueue({ ...q, wrapUpMs: 1_000 }, T0);
    e.upsertAgent(agent('a1', { s: 1, t: 1 }), T0);
    e.upsertAgent(agent('a2', { s: 1 }), T0);
    e.login('a1', T0, 'available');
    e.login('a2', T0, 'available');
    for (const [n, id] of ['a1', 'a2'].entries()) {
      const ev = e.enqueue(call(`w${n}`, 'q1', n, T0), T0);
      const o = ev.find((x) => x.type === 'offer');
      assert.ok(o?.type === 'offer' && o.agentId === id);
      e.accept(o.reservationId, T0);
      e.complete(`w${n}`, T0);
    }
    e.enqueue(call('old', 'q1', 10, T0 + 1), T0 + 1);
    e.enqueue(call('hot', 'q2', 11, T0 + 2), T0 + 2);
    e.enqueue(call('new', 'q1', 12, T0 + 3), T0 + 3);
    // Both wrap-ups end in one tick: hot (priority 3) must go to a1 (only a1 has t) and old to a2.
    assert.deepEqual(offered(e.tick(T0 + 2_000)).sort(), ['hot→a1', 'old→a2']);
  });
});
