import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SmscSimulator } from '../src/adapters/smpp/index.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

const FINAL = new Set(['delivered', 'failed', 'expired', 'rejected', 'uncertain', 'cancelled']);

describe('sms billing: accounts, prices, ledger, statements, search, export, key limits', () => {
  let t: TestHotline;
  let smsc: SmscSimulator;
  before(async () => {
    smsc = new SmscSimulator({ receiptDelayMs: 20 });
    const port = await smsc.start();
    t = await startTestHotline({
      env: {
        HOTLINE_SMSC_URL: `smpp://hotline:secret@127.0.0.1:${port}`,
        HOTLINE_SMSC_RESPONSE_TIMEOUT_MS: '3000',
        HOTLINE_SESSION_TTL_HOURS: '1000',
      },
    });
  });
  after(async () => {
    await t.stop();
    await smsc.stop();
  });

  const admin = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) =>
    t.call(method, url, body, t.adminToken);

  /** Calls the API with an API key; parses JSON when it is JSON. */
  async function withKey(secret: string, method: 'GET' | 'POST', url: string, body?: unknown) {
    const res = await t.hotline.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as object }),
      headers: { 'x-api-key': secret },
    });
    const json = res.headers['content-type']?.toString().startsWith('application/json');
    return { status: res.statusCode, body: json ? JSON.parse(res.body) : res.body, headers: res.headers };
  }

  async function newKey(name: string, extra: Record<string, unknown> = {}) {
    const r = await admin('POST', '/api/api-keys', { name, scopes: ['sms:send', 'sms:read'], ...extra });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as { id: string; secret: string };
  }

  async function settled(id: string, ms = 5000): Promise<any> {
    const until = Date.now() + ms;
    for (;;) {
      const r = await admin('GET', `/api/sms/${id}`);
      assert.equal(r.status, 200);
      const refundPending = r.body.status !== 'delivered' && r.body.status !== 'uncertain';
      if (FINAL.has(r.body.status) && (!refundPending || r.body.ledger.length > 0)) return r.body;
      if (Date.now() > until) assert.fail(`message still ${r.body.status}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  let key: { id: string; secret: string };
  let accountId: string;

  before(async () => {
    assert.equal((await admin('PUT', '/api/sms/prices', { prefix: '1', perSegment: 5 })).status, 200);
    key = await newKey('shop');
    const r = await admin('POST', '/api/sms/accounts', {
      name: 'Web shop',
      kind: 'api_client',
      billing: 'prepaid',
      balance: 12,
      members: [{ principalType: 'api_key', principalId: key.id }],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    accountId = r.body.id;
  });

  test('a send beyond the balance is refused with 402 and nothing is stored', async () => {
    const first = await withKey(key.secret, 'POST', '/api/sms', {
      to: '+12025550150',
      body: 'a'.repeat(200),
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.costMinor, 10);
    assert.equal(first.body.accountId, accountId);
    await settled(first.body.id);
    const balance = await withKey(key.secret, 'GET', '/api/sms/balance');
    assert.equal(balance.body.available, 2);

    const refused = await withKey(key.secret, 'POST', '/api/sms', { to: '+12025550151', body: 'hello' });
    assert.equal(refused.status, 402);
    assert.equal(refused.body.error.code, 'SMS_BALANCE_INSUFFICIENT');
    assert.equal(refused.body.error.details.cost, 5);
    assert.equal(refused.body.error.details.balance, 2);
    const stored = await admin('GET', `/api/sms?to=%2B12025550151`);
    assert.equal(stored.body.length, 0);
    assert.equal((await withKey(key.secret, 'GET', '/api/sms/balance')).body.balance, 2);
  });

  test('top-up, charge and refund of what never reached the SMSC; the statement adds up', async () => {
    const top = await admin('POST', `/api/sms/accounts/${accountId}/topups`, {
      amount: 100,
      note: 'invoice 7',
    });
    assert.equal(top.status, 200);
    assert.equal(top.body.balance, 102);
    // Refused by the SMSC at submit: charged, then refunded.
    const refused = await withKey(key.secret, 'POST', '/api/sms', { to: '+12025550045', body: 'x' });
    const failed = await settled(refused.body.id);
    assert.equal(failed.status, 'failed');
    assert.deepEqual(
      failed.ledger.map((l: { kind: string; amount: number }) => [l.kind, l.amount]),
      [
        ['charge', -5],
        ['refund', 5],
      ],
    );
    assert.ok(failed.events.some((e: { type: string }) => e.type === 'refunded'));
    // Accepted by the SMSC, then undeliverable: the SMSC took it, so no refund.
    const undelivered = await withKey(key.secret, 'POST', '/api/sms', { to: '+12025550099', body: 'x' });
    const lost = await settled(undelivered.body.id);
    assert.equal(lost.status, 'failed', JSON.stringify(lost));
    assert.deepEqual(
      lost.ledger.map((l: { kind: string }) => l.kind),
      ['charge'],
    );
    const account = await admin('GET', `/api/sms/accounts/${accountId}`);
    assert.equal(account.body.balance, 12 - 10 + 100 - 5 + 5 - 5);

    const month = new Date(Date.now()).toISOString().slice(0, 7);
    const s = await admin('GET', `/api/sms/accounts/${accountId}/statements/${month}`);
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.openingBalance, 0);
    assert.equal(s.body.topUps, 112);
    assert.equal(s.body.charges, 20);
    assert.equal(s.body.refunds, 5);
    assert.equal(s.body.closingBalance, account.body.balance);
    assert.deepEqual(s.body.byType, [
      { type: 'notification', messages: 3, segments: 4, charged: 20, refunded: 5, refundedSegments: 1 },
    ]);
    const csv = await admin('GET', `/api/sms/accounts/${accountId}/statements/${month}?format=csv`);
    assert.equal(csv.status, 200);
    const lines = String(csv.body).trim().split('\r\n');
    assert.equal(lines[0], 'account,month,currency,line,type,messages,segments,amount');
    assert.ok(
      lines.includes(`Web shop,${month},EUR,closing_balance,,,,${account.body.balance}`),
      lines.join('\n'),
    );
    assert.ok(lines.includes(`Web shop,${month},EUR,charges,notification,3,4,20`), lines.join('\n'));
  });

  test('a quota account is refused over its monthly quota; an unpriced destination is refused', async () => {
    const k = await newKey('crm');
    const created = await admin('POST', '/api/sms/accounts', {
      name: 'CRM',
      kind: 'department',
      billing: 'quota',
      monthlyQuota: 6,
      members: [{ principalType: 'api_key', principalId: k.id }],
    });
    assert.equal(created.status, 201);
    assert.equal(
      (await withKey(k.secret, 'POST', '/api/sms', { to: '+12025550160', body: 'x' })).status,
      201,
    );
    const over = await withKey(k.secret, 'POST', '/api/sms', { to: '+12025550161', body: 'x' });
    assert.equal(over.status, 402);
    assert.equal(over.body.error.code, 'SMS_QUOTA_EXCEEDED');
    assert.equal((await withKey(k.secret, 'GET', '/api/sms/balance')).body.available, 1);
    const unpriced = await withKey(k.secret, 'POST', '/api/sms', { to: '+447400123456', body: 'x' });
    assert.equal(unpriced.status, 422);
    assert.equal(unpriced.body.error.code, 'SMS_DESTINATION_NOT_PRICED');
  });

  test('staff without an account send on the unbilled internal account', async () => {
    const r = await admin('POST', '/api/sms', { to: '+12025550170', body: 'from the desk' });
    assert.equal(r.status, 201);
    const accounts = await admin('GET', '/api/sms/accounts');
    const internal = accounts.body.find((a: { name: string }) => a.name === 'internal');
    assert.equal(internal.billing, 'unbilled');
    assert.equal(r.body.accountId, internal.id);
    assert.equal(r.body.costMinor, 5);
  });

  test('search by account, state, number, sender ID, campaign and date range; a key sees only its account', async () => {
    const campaignId = '6f1c2d3e-4b5a-4c6d-8e7f-901234567890';
    const c = await admin('POST', '/api/sms', {
      to: '+12025550180',
      body: 'promo',
      campaignId,
      from: 'ShopNews',
    });
    assert.equal(c.status, 201);
    const byCampaign = await admin('GET', `/api/sms?campaignId=${campaignId}`);
    assert.deepEqual(
      byCampaign.body.map((m: { id: string }) => m.id),
      [c.body.id],
    );
    const bySender = await admin('GET', '/api/sms?from=ShopNews');
    assert.deepEqual(
      bySender.body.map((m: { id: string }) => m.id),
      [c.body.id],
    );
    assert.equal((await admin('GET', '/api/sms?from=Nobody')).body.length, 0);
    const byAccount = await admin('GET', `/api/sms?accountId=${accountId}`);
    assert.equal(byAccount.body.length, 3);
    const failed = await admin('GET', `/api/sms?accountId=${accountId}&status=failed`);
    assert.equal(failed.body.length, 2);
    const byNumber = await admin('GET', `/api/sms?to=${encodeURIComponent('(202) 555-0045')}`);
    assert.equal(byNumber.body.length, 1);
    const future = new Date(Date.now() + 3600_000).toISOString();
    assert.equal((await admin('GET', `/api/sms?since=${future}`)).body.length, 0);
    const until = await admin('GET', `/api/sms?until=${future}&limit=500`);
    assert.ok(until.body.length >= 6);
    const paged = await admin('GET', `/api/sms?accountId=${accountId}&limit=2&offset=2`);
    assert.equal(paged.body.length, 1);
    const mine = await withKey(key.secret, 'GET', '/api/sms?limit=500');
    assert.equal(mine.body.length, 3);
    assert.ok(mine.body.every((m: { accountId: string }) => m.accountId === accountId));
    const other = await withKey(key.secret, 'GET', `/api/sms/${c.body.id}`);
    assert.equal(other.status, 404);
  });

  test('CSV export with the same filters, quoted and formula-guarded', async () => {
    const body = '=HYPERLINK("http://evil"), "quoted"';
    const r = await admin('POST', '/api/sms', { to: '+12025550190', body });
    const res = await t.hotline.app.inject({
      method: 'GET',
      url: `/api/sms/export.csv?to=${encodeURIComponent('+12025550190')}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    const lines = res.body.trim().split('\r\n');
    assert.equal(lines.length, 2);
    assert.ok(lines[0]!.startsWith('id,createdAt,status,type,sender,recipient,segments,costMinor'));
    assert.ok(lines[1]!.startsWith(`${r.body.id},`));
    assert.ok(lines[1]!.includes(`'+12025550190`), lines[1]);
    assert.ok(lines[1]!.endsWith(`"'=HYPERLINK(""http://evil""), ""quoted"""`), lines[1]);
    const all = await t.hotline.app.inject({
      method: 'GET',
      url: `/api/sms/export.csv?accountId=${accountId}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    assert.equal(all.body.trim().split('\r\n').length, 4);
  });

  test('an API key over its per-minute limit gets 429 with Retry-After', async () => {
    const limited = await newKey('limited', { ratePerMinute: 2 });
    assert.equal((await withKey(limited.secret, 'GET', '/api/sms/balance')).status, 200);
    assert.equal((await withKey(limited.secret, 'GET', '/api/sms/balance')).status, 200);
    const over = await withKey(limited.secret, 'GET', '/api/sms/balance');
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, 'API_KEY_RATE_LIMITED');
    assert.ok(Number(over.headers['retry-after']) >= 1);
    // Another key is not affected; lifting the limit lets this one through again.
    assert.equal((await withKey(key.secret, 'GET', '/api/sms/balance')).status, 200);
    const patched = await admin('PATCH', `/api/api-keys/${limited.id}`, { ratePerMinute: null });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.ratePerMinute, null);
    assert.equal((await withKey(limited.secret, 'GET', '/api/sms/balance')).status, 200);
  });
});
