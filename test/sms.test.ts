import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SmscSimulator } from '../src/adapters/smpp/index.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

const FINAL = new Set(['delivered', 'failed', 'expired', 'rejected', 'uncertain']);

describe('sms: send through the SMSC simulator', () => {
  let t: TestHotline;
  let smsc: SmscSimulator;
  before(async () => {
    smsc = new SmscSimulator({ receiptDelayMs: 20 });
    const port = await smsc.start();
    t = await startTestHotline({
      env: {
        HOTLINE_SMSC_URL: `smpp://hotline:secret@127.0.0.1:${port}`,
        // Long enough that a loaded machine never turns a slow answer into 'uncertain'; the
        // no-response fault still ends uncertain, just later.
        HOTLINE_SMSC_RESPONSE_TIMEOUT_MS: '8000',
      },
    });
  });
  after(async () => {
    await t.stop();
    await smsc.stop();
  });

  const send = (body: unknown) => t.call('POST', '/api/sms', body, t.adminToken);

  /** Polls GET /api/sms/:id until the message reaches a final state (bounded). */
  async function settled(id: string, ms = 15_000): Promise<any> {
    const until = Date.now() + ms;
    for (;;) {
      const r = await t.call('GET', `/api/sms/${id}`, undefined, t.adminToken);
      assert.equal(r.status, 200);
      if (FINAL.has(r.body.status)) return r.body;
      if (Date.now() > until) assert.fail(`message still ${r.body.status}: ${JSON.stringify(r.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  test('a GSM message is stored queued, then delivered with its receipt', async () => {
    const r = await send({ to: '(202) 555-0143', body: 'Your engineer arrives at 10:00' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'queued');
    assert.equal(r.body.recipient, '+12025550143');
    assert.equal(r.body.sender, 'Hotline');
    assert.equal(r.body.encoding, 'gsm7');
    const m = await settled(r.body.id);
    assert.equal(m.status, 'delivered');
    assert.equal(m.parts.length, 1);
    assert.equal(m.parts[0].status, 'delivered');
    assert.ok(m.parts[0].smscMessageId);
    const types = m.events.map((e: { type: string }) => e.type);
    assert.ok(types.includes('submitted') && types.includes('receipt:delivered'), types.join());
    const health = await t.call('GET', '/api/health');
    assert.equal(health.body.parts.smsc.status, 'ok');
  });

  test('a 200-character text goes as two concatenated segments, both delivered', async () => {
    const r = await send({ to: '+12025550144', body: 'a'.repeat(200) });
    assert.equal(r.body.segments, 2);
    const m = await settled(r.body.id);
    assert.equal(m.status, 'delivered');
    assert.deepEqual(
      m.parts.map((p: { status: string }) => p.status),
      ['delivered', 'delivered'],
    );
    const udhs = smsc.submits.filter((s) => s.destination === '12025550144');
    assert.equal(udhs.length, 2);
  });

  test('Chinese and emoji go as UCS-2', async () => {
    const r = await send({ to: '+12025550145', body: '您好，维修人员明天到 🔧' });
    assert.equal(r.body.encoding, 'ucs2');
    const m = await settled(r.body.id);
    assert.equal(m.status, 'delivered');
    assert.equal(smsc.submits.at(-1)?.dataCoding, 8);
  });

  test('an SMSC refusal fails with the SMPP status; an undelivered receipt fails too', async () => {
    const refused = await settled((await send({ to: '+12025550045', body: 'x' })).body.id);
    assert.equal(refused.status, 'failed');
    assert.equal(refused.errorCode, 0x45);
    const undelivered = await settled((await send({ to: '+12025550099', body: 'x' })).body.id);
    assert.equal(undelivered.status, 'failed');
    assert.equal(undelivered.parts[0].status, 'failed');
    assert.equal(undelivered.errorCode, 1);
  });

  test('a submit without an answer is uncertain, never resent', async () => {
    const before = smsc.counts.submits;
    const m = await settled((await send({ to: '+12025550001', body: 'x' })).body.id, 15000);
    assert.equal(m.status, 'uncertain');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(smsc.counts.submits - before, 1);
  });

  test('a bad number is refused and nothing is stored; a forced gsm7 refuses foreign characters', async () => {
    const before = (await t.call('GET', '/api/sms?limit=500', undefined, t.adminToken)).body.length;
    const bad = await send({ to: '12', body: 'x' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'PHONE_NUMBER_INVALID');
    const foreign = await send({ to: '+12025550146', body: 'Привет', encoding: 'gsm7' });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.error.code, 'SMS_UNENCODABLE');
    const now = (await t.call('GET', '/api/sms?limit=500', undefined, t.adminToken)).body.length;
    assert.equal(now, before);
  });

  test('an idempotency key sends once', async () => {
    const body = { to: '+12025550147', body: 'once', idempotencyKey: 'order-42' };
    const first = await send(body);
    const again = await send(body);
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    await settled(first.body.id);
    const found = await t.call('GET', '/api/sms?to=%2B1%20202%20555%200147', undefined, t.adminToken);
    assert.equal(found.body.length, 1);
  });

  test('an API key needs sms:send', async () => {
    const key = async (scopes: string[]) =>
      (await t.call('POST', '/api/api-keys', { name: scopes.join() || 'none', scopes }, t.adminToken)).body
        .secret as string;
    const call = (secret: string) =>
      t.hotline.app.inject({
        method: 'POST',
        url: '/api/sms',
        payload: { to: '+12025550148', body: 'from a system' },
        headers: { 'x-api-key': secret },
      });
    const allowed = await call(await key(['sms:send']));
    assert.equal(allowed.statusCode, 201, allowed.body);
    const denied = await call(await key(['customers:read']));
    assert.equal(denied.statusCode, 403);
    assert.equal(JSON.parse(denied.body).error.code, 'AUTH_SCOPE_MISSING');
  });
});
