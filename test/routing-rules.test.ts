import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { buildFloor, createUserWithAgent, type Floor } from './helpers/floor.js';
import { EventsClient } from './helpers/events-client.js';

describe('routing rules over the API', () => {
  let t: TestHotline;
  let f: Floor;
  let base: string;
  const newInteraction = async (body: Record<string, unknown>) => {
    const r = await t.call(
      'POST',
      '/api/interactions',
      { channel: 'voice', queueId: f.queueId, ...body },
      t.adminToken,
    );
    assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.body));
    return r.body;
  };
  const state = async (agentId: string) =>
    (await t.call('GET', `/api/agents/${agentId}/state`, undefined, t.adminToken)).body;
  const accept = async (agentId: string) => {
    const s = await state(agentId);
    const offer = s.work.find((w: { reservationId?: string }) => w.reservationId);
    assert.ok(offer, `agent ${agentId} has an offer`);
    const r = await t.call(
      'POST',
      `/api/agents/${agentId}/reservations/${offer.reservationId}/accept`,
      undefined,
      t.adminToken,
    );
    assert.equal(r.status, 200);
    return offer.interactionId as string;
  };

  before(async () => {
    t = await startTestHotline({ manualClock: true, env: { HOTLINE_EVENTS_RESUME_WINDOW: '100' } });
    f = await buildFloor(t, { wrapUpSec: 10, maxWaitSec: 300, stickySec: 30 });
    base = await t.hotline.listen();
  });
  after(() => t.stop());

  test('logging out while busy takes effect when the work ends; wrap-up ends by its timer', async () => {
    const [a1] = f.agents;
    await t.call('POST', `/api/agents/${a1!.id}/login`, { presence: 'available' }, a1!.token);
    await newInteraction({ subject: 'gas smell' });
    const id = await accept(a1!.id);
    const out = await t.call('POST', `/api/agents/${a1!.id}/logout`, undefined, a1!.token);
    assert.equal(out.status, 200);
    assert.equal(out.body.state, 'busy');
    assert.equal(out.body.pendingLogout, true);
    await t.call('POST', `/api/interactions/${id}/complete`, undefined, a1!.token);
    assert.equal((await state(a1!.id)).state, 'wrap_up');
    assert.equal(t.clock!.armedAt(), t.clock!.now() + 10_000, 'the wrap-up timer is armed');
    t.clock!.advance(10_000);
    await t.hotline.services.routing.idle();
    assert.equal((await state(a1!.id)).state, 'logged_out');
    const rec = (await t.call('GET', `/api/interactions/${id}`, undefined, t.adminToken)).body;
    assert.equal(rec.status, 'ended');
    assert.equal(rec.outcome, 'completed');
    assert.ok(rec.wrapUpEndedAt);
  });

  test('an idempotency key answers the first interaction instead of creating another', async () => {
    const a = await t.call(
      'POST',
      '/api/interactions',
      { channel: 'email', queueId: f.queueId, idempotencyKey: 'mail-4711' },
      t.adminToken,
    );
    const b = await t.call(
      'POST',
      '/api/interactions',
      { channel: 'email', queueId: f.queueId, idempotencyKey: 'mail-4711' },
      t.adminToken,
    );
    assert.equal(a.status, 201);
    assert.equal(b.status, 200);
    assert.equal(b.body.id, a.body.id);
    await t.call('POST', `/api/interactions/${a.body.id}/abandon`, undefined, t.adminToken);
    const stats = (await t.call('GET', `/api/queues/${f.queueId}/stats`, undefined, t.adminToken)).body;
    assert.equal(stats.abandoned, 1);
    const rec = (await t.call('GET', `/api/interactions/${a.body.id}`, undefined, t.adminToken)).body;
    assert.equal(rec.outcome, 'abandoned');
    assert.equal(rec.status, 'ended');
  });

  test('waiting longer than the maximum ends the interaction as max_wait_exceeded', async () => {
    const i = await newInteraction({ subject: 'nobody here' });
    t.clock!.advance(301_000);
    await t.hotline.services.routing.idle();
    const rec = (await t.call('GET', `/api/interactions/${i.id}`, undefined, t.adminToken)).body;
    assert.equal(rec.status, 'ended');
    assert.equal(rec.outcome, 'max_wait_exceeded');
  });

  test('supervisors move waiting interactions and raise their priority', async () => {
    const q2 = (await t.call('POST', '/api/queues', { name: 'Escalations' }, t.adminToken)).body;
    const x = await newInteraction({ subject: 'x' });
    const y = await newInteraction({ subject: 'y' });
    const z = await newInteraction({ subject: 'z' });
    const sup = f.supervisorToken;
    assert.equal(
      (await t.call('POST', `/api/interactions/${y.id}/move`, { queueId: q2.id }, sup)).status,
      204,
    );
    assert.equal(
      (await t.call('POST', `/api/interactions/${z.id}/priority`, { priority: 9 }, sup)).status,
      204,
    );
    const waiting = (await t.call('GET', `/api/queues/${f.queueId}/waiting`, undefined, sup)).body;
    assert.deepEqual(
      waiting.map((w: { interactionId: string }) => w.interactionId),
      [z.id, x.id],
    );
    const moved = (await t.call('GET', `/api/queues/${q2.id}/waiting`, undefined, sup)).body;
    assert.deepEqual(
      moved.map((w: { interactionId: string }) => w.interactionId),
      [y.id],
    );
    assert.equal((await t.call('GET', `/api/interactions/${y.id}`, undefined, sup)).body.queueId, q2.id);
    const agentTry = await t.call(
      'POST',
      `/api/interactions/${x.id}/priority`,
      { priority: 1 },
      f.agents[0]!.token,
    );
    assert.equal(agentTry.status, 403);
    for (const id of [x.id, y.id, z.id])
      await t.call('POST', `/api/interactions/${id}/abandon`, undefined, t.adminToken);
  });

  test('blacklisted customers are refused; a closed queue refuses new interactions', async () => {
    await t.call(
      'POST',
      '/api/customers',
      { name: 'Spammer', phones: ['+1 202 555 0199'], blacklisted: true },
      t.adminToken,
    );
    const r = await t.call(
      'POST',
      '/api/interactions',
      { channel: 'voice', queueId: f.queueId, from: '2025550199' },
      t.adminToken,
    );
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'CUSTOMER_BLACKLISTED');
    // The manual clock stands on a Monday 09:00 UTC; this queue opens on Sundays only.
    const closed = await t.call(
      'POST',
      '/api/queues',
      {
        name: 'Weekend',
        businessHours: { timeZone: 'UTC', weekly: { sun: [{ from: '08:00', to: '18:00' }] }, holidays: [] },
      },
      t.adminToken,
    );
    assert.equal(closed.status, 201);
    const c = await t.call(
      'POST',
      '/api/interactions',
      { channel: 'chat', queueId: closed.body.id },
      t.adminToken,
    );
    assert.equal(c.status, 409);
    assert.equal(c.body.error.code, 'QUEUE_CLOSED');
    const badHours = await t.call(
      'POST',
      '/api/queues',
      {
        name: 'Bad',
        businessHours: { timeZone: 'UTC', weekly: { mon: [{ from: '18:00', to: '08:00' }] }, holidays: [] },
      },
      t.adminToken,
    );
    assert.equal(badHours.status, 400);
    assert.equal(badHours.body.error.details.path, '/businessHours');
  });

  test('a returning customer is offered to their last agent first (sticky routing)', async () => {
    const [a1, a2] = f.agents;
    const cust = (
      await t.call(
        'POST',
        '/api/customers',
        { name: 'Returning', phones: ['+44 20 7946 0000'] },
        t.adminToken,
      )
    ).body;
    await t.call('POST', `/api/agents/${a2!.id}/login`, { presence: 'available' }, t.adminToken);
    await newInteraction({ customerId: cust.id });
    const first = await accept(a2!.id);
    await t.call('POST', `/api/interactions/${first}/complete`, undefined, t.adminToken);
    await t.call('POST', `/api/interactions/${first}/wrap-up`, {}, t.adminToken);
    await t.call(
      'POST',
      `/api/agents/${a2!.id}/presence`,
      { presence: 'not_ready', reason: 'lunch' },
      t.adminToken,
    );
    await t.call('POST', `/api/agents/${a1!.id}/login`, { presence: 'available' }, t.adminToken);
    const again = await newInteraction({ customerId: cust.id });
    assert.equal(again.status, 'queued', 'waits for the last agent although another is free');
    await t.call('POST', `/api/agents/${a2!.id}/presence`, { presence: 'available' }, t.adminToken);
    assert.equal((await state(a2!.id)).state, 'reserved');
    await accept(a2!.id);
    // After the sticky window, anyone eligible gets it.
    await t.call('POST', `/api/agents/${a2!.id}/logout`, undefined, t.adminToken);
    const third = await newInteraction({ customerId: cust.id });
    assert.equal(third.status, 'queued');
    t.clock!.advance(30_000);
    await t.hotline.services.routing.idle();
    assert.equal((await state(a1!.id)).state, 'reserved');
    const id = await accept(a1!.id);
    assert.equal(id, third.id);
  });

  test('a reconnecting client gets exactly the events it missed, or a resync past the window', async () => {
    const a = await createUserWithAgent(t, 'resumer', { teamId: f.teamId });
    await t.call('POST', `/api/agents/${a.id}/login`, { presence: 'not_ready', reason: 'break' }, a.token);
    const ws = await EventsClient.connect(base, a.token);
    await ws.close();
    const last = t.hotline.services.hub.lastId();
    const flips = ['available', 'not_ready', 'available'] as const;
    for (const p of flips) {
      const r = await t.call(
        'POST',
        `/api/agents/${a.id}/presence`,
        { presence: p, reason: p === 'not_ready' ? 'break' : null },
        f.supervisorToken,
      );
      assert.equal(r.status, 200);
    }
    const back = await EventsClient.connect(base, a.token, last);
    await back.next(
      (m) => m.type === 'agent.state' && back.messages.filter((x) => x.type === 'agent.state').length === 3,
    );
    assert.deepEqual(
      back.messages.filter((m) => m.type === 'agent.state').map((m) => m.data.state),
      [...flips],
    );
    const ids = back.messages.filter((m) => m.id !== undefined).map((m) => m.id!);
    assert.ok(ids.every((id) => id > last));
    assert.deepEqual(
      ids,
      [...ids].sort((x, y) => x - y),
      'in order',
    );
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    await back.close();

    // The replay window is 100 events here: push the missed ones out of it.
    for (let i = 0; i < 130; i++) {
      await t.call(
        'POST',
        `/api/agents/${a.id}/presence`,
        { presence: i % 2 ? 'available' : 'not_ready', reason: i % 2 ? null : 'break' },
        t.adminToken,
      );
    }
    const late = await EventsClient.connect(base, a.token, last);
    const resync = await late.next((m) => m.type === 'resync');
    assert.match(String(resync.reason), /reload/);
    await late.close();
  });

  test('after a restart, a caller on a SIP leg is closed as interrupted while other waiting work returns', async () => {
    const call = await newInteraction({ subject: 'phone call', metadata: { callId: 'a84b4c76e66710@pc33' } });
    const mail = await t.call(
      'POST',
      '/api/interactions',
      { channel: 'email', queueId: f.queueId, subject: 'mail' },
      t.adminToken,
    );
    for (const a of f.agents) await t.call('POST', `/api/agents/${a.id}/logout`, undefined, t.adminToken);
    await t.restart();
    const c = (await t.call('GET', `/api/interactions/${call.id}`, undefined, t.adminToken)).body;
    assert.equal(c.status, 'ended');
    assert.equal(c.outcome, 'interrupted');
    const waiting = (await t.call('GET', `/api/queues/${f.queueId}/waiting`, undefined, t.adminToken)).body;
    assert.ok(waiting.some((w: { interactionId: string }) => w.interactionId === mail.body.id));
    assert.equal(
      waiting.some((w: { interactionId: string }) => w.interactionId === call.id),
      false,
    );
  });

  test('staffing: Erlang C suggests agents for the queue target', async () => {
    const r = await t.call(
      'GET',
      `/api/queues/${f.queueId}/staffing?contactsPerHour=360&ahtSec=180`,
      undefined,
      f.supervisorToken,
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.trafficErlangs, 18);
    assert.equal(r.body.requiredAgents, 22);
    assert.ok(r.body.serviceLevelPct >= 80);
    const bad = await t.call(
      'GET',
      `/api/queues/${f.queueId}/staffing?contactsPerHour=-1&ahtSec=180`,
      undefined,
      f.supervisorToken,
    );
    assert.equal(bad.status, 400);
  });
});
