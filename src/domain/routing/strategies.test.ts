import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoutingEngine } from './engine.js';
import { T0, agent, call, offerOf, offered, queue } from './fixtures.test.js';
import type { AgentConfig, Strategy } from './types.js';

/** One queue requiring sales ≥ 1 and the given agents (logged out). */
function floor(strategy: Strategy, agents: AgentConfig[]): RoutingEngine {
  const e = new RoutingEngine();
  e.upsertQueue(queue('q', { strategy, requirements: [{ skill: 'sales', minLevel: 1 }] }), T0);
  for (const a of agents) e.upsertAgent(a, T0);
  return e;
}

/** Offers c<n> and accepts it; returns the agent it went to. */
function serveOne(e: RoutingEngine, n: number, at: number, channel: 'voice' | 'chat' = 'voice'): string {
  const offer = offerOf(e.enqueue(call(`c${n}`, 'q', n, at, { channel }), at), `c${n}`);
  e.accept(offer.reservationId, at);
  return offer.agentId;
}

describe('agent selection strategies', () => {
  test('longest_idle: earliest idle since login/available, then since the last work ended', () => {
    const e = floor('longest_idle', [
      agent('a1', { sales: 5 }),
      agent('a2', { sales: 5 }),
      agent('a3', { sales: 5 }),
    ]);
    e.login('a3', T0 + 1, 'available');
    e.login('a1', T0 + 2, 'available');
    e.login('a2', T0 + 3, 'available');
    assert.equal(serveOne(e, 1, T0 + 10), 'a3');
    assert.equal(serveOne(e, 2, T0 + 11), 'a1');
    e.complete('c1', T0 + 20); // a3 idle since T0+20
    e.complete('c2', T0 + 25); // a1 idle since T0+25
    // a2 has been idle since T0+3, then a3 (T0+20), then a1 (T0+25).
    assert.equal(serveOne(e, 3, T0 + 30), 'a2');
    assert.equal(serveOne(e, 4, T0 + 31), 'a3');
    assert.equal(serveOne(e, 5, T0 + 32), 'a1');
  });

  test('longest_idle: a tie on idle time goes to the lowest agent id', () => {
    const e = floor('longest_idle', [agent('b', { sales: 1 }), agent('a', { sales: 1 })]);
    e.login('b', T0, 'available');
    e.login('a', T0, 'available');
    assert.equal(serveOne(e, 1, T0 + 1), 'a');
  });

  test('least_occupied: lowest load fraction over all channels, tie by longest idle', () => {
    const chat: Partial<AgentConfig> = { capacity: { chat: 4 }, exclusiveChannels: [] };
    const e = floor('least_occupied', [
      agent('a1', { sales: 1 }, { ...chat, capacity: { chat: 2 } }),
      agent('a2', { sales: 1 }, { ...chat }),
    ]);
    e.login('a1', T0, 'available');
    e.login('a2', T0 + 1, 'available');
    // Both idle: a1 idle longer.
    assert.equal(serveOne(e, 1, T0 + 10, 'chat'), 'a1'); // a1 1/2, a2 0/4
    assert.equal(serveOne(e, 2, T0 + 11, 'chat'), 'a2'); // a1 1/2, a2 1/4
    assert.equal(serveOne(e, 3, T0 + 12, 'chat'), 'a2'); // a2 1/4 < a1 1/2
    assert.equal(serveOne(e, 4, T0 + 13, 'chat'), 'a1'); // a1 1/2 vs a2 2/4: tie, a1 idle since T0
    assert.equal(serveOne(e, 5, T0 + 14, 'chat'), 'a2'); // a1 full (2/2)
  });

  test('highest_skill: highest sum of levels in the required skills, tie by longest idle', () => {
    const e = new RoutingEngine();
    e.upsertQueue(
      queue('q', {
        strategy: 'highest_skill',
        requirements: [
          { skill: 'sales', minLevel: 1 },
          { skill: 'fr', minLevel: 1 },
        ],
      }),
      T0,
    );
    e.upsertAgent(agent('a1', { sales: 3, fr: 3, de: 10 }), T0);
    e.upsertAgent(agent('a2', { sales: 5, fr: 4 }), T0);
    e.upsertAgent(agent('a3', { sales: 4, fr: 5 }), T0);
    e.upsertAgent(agent('a4', { sales: 9 }), T0); // not eligible (no fr)
    for (const [i, id] of ['a1', 'a2', 'a3', 'a4'].entries()) e.login(id, T0 + i, 'available');
    assert.equal(serveOne(e, 1, T0 + 10), 'a2'); // 9, idle since T0+1 (before a3)
    assert.equal(serveOne(e, 2, T0 + 11), 'a3'); // 9
    assert.equal(serveOne(e, 3, T0 + 12), 'a1'); // 6 (de does not count)
    assert.deepEqual(offered(e.enqueue(call('c4', 'q', 4, T0 + 13), T0 + 13)), []);
  });

  test('round_robin: the next agent after the last one picked, in agent-id order, wrapping', () => {
    const e = floor('round_robin', [
      agent('a1', { sales: 1 }, { capacity: { chat: 5 }, exclusiveChannels: [] }),
      agent('a2', { sales: 1 }, { capacity: { chat: 5 }, exclusiveChannels: [] }),
      agent('a3', { sales: 1 }, { capacity: { chat: 5 }, exclusiveChannels: [] }),
    ]);
    // Login order and idle time do not matter.
    e.login('a3', T0, 'available');
    e.login('a2', T0 + 1, 'available');
    e.login('a1', T0 + 2, 'available');
    const picks = [1, 2, 3, 4, 5].map((n) => serveOne(e, n, T0 + 10 + n, 'chat'));
    assert.deepEqual(picks, ['a1', 'a2', 'a3', 'a1', 'a2']);
    // a3 goes not ready: after a2 comes a1.
    e.setPresence('a3', 'not_ready', 'lunch', T0 + 20);
    assert.equal(serveOne(e, 6, T0 + 21, 'chat'), 'a1');
  });

  test('ring_all: every eligible agent with room is offered; the first accept wins', () => {
    const e = floor('ring_all', [agent('a1', { sales: 1 }), agent('a2', { sales: 1 }), agent('a3', {})]);
    for (const id of ['a1', 'a2', 'a3']) e.login(id, T0, 'available');
    const ev = e.enqueue(call('c1', 'q', 1, T0 + 1), T0 + 1);
    assert.deepEqual(offered(ev), ['c1→a1', 'c1→a2']);
    assert.deepEqual(e.interaction('c1')?.agentIds, ['a1', 'a2']);
    assert.equal(e.agentState('a1').state, 'reserved');
    const r2 = offerOf(ev, 'c1');
    const second = ev.filter((x) => x.type === 'offer')[1];
    assert.ok(second?.type === 'offer');
    const acc = e.accept(second.reservationId, T0 + 2);
    assert.deepEqual(
      acc.filter((x) => x.type === 'offer_cancelled'),
      [
        {
          type: 'offer_cancelled',
          reservationId: r2.reservationId,
          interactionId: 'c1',
          agentId: 'a1',
          reason: 'taken_by_other',
        },
      ],
    );
    assert.equal(e.agentState('a1').state, 'available'); // no missed penalty
    assert.equal(e.agentState('a2').state, 'busy');
    assert.deepEqual(e.interaction('c1')?.agentIds, ['a2']);
    assert.throws(() => e.accept(r2.reservationId, T0 + 3), { code: 'RESERVATION_NOT_FOUND' });
  });
});
