import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { buildFloor, type Floor } from './helpers/floor.js';
import { EventsClient } from './helpers/events-client.js';

describe('routing end to end over HTTP and WebSocket', () => {
  let t: TestHotline;
  let f: Floor;
  let base: string;
  before(async () => {
    t = await startTestHotline({ manualClock: true });
    f = await buildFloor(t, { wrapUpSec: 30, reservationTimeoutSec: 15 });
    base = await t.hotline.listen();
    const wrap = await t.call(
      'POST',
      '/api/reason-codes',
      { kind: 'wrap_up', code: 'resolved', label: 'Resolved' },
      t.adminToken,
    );
    assert.equal(wrap.status, 201);
    const nr = await t.call(
      'POST',
      '/api/reason-codes',
      { kind: 'not_ready', code: 'break', label: 'Break' },
      t.adminToken,
    );
    assert.equal(nr.status, 201);
  });
  after(() => t.stop());

  test('an interaction is offered to the logged-in agent, accepted, completed and wrapped up', async () => {
    const [a1] = f.agents;
    const agentWs = await EventsClient.connect(base, a1!.token);
    const supWs = await EventsClient.connect(base, f.supervisorToken);
    const login = await t.call('POST', `/api/agents/${a1!.id}/login`, { presence: 'available' }, a1!.token);
    assert.equal(login.status, 200);
    assert.equal(login.body.state, 'available');

    const customer = await t.call(
      'POST',
      '/api/customers',
      { name: 'Wang Fang', phones: ['+86 138 0013 8000'], vip: true },
      t.adminToken,
    );
    const created = await t.call(
      'POST',
      '/api/interactions',
      { channel: 'chat', queueId: f.queueId, from: '008613800138000', subject: 'Bill too high' },
      t.adminToken,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.customerId, customer.body.id, 'customer found by number in another spelling');
    assert.equal(created.body.vip, true);
    assert.equal(created.body.status, 'offered');

    const offer = await agentWs.next((m) => m.type === 'offer');
    assert.equal(offer.data.interactionId, created.body.id);
    assert.equal(offer.data.agentId, a1!.id);
    await supWs.next(
      (m) => m.type === 'agent.state' && m.data.agentId === a1!.id && m.data.state === 'reserved',
    );
    await supWs.next((m) => m.type === 'queue.stats' && m.data.queueId === f.queueId);

    const acc = await t.call(
      'POST',
      `/api/agents/${a1!.id}/reservations/${offer.data.reservationId}/accept`,
      undefined,
      a1!.token,
    );
    assert.equal(acc.status, 200, JSON.stringify(acc.body));
    assert.equal(acc.body.state, 'busy');
    t.clock!.advance(60_000);
    const done = await t.call('POST', `/api/interactions/${created.body.id}/complete`, undefined, a1!.token);
    assert.equal(done.status, 200);
    assert.equal(done.body.status, 'wrap_up');
    assert.equal(
      (await t.call('GET', `/api/agents/${a1!.id}/state`, undefined, a1!.token)).body.state,
      'wrap_up',
    );

    const badCode = await t.call(
      'POST',
      `/api/interactions/${created.body.id}/wrap-up`,
      { code: 'whatever' },
      a1!.token,
    );
    assert.equal(badCode.status, 400);
    assert.equal(badCode.body.error.code, 'REASON_CODE_UNKNOWN');
    const wrapped = await t.call(
      'POST',
      `/api/interactions/${created.body.id}/wrap-up`,
      { code: 'resolved', notes: 'refund issued' },
      a1!.token,
    );
    assert.equal(wrapped.status, 200);
    assert.equal(wrapped.body.status, 'ended');
    assert.equal(wrapped.body.outcome, 'completed');
    assert.equal(wrapped.body.wrapUpCode, 'resolved');
    for (const k of ['createdAt', 'queuedAt', 'offeredAt', 'acceptedAt', 'endedAt', 'wrapUpEndedAt']) {
      assert.ok(wrapped.body[k], `${k} is recorded`);
    }
    assert.equal(Date.parse(wrapped.body.endedAt) - Date.parse(wrapped.body.acceptedAt), 60_000);
    assert.equal(
      (await t.call('GET', `/api/agents/${a1!.id}/state`, undefined, a1!.token)).body.state,
      'available',
    );

    const steps = await t.call('GET', `/api/interactions/${created.body.id}/events`, undefined, t.adminToken);
    assert.deepEqual(
      steps.body.map((e: { type: string }) => e.type),
      ['queued', 'offered', 'accepted', 'wrap_up_started', 'wrap_up_coded', 'wrap_up_ended'],
    );
    const history = await t.call(
      'GET',
      `/api/customers/${customer.body.id}/interactions`,
      undefined,
      a1!.token,
    );
    assert.equal(history.body.length, 1);

    const stats = await t.call('GET', `/api/queues/${f.queueId}/stats`, undefined, f.supervisorToken);
    assert.equal(stats.body.answered, 1);
    assert.equal(stats.body.answeredWithinThreshold, 1);
    assert.equal(stats.body.serviceLevelPct, 100);
    assert.equal(stats.body.agents.available, 1);

    const log = await t.call('GET', `/api/agents/${a1!.id}/state-log`, undefined, a1!.token);
    assert.deepEqual(
      log.body.map((r: { state: string }) => r.state),
      ['available', 'reserved', 'busy', 'wrap_up', 'available'],
    );
    await agentWs.close();
    await supWs.close();
  });

  test('events reach only those allowed: an agent their own, a supervisor their team', async () => {
    const [a1, , a3] = [f.agents[0]!, undefined, f.agents[1]!];
    const ws1 = await EventsClient.connect(base, a1.token);
    const sup = await EventsClient.connect(base, f.supervisorToken);
    await t.call('POST', `/api/agents/${a3.id}/login`, { presence: 'not_ready', reason: 'break' }, a3.token);
    await t.call(
      'POST',
      `/api/agents/${a1.id}/presence`,
      { presence: 'not_ready', reason: 'break' },
      a1.token,
    );
    await sup.next(
      (m) => m.type === 'agent.state' && m.data.agentId === a1.id && m.data.state === 'not_ready',
    );
    await ws1.next(
      (m) => m.type === 'agent.state' && m.data.agentId === a1.id && m.data.state === 'not_ready',
    );
    assert.equal(
      ws1.messages.some((m) => m.data?.agentId === a3.id),
      false,
      'agent never sees another agent',
    );
    assert.equal(
      sup.messages.some((m) => m.type === 'agent.state' && m.data.agentId === a3.id),
      false,
      'not their team',
    );
    // A supervisor may force their team's agent but not another team's; forcing is audited.
    const forceOwn = await t.call(
      'POST',
      `/api/agents/${a1.id}/presence`,
      { presence: 'available' },
      f.supervisorToken,
    );
    assert.equal(forceOwn.status, 200);
    const forceOther = await t.call(
      'POST',
      `/api/agents/${a3.id}/presence`,
      { presence: 'available' },
      f.supervisorToken,
    );
    assert.equal(forceOther.status, 403);
    const audit = await t.call('GET', '/api/audit?action=agent.force_state', undefined, t.adminToken);
    assert.equal(audit.body.length, 1);
    assert.equal(audit.body[0].targetId, a1.id);
    await t.call('POST', `/api/agents/${a3.id}/logout`, undefined, a3.token);
    await ws1.close();
    await sup.close();
  });

  test('a rejected offer returns to its place and the agent goes not ready (missed); timeouts too', async () => {
    const [a1] = f.agents;
    const mk = async (subject: string) =>
      (
        await t.call(
          'POST',
          '/api/interactions',
          { channel: 'voice', queueId: f.queueId, subject },
          t.adminToken,
        )
      ).body;
    await t.call(
      'POST',
      `/api/agents/${a1!.id}/presence`,
      { presence: 'not_ready', reason: 'break' },
      a1!.token,
    );
    const first = await mk('first');
    t.clock!.advance(1000);
    const second = await mk('second');
    const waiting = await t.call('GET', `/api/queues/${f.queueId}/waiting`, undefined, t.adminToken);
    assert.deepEqual(
      waiting.body.map((w: { interactionId: string }) => w.interactionId),
      [first.id, second.id],
    );
    const ws = await EventsClient.connect(base, a1!.token);
    const since = ws.lastId();
    await t.call('POST', `/api/agents/${a1!.id}/presence`, { presence: 'available' }, a1!.token);
    const offer = await ws.next((m) => m.type === 'offer' && (m.id ?? 0) > since);
    assert.equal(offer.data.interactionId, first.id, 'the longest waiting is offered first');
    const rej = await t.call(
      'POST',
      `/api/agents/${a1!.id}/reservations/${offer.data.reservationId}/reject`,
      undefined,
      a1!.token,
    );
    assert.equal(rej.status, 200);
    assert.equal(rej.body.state, 'not_ready');
    assert.equal(rej.body.reason, 'missed');
    const again = await t.call('GET', `/api/queues/${f.queueId}/waiting`, undefined, t.adminToken);
    assert.deepEqual(
      again.body.map((w: { interactionId: string }) => w.interactionId),
      [first.id, second.id],
      'back at its original place, ahead of the later one',
    );

    // Timeout: the owner of the reservation timer is the routing service; the clock fires it.
    await t.call('POST', `/api/agents/${a1!.id}/presence`, { presence: 'available' }, a1!.token);
    const offer2 = await ws.next(
      (m) => m.type === 'offer' && m.data.reservationId !== offer.data.reservationId,
    );
    assert.equal(offer2.data.interactionId, first.id);
    assert.equal(t.clock!.armedAt(), offer2.data.expiresAt);
    t.clock!.advance(15_000);
    await t.hotline.services.routing.idle();
    const cancelled = await ws.next(
      (m) => m.type === 'offer.cancelled' && m.data.reservationId === offer2.data.reservationId,
    );
    assert.equal(cancelled.data.reason, 'timeout');
    const state = await t.call('GET', `/api/agents/${a1!.id}/state`, undefined, a1!.token);
    assert.equal(state.body.state, 'not_ready');
    assert.equal(state.body.reason, 'missed');
    await ws.close();

    // A restart brings the agent back as the engine left them, with both interactions still waiting.
    await t.restart();
    const restored = await t.call('GET', `/api/agents/${a1!.id}/state`, undefined, a1!.token);
    assert.equal(restored.body.state, 'not_ready');
    assert.equal(restored.body.reason, 'missed');
    const still = await t.call('GET', `/api/queues/${f.queueId}/waiting`, undefined, t.adminToken);
    assert.deepEqual(
      still.body.map((w: { interactionId: string }) => w.interactionId),
      [first.id, second.id],
    );
  });
});
