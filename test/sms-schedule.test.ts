import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SmscSimulator } from '../src/adapters/smpp/index.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Schedules, validity, send windows and cancelling, on a manual clock that starts at 20:30 UTC. */
describe('sms scheduling: sendAt, validUntil, send windows, cancel', () => {
  let t: TestHotline;
  let smsc: SmscSimulator;
  let accountId: string;
  before(async () => {
    smsc = new SmscSimulator({ receiptDelayMs: 20 });
    const port = await smsc.start();
    t = await startTestHotline({
      manualClock: true,
      clockStart: Date.UTC(2026, 10, 23, 20, 30),
      env: {
        HOTLINE_SMSC_URL: `smpp://hotline:secret@127.0.0.1:${port}`,
        HOTLINE_SMSC_RESPONSE_TIMEOUT_MS: '3000',
        HOTLINE_SESSION_TTL_HOURS: '1000',
      },
    });
    await t.call('PUT', '/api/sms/prices', { prefix: '', perSegment: 7 }, t.adminToken);
    const users = await t.call('GET', '/api/users', undefined, t.adminToken);
    const created = await t.call(
      'POST',
      '/api/sms/accounts',
      {
        name: 'Operations',
        kind: 'department',
        billing: 'prepaid',
        balance: 1000,
        members: [{ principalType: 'user', principalId: users.body[0].id }],
      },
      t.adminToken,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    accountId = created.body.id;
  });
  after(async () => {
    await t.stop();
    await smsc.stop();
  });

  const send = (body: unknown) => t.call('POST', '/api/sms', body, t.adminToken);
  const get = async (id: string) => (await t.call('GET', `/api/sms/${id}`, undefined, t.adminToken)).body;
  const now = () => t.clock!.now();
  const submitsTo = (digits: string) => smsc.submits.filter((s) => s.destination === digits).length;
  const balance = async () =>
    (await t.call('GET', `/api/sms/accounts/${accountId}`, undefined, t.adminToken)).body.balance as number;

  /** Polls (real time, bounded) until the message is in one of `states`. */
  async function until(id: string, states: string[], ms = 5000): Promise<any> {
    const end = Date.now() + ms;
    for (;;) {
      const m = await get(id);
      if (states.includes(m.status)) return m;
      if (Date.now() > end) assert.fail(`message still ${m.status}, wanted ${states.join('|')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Lets the dispatcher run (real time) so a message that should wait would have gone by now. */
  async function quietly(): Promise<void> {
    const probe = await send({ to: '+12025550500', body: 'probe', type: 'alarm' });
    await until(probe.body.id, ['delivered']);
  }

  test('a scheduled message is not sent before sendAt, then goes at sendAt', async () => {
    const sendAt = new Date(now() + HOUR).toISOString();
    const r = await send({ to: '+12025550301', body: 'your visit tomorrow', sendAt });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.nextAttemptAt, sendAt);
    await quietly();
    assert.equal((await get(r.body.id)).status, 'queued');
    assert.equal(submitsTo('12025550301'), 0);
    t.clock!.advance(HOUR - MINUTE);
    await quietly();
    assert.equal(submitsTo('12025550301'), 0);
    t.clock!.advance(MINUTE);
    const m = await until(r.body.id, ['delivered']);
    assert.equal(submitsTo('12025550301'), 1);
    assert.equal(m.parts[0].submittedAt, sendAt);
  });

  test('marketing is held at night and sent at 09:00 in the recipient zone; alarms go at once', async () => {
    // The clock is 21:30 UTC = 22:30 in Berlin; 09:00 in Berlin is 08:00 UTC.
    const next8 = Date.UTC(2026, 10, 24, 8, 0);
    const promo = await send({ to: '+4915123456789', body: 'sale!', type: 'marketing' });
    assert.equal(promo.status, 201);
    assert.equal(promo.body.nextAttemptAt, new Date(next8).toISOString());
    const alarm = await send({ to: '+4915123456788', body: 'flood sensor', type: 'alarm' });
    await until(alarm.body.id, ['delivered']);
    assert.equal(submitsTo('4915123456789'), 0);
    t.clock!.advance(next8 - MINUTE - now());
    await quietly();
    assert.equal(submitsTo('4915123456789'), 0);
    t.clock!.advance(MINUTE);
    const m = await until(promo.body.id, ['delivered']);
    assert.equal(m.parts[0].submittedAt, new Date(next8).toISOString());
  });

  test('a message whose validity ends before it could go expires unsent and is refunded', async () => {
    // 11:30 UTC is 20:30 in Tokyo, after the marketing window: it would wait for 09:00 JST (00:00 UTC)
    // but may only wait an hour.
    t.clock!.advance(Date.UTC(2026, 10, 24, 11, 30) - now());
    const before = await balance();
    const validUntil = new Date(now() + HOUR).toISOString();
    const r = await send({ to: '+81312345678', body: 'late offer', type: 'marketing', validUntil });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.nextAttemptAt, validUntil);
    assert.equal(await balance(), before - 7);
    t.clock!.advance(HOUR);
    const m = await until(r.body.id, ['expired']);
    assert.equal(submitsTo('81312345678'), 0);
    assert.deepEqual(
      m.ledger.map((l: { kind: string; amount: number }) => [l.kind, l.amount]),
      [
        ['charge', -7],
        ['refund', 7],
      ],
    );
    assert.equal(await balance(), before);
  });

  test('cancel: a scheduled message is cancelled and refunded; a sent one cannot be', async () => {
    const before = await balance();
    const r = await send({
      to: '+12025550302',
      body: 'later',
      sendAt: new Date(now() + 5 * HOUR).toISOString(),
    });
    assert.equal(await balance(), before - 7);
    const cancelled = await t.call('POST', `/api/sms/${r.body.id}/cancel`, undefined, t.adminToken);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(await balance(), before);
    const again = await t.call('POST', `/api/sms/${r.body.id}/cancel`, undefined, t.adminToken);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'SMS_NOT_CANCELLABLE');
    t.clock!.advance(6 * HOUR);
    await quietly();
    assert.equal(submitsTo('12025550302'), 0);

    const sent = await send({ to: '+12025550303', body: 'now' });
    await until(sent.body.id, ['delivered']);
    const late = await t.call('POST', `/api/sms/${sent.body.id}/cancel`, undefined, t.adminToken);
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, 'SMS_NOT_CANCELLABLE');
  });

  test('validUntil before sendAt is refused', async () => {
    const r = await send({
      to: '+12025550304',
      body: 'x',
      sendAt: new Date(now() + 2 * HOUR).toISOString(),
      validUntil: new Date(now() + HOUR).toISOString(),
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'SMS_SCHEDULE_INVALID');
  });
});
