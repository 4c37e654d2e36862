import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SmscSimulator } from '../src/adapters/smpp/index.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { waitFor } from './helpers/sms.js';

describe('sms bulk and campaigns: billed per message like single sends, opted-out marketing suppressed', () => {
  let t: TestHotline;
  let smsc: SmscSimulator;
  let key: { id: string; secret: string };
  let accountId: string;
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
    assert.equal((await admin('PUT', '/api/sms/prices', { prefix: '1', perSegment: 5 })).status, 200);
    const k = await admin('POST', '/api/api-keys', { name: 'crm', scopes: ['sms:send', 'sms:read'] });
    assert.equal(k.status, 201, JSON.stringify(k.body));
    key = k.body;
    const a = await admin('POST', '/api/sms/accounts', {
      name: 'CRM',
      kind: 'api_client',
      billing: 'prepaid',
      balance: 12,
      members: [{ principalType: 'api_key', principalId: key.id }],
    });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    accountId = a.body.id;
  });
  after(async () => {
    await t.stop();
    await smsc.stop();
  });

  const admin = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) =>
    t.call(method, url, body, t.adminToken);
  async function withKey(method: 'GET' | 'POST', url: string, body?: unknown) {
    const res = await t.hotline.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as object }),
      headers: { 'x-api-key': key.secret },
    });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  }
  const balance = async () => (await admin('GET', `/api/sms/accounts/${accountId}`)).body.balance as number;
  const messagesTo = async (to: string) => (await admin('GET', `/api/sms?to=${encodeURIComponent(to)}`)).body;
  const submitsTo = (digits: string) => smsc.submits.filter((s) => s.destination === digits).length;

  test('a bulk send over the balance: the covered recipients go, the rest are refused by index', async () => {
    const r = await withKey('POST', '/api/sms/bulk', {
      template: 'Meter reading on {{day}}',
      recipients: [
        { to: '+12025557301', variables: { day: 'Monday' } },
        { to: 'nonsense', variables: { day: 'Monday' } },
        { to: '+12025557302', variables: { day: 'Monday' } },
        { to: '+12025557303', variables: { day: 'Monday' } },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.accepted, 2);
    assert.deepEqual(
      r.body.rejected.map((x: { index: number; code: string }) => [x.index, x.code]),
      [
        [1, 'PHONE_NUMBER_INVALID'],
        [3, 'SMS_BALANCE_INSUFFICIENT'],
      ],
    );
    assert.equal(await balance(), 2);
    const [m] = await messagesTo('+12025557301');
    assert.equal(m.accountId, accountId);
    assert.equal(m.costMinor, 5);
    const detail = await admin('GET', `/api/sms/${m.id}`);
    assert.deepEqual(
      detail.body.ledger.map((l: { kind: string; amount: number }) => [l.kind, l.amount]),
      [['charge', -5]],
    );
    assert.equal((await messagesTo('+12025557303')).length, 0);

    // Not even one covered: the whole request is refused and nothing is stored.
    const none = await withKey('POST', '/api/sms/bulk', {
      template: 'Hello',
      recipients: [{ to: '+12025557304' }],
    });
    assert.equal(none.status, 402);
    assert.equal(none.body.error.code, 'SMS_BALANCE_INSUFFICIENT');
    assert.equal((await messagesTo('+12025557304')).length, 0);
    assert.equal(await balance(), 2);
  });

  test('a bulk message the SMSC rejects is refunded like a single send', async () => {
    assert.equal((await admin('POST', `/api/sms/accounts/${accountId}/topups`, { amount: 100 })).status, 200);
    const r = await withKey('POST', '/api/sms/bulk', { template: 'x', recipients: [{ to: '+12025550045' }] });
    assert.equal(r.body.accepted, 1);
    const [m] = await messagesTo('+12025550045');
    const failed = await waitFor('refund', async () => {
      const d = (await admin('GET', `/api/sms/${m.id}`)).body;
      return d.status === 'failed' && d.ledger.length === 2 ? d : undefined;
    });
    assert.deepEqual(
      failed.ledger.map((l: { kind: string; amount: number }) => [l.kind, l.amount]),
      [
        ['charge', -5],
        ['refund', 5],
      ],
    );
    assert.equal(await balance(), 102);
  });

  test('a marketing campaign leaves out opted-out numbers (reported) and is charged to the account', async () => {
    assert.equal((await admin('POST', '/api/sms/opt-outs', { phone: '+12025557402' })).status, 201);
    const r = await withKey('POST', '/api/sms/campaigns', {
      name: 'Winter tariff',
      template: 'New winter tariff for {{name}}',
      type: 'marketing',
      start: true,
      audience: {
        recipients: [
          { to: '+12025557401', variables: { name: 'Ann' } },
          { to: '+12025557402', variables: { name: 'Bo' } },
          { to: '+12025557403', variables: { name: 'Cy' } },
        ],
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.campaign.total, 2);
    assert.equal(r.body.campaign.rejected, 1);
    assert.deepEqual(
      r.body.rejected.map((x: { index: number; code: string }) => [x.index, x.code]),
      [[1, 'SMS_RECIPIENT_OPTED_OUT']],
    );
    assert.equal(await balance(), 102 - 10);
    await waitFor('campaign delivered', async () => {
      const c = (await admin('GET', `/api/sms/campaigns/${r.body.campaign.id}`)).body;
      return c.progress.delivered === 2;
    });
    assert.equal(submitsTo('12025557401'), 1);
    assert.equal(submitsTo('12025557403'), 1);
    assert.equal(submitsTo('12025557402'), 0);

    // Notifications still reach a number that opted out of marketing.
    const n = await withKey('POST', '/api/sms/bulk', {
      template: 'Outage tonight',
      type: 'notification',
      recipients: [{ to: '+12025557402' }],
    });
    assert.equal(n.body.accepted, 1);
  });

  test('cancelling a campaign refunds the messages that were never sent', async () => {
    const before = await balance();
    const r = await withKey('POST', '/api/sms/campaigns', {
      name: 'Never mind',
      template: 'Spring offer',
      type: 'notification',
      audience: { recipients: [{ to: '+12025557601' }, { to: '+12025557602' }] },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(await balance(), before - 10);
    const cancelled = await withKey('POST', `/api/sms/campaigns/${r.body.campaign.id}/cancel`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.progress.cancelled, 2);
    assert.equal(await balance(), before);
    const [m] = await messagesTo('+12025557601');
    const detail = await admin('GET', `/api/sms/${m.id}`);
    assert.deepEqual(
      detail.body.ledger.map((l: { kind: string; amount: number }) => [l.kind, l.amount]),
      [
        ['charge', -5],
        ['refund', 5],
      ],
    );
  });
});
