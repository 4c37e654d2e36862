import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoutingEngine } from './engine.js';
import { T0, agent, call, offerOf, offered, queue } from './fixtures.test.js';

function floor(wrapUpMs = 0): RoutingEngine {
  const e = new RoutingEngine();
  e.upsertQueue(queue('q', { wrapUpMs }), T0);
  e.upsertAgent(agent('a', {}, { capacity: { voice: 1, chat: 3 }, exclusiveChannels: ['voice'] }), T0);
  e.login('a', T0, 'available');
  return e;
}

const chat = (id: string, seq: number) => call(id, 'q', seq, T0 + seq, { channel: 'chat' });

describe('capacity and the mixing rule', () => {
  test('chat: three at once, the fourth waits until one ends', () => {
    const e = floor();
    for (let n = 1; n <= 3; n++) {
      const r = offerOf(e.enqueue(chat(`h${n}`, n), T0 + n), `h${n}`);
      // Offers already count as load: the next chat is offered while this one is still ringing.
      if (n === 2) assert.equal(e.agentState('a').state, 'reserved');
      e.accept(r.reservationId, T0 + n);
    }
    assert.deepEqual(offered(e.enqueue(chat('h4', 4), T0 + 4)), []);
    assert.equal(e.queueStats('q').waiting, 1);
    assert.deepEqual(offered(e.complete('h2', T0 + 5)), ['h4→a']);
  });

  test('voice is exclusive: not offered while any chat is open, and blocks chats while on a call', () => {
    const e = floor();
    e.accept(offerOf(e.enqueue(chat('h1', 1), T0 + 1), 'h1').reservationId, T0 + 1);
    assert.deepEqual(offered(e.enqueue(call('v1', 'q', 2, T0 + 2), T0 + 2)), []);
    // The chat ends: the call is offered, and while it rings no chat is offered.
    assert.deepEqual(offered(e.complete('h1', T0 + 3)), ['v1→a']);
    assert.deepEqual(offered(e.enqueue(chat('h2', 4), T0 + 4)), []);
    e.accept(e.agentState('a').work[0]?.reservationId ?? '', T0 + 5);
    assert.deepEqual(offered(e.enqueue(chat('h3', 6), T0 + 6)), []);
    // The call ends: both chats are offered (h2 first, it arrived first).
    assert.deepEqual(offered(e.complete('v1', T0 + 7)), ['h2→a', 'h3→a']);
  });

  test('a channel with no capacity is never offered', () => {
    const e = floor();
    assert.deepEqual(offered(e.enqueue(call('m1', 'q', 1, T0 + 1, { channel: 'email' }), T0 + 1)), []);
  });

  test('wrap-up counts as load on its channel', () => {
    const e = floor(10_000);
    for (let n = 1; n <= 3; n++) {
      e.accept(offerOf(e.enqueue(chat(`h${n}`, n), T0 + n), `h${n}`).reservationId, T0 + n);
    }
    e.enqueue(chat('h4', 4), T0 + 4);
    const ev = e.complete('h1', T0 + 5);
    assert.deepEqual(offered(ev), []);
    assert.deepEqual(
      ev.filter((x) => x.type === 'wrap_up_started'),
      [{ type: 'wrap_up_started', interactionId: 'h1', agentId: 'a', endsAt: T0 + 10_005 }],
    );
    assert.deepEqual(offered(e.endWrapUp('h1', T0 + 6)), ['h4→a']);
  });

  test('lowering capacity keeps current work but stops new offers; raising it offers at once', () => {
    const e = floor();
    for (let n = 1; n <= 2; n++) {
      e.accept(offerOf(e.enqueue(chat(`h${n}`, n), T0 + n), `h${n}`).reservationId, T0 + n);
    }
    e.upsertAgent(agent('a', {}, { capacity: { voice: 1, chat: 1 }, exclusiveChannels: ['voice'] }), T0 + 3);
    assert.equal(e.agentState('a').work.length, 2);
    assert.deepEqual(offered(e.enqueue(chat('h3', 3), T0 + 4)), []);
    const ev = e.upsertAgent(
      agent('a', {}, { capacity: { voice: 1, chat: 3 }, exclusiveChannels: ['voice'] }),
      T0 + 5,
    );
    assert.deepEqual(offered(ev), ['h3→a']);
  });
});
