import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SmscSimulator } from '../src/adapters/smpp/index.js';
import { verifyWebhook } from '../src/services/sms/webhook-signature.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { waitFor } from './helpers/sms.js';

const GLOBAL_SECRET = 'global-secret-0123456789';

/** A webhook receiver that answers 204 and keeps what it got. */
class Receiver {
  readonly received: { body: string; signature: string }[] = [];
  private server: Server | undefined;
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: String(req.headers['x-hotline-signature']),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
  /** Message ids of the delivered receipts pushed here. */
  deliveredIds(): string[] {
    return this.received
      .map((r) => JSON.parse(r.body) as { type: string; data: { id: string; status: string } })
      .filter((e) => e.type === 'sms.updated' && e.data.status === 'delivered')
      .map((e) => e.data.id);
  }
}

describe('sms: per-client webhooks receive only their own receipts', () => {
  let t: TestHotline;
  let smsc: SmscSimulator;
  const global = new Receiver();
  const shop = new Receiver();
  const keys: Record<string, { id: string; secret: string }> = {};
  before(async () => {
    smsc = new SmscSimulator({ receiptDelayMs: 20 });
    const port = await smsc.start();
    const globalUrl = await global.start();
    t = await startTestHotline({
      env: {
        HOTLINE_SMSC_URL: `smpp://hotline:secret@127.0.0.1:${port}`,
        HOTLINE_SMSC_RESPONSE_TIMEOUT_MS: '3000',
        HOTLINE_SMS_WEBHOOK_URL: globalUrl,
        HOTLINE_SMS_WEBHOOK_SECRET: GLOBAL_SECRET,
        HOTLINE_SESSION_TTL_HOURS: '1000',
      },
    });
    for (const name of ['shop', 'crm']) {
      const k = await t.call(
        'POST',
        '/api/api-keys',
        { name, scopes: ['sms:send', 'sms:read'] },
        t.adminToken,
      );
      assert.equal(k.status, 201);
      keys[name] = k.body;
      const a = await t.call(
        'POST',
        '/api/sms/accounts',
        {
          name,
          kind: 'api_client',
          billing: 'unbilled',
          members: [{ principalType: 'api_key', principalId: k.body.id }],
        },
        t.adminToken,
      );
      assert.equal(a.status, 201, JSON.stringify(a.body));
    }
  });
  after(async () => {
    await t.stop();
    await smsc.stop();
    await global.stop();
    await shop.stop();
  });

  async function withKey(
    name: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
  ) {
    const res = await t.hotline.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as object }),
      headers: { 'x-api-key': keys[name]!.secret },
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
  }

  test("a client's receipts go to its own URL, signed with its own secret; the others' to the global one", async () => {
    const set = await withKey('shop', 'PUT', '/api/sms/webhook', { url: await shop.start() });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const secret = set.body.secret as string;
    assert.ok(secret.length >= 24);
    const shown = await withKey('shop', 'GET', '/api/sms/webhook');
    assert.equal(shown.status, 200);
    assert.equal(shown.body.secret, undefined, 'the secret is shown once only');

    const mine = await withKey('shop', 'POST', '/api/sms', { to: '+12025557501', body: 'order shipped' });
    const theirs = await withKey('crm', 'POST', '/api/sms', { to: '+12025557502', body: 'ticket closed' });
    assert.equal(mine.status, 201);
    assert.equal(theirs.status, 201);
    await waitFor('the shop receipt', () => shop.deliveredIds().includes(mine.body.id));
    await waitFor('the crm receipt', () => global.deliveredIds().includes(theirs.body.id));
    assert.ok(!shop.deliveredIds().includes(theirs.body.id), 'the shop gets no one else’s receipts');
    assert.ok(!global.deliveredIds().includes(mine.body.id), 'the global webhook no longer gets the shop’s');

    const now = Math.floor(Date.now() / 1000);
    const raw = shop.received.find((r) => r.body.includes(mine.body.id))!;
    assert.ok(verifyWebhook(secret, raw.body, raw.signature, now));
    assert.ok(!verifyWebhook(GLOBAL_SECRET, raw.body, raw.signature, now));
    const other = global.received.find((r) => r.body.includes(theirs.body.id))!;
    assert.ok(verifyWebhook(GLOBAL_SECRET, other.body, other.signature, now));

    // The pushes are durable deliveries like the global ones.
    const deliveries = await t.call('GET', '/api/sms/webhook-deliveries', undefined, t.adminToken);
    assert.ok(deliveries.body.some((d: { url: string }) => d.url.startsWith(set.body.url)));

    // Removed: the shop's receipts go to the global webhook again.
    assert.equal((await withKey('shop', 'DELETE', '/api/sms/webhook')).status, 204);
    const again = await withKey('shop', 'POST', '/api/sms', { to: '+12025557503', body: 'again' });
    await waitFor('the receipt on the global webhook', () => global.deliveredIds().includes(again.body.id));
    assert.ok(!shop.deliveredIds().includes(again.body.id));
  });
});
