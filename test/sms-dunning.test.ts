import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SmscSimulator } from '../src/adapters/smpp/index.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { waitFor } from './helpers/sms.js';

const HOUR = 3_600_000;

/** Dunning on a manual clock starting Monday 2026-11-23 09:00 UTC; US numbers follow UTC here. */
describe('sms dunning: import, preview, run, limits across runs, allowed hours, paid', () => {
  let t: TestHotline;
  let smsc: SmscSimulator;
  let accountId: string;
  let planId: string;
  before(async () => {
    smsc = new SmscSimulator({ receiptDelayMs: 20 });
    const port = await smsc.start();
    t = await startTestHotline({
      manualClock: true,
      env: {
        HOTLINE_SMSC_URL: `smpp://hotline:secret@127.0.0.1:${port}`,
        HOTLINE_SMSC_RESPONSE_TIMEOUT_MS: '3000',
        HOTLINE_SESSION_TTL_HOURS: '1000',
      },
    });
    assert.equal((await admin('PUT', '/api/sms/prices', { prefix: '', perSegment: 5 })).status, 200);
    const account = await admin('POST', '/api/sms/accounts', {
      name: 'City Water',
      kind: 'department',
      billing: 'prepaid',
      balance: 1000,
    });
    assert.equal(account.status, 201, JSON.stringify(account.body));
    accountId = account.body.id;
  });
  after(async () => {
    await t.stop();
    await smsc.stop();
  });

  const admin = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) =>
    t.call(method, url, body, t.adminToken);
  const submitsTo = (digits: string) => smsc.submits.filter((s) => s.destination === digits);
  const balance = async () => (await admin('GET', `/api/sms/accounts/${accountId}`)).body.balance as number;

  async function uploadCsv(plan: string, csv: string) {
    const res = await t.hotline.app.inject({
      method: 'POST',
      url: `/api/sms/dunning/plans/${plan}/arrears/csv`,
      payload: csv,
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'text/csv' },
    });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  }

  async function delivered(ids: string[]) {
    for (const id of ids) {
      await waitFor(
        `message ${id} delivered`,
        async () => (await admin('GET', `/api/sms/${id}`)).body.status === 'delivered',
      );
    }
  }

  const planBody = {
    name: 'Water arrears',
    thresholdMinor: 1000,
    stages: [
      'Dear {{name}}, your water account {{reference}} owes {{amount}} {{currency}} since {{dueDate}}.',
      'Second notice: {{reference}} still owes {{amount}} {{currency}}.',
    ],
    maxPerPeriod: 2,
    periodDays: 30,
    minIntervalHours: 72,
    window: { from: '08:00', to: '20:00' },
  };

  test('a plan validates its templates; arrears import reports bad rows by line and stores the good ones', async () => {
    const bad = await admin('POST', '/api/sms/dunning/plans', {
      ...planBody,
      accountId,
      stages: ['Owes {{debt}}'],
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'VALIDATION_FAILED');
    const plan = await admin('POST', '/api/sms/dunning/plans', { ...planBody, accountId });
    assert.equal(plan.status, 201, JSON.stringify(plan.body));
    assert.equal(plan.body.currency, 'EUR');
    planId = plan.body.id;

    const csv = [
      'reference,phone,name,amount,currency,due_date,utility',
      'W-100,+1 202 555 7101,Ann Lee,42.50,EUR,2026-10-01,water',
      'W-101,+12025557102,Bo Chen,120,EUR,2026-10-15,water',
      'W-102,+12025557103,Cy Small,5.00,EUR,2026-10-15,water',
      'W-103,+12025557104,Di Out,80,EUR,2026-10-15,water',
      'W-104,12345,Ed Wrong,80,EUR,2026-10-15,water',
      'W-105,+12025557106,Fay Bad,eighty,EUR,2026-10-15,water',
      ',+12025557107,No Reference,80,EUR,2026-10-15,water',
      'W-108,+12025557108,Gus Date,80,EUR,15.10.2026,water',
      'W-109,+12025557109,Hal Paid,0,EUR,2026-10-15,water',
    ].join('\n');
    const r = await uploadCsv(planId, csv);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.accepted, 6);
    assert.deepEqual(
      r.body.rejected.map((p: { line: number; field: string }) => [p.line, p.field]),
      [
        [7, 'amount'],
        [8, 'reference'],
        [9, 'dueDate'],
      ],
    );
    assert.deepEqual(
      r.body.warnings.map((p: { line: number; reference: string }) => [p.line, p.reference]),
      [[6, 'W-104']],
    );
    const debtors = await admin('GET', `/api/sms/dunning/plans/${planId}/debtors`);
    assert.deepEqual(
      debtors.body.map((d: { reference: string; status: string }) => `${d.reference}:${d.status}`),
      ['W-100:open', 'W-101:open', 'W-102:open', 'W-103:open', 'W-104:open', 'W-109:paid'],
    );
    const noColumns = await uploadCsv(planId, 'name,phone\nAnn,+12025557101');
    assert.equal(noColumns.status, 400);
    assert.equal(noColumns.body.error.code, 'SMS_DUNNING_IMPORT_INVALID');
  });

  test('the preview shows who gets what and why the others not; the run sends exactly that', async () => {
    assert.equal((await admin('POST', '/api/sms/opt-outs', { phone: '+12025557104' })).status, 201);
    const preview = await admin('GET', `/api/sms/dunning/plans/${planId}/preview`);
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    const p = preview.body;
    assert.deepEqual(
      p.notices.map((n: { reference: string; level: number; segments: number; cost: number }) => [
        n.reference,
        n.level,
        n.segments,
        n.cost,
      ]),
      [
        ['W-100', 1, 1, 5],
        ['W-101', 1, 1, 5],
      ],
    );
    assert.equal(
      p.notices[0].text,
      'Dear Ann Lee, your water account W-100 owes 42.50 EUR since 2026-10-01.',
    );
    assert.deepEqual(
      p.skipped.map((s: { reference: string; reason: string }) => `${s.reference}:${s.reason}`).sort(),
      ['W-102:below_threshold', 'W-103:opted_out', 'W-104:invalid_number', 'W-109:settled'],
    );
    assert.deepEqual(p.totals, {
      notices: 2,
      segments: 2,
      cost: 10,
      skipped: { below_threshold: 1, opted_out: 1, invalid_number: 1, settled: 1 },
    });
    // Nothing was sent by looking.
    assert.equal(smsc.submits.length, 0);

    const run = await admin('POST', `/api/sms/dunning/plans/${planId}/run`);
    assert.equal(run.status, 200, JSON.stringify(run.body));
    assert.deepEqual(run.body.notices, p.notices);
    assert.deepEqual(run.body.skipped, p.skipped);
    assert.equal(run.body.messageIds.length, 2);
    await delivered(run.body.messageIds);
    const sent = submitsTo('12025557101').map((s) => s.shortMessage.toString('latin1'));
    assert.deepEqual(sent, [p.notices[0].text]);
    assert.equal(submitsTo('12025557102').length, 1);
    for (const skipped of ['12025557103', '12025557104']) assert.equal(submitsTo(skipped).length, 0);
    assert.equal(await balance(), 1000 - 10);
    const m = await admin('GET', `/api/sms/${run.body.messageIds[0]}`);
    assert.equal(m.body.type, 'notification');
    assert.equal(m.body.accountId, accountId);
    assert.equal(m.body.campaignId, run.body.runId);
  });

  test('the minimum interval and the maximum per period hold across runs', async () => {
    const again = await admin('POST', `/api/sms/dunning/plans/${planId}/run`);
    assert.equal(again.body.notices.length, 0);
    assert.equal(again.body.totals.skipped.interval_not_elapsed, 2);
    assert.equal(submitsTo('12025557101').length, 1);

    t.clock!.advance(73 * HOUR); // Thursday 10:00: inside the window, interval elapsed
    const second = await admin('POST', `/api/sms/dunning/plans/${planId}/run`);
    assert.deepEqual(
      second.body.notices.map((n: { reference: string; level: number }) => [n.reference, n.level]),
      [
        ['W-100', 2],
        ['W-101', 2],
      ],
    );
    await delivered(second.body.messageIds);
    assert.deepEqual(
      submitsTo('12025557101').map((s) => s.shortMessage.toString('latin1')),
      [
        'Dear Ann Lee, your water account W-100 owes 42.50 EUR since 2026-10-01.',
        'Second notice: W-100 still owes 42.50 EUR.',
      ],
    );

    t.clock!.advance(73 * HOUR); // Sunday 11:00: interval elapsed, but two notices in 30 days
    const third = await admin('POST', `/api/sms/dunning/plans/${planId}/run`);
    assert.equal(third.body.notices.length, 0);
    assert.equal(third.body.totals.skipped.max_reached, 2);
    assert.equal(submitsTo('12025557101').length, 2);

    const history = await admin('GET', `/api/sms/dunning/debtors/${second.body.notices[0].debtorId}`);
    assert.deepEqual(
      history.body.notices.map((n: { level: number; status: string }) => [n.level, n.status]),
      [
        [1, 'delivered'],
        [2, 'delivered'],
      ],
    );
  });

  test('outside the allowed hours notices wait for the window; a paid debt gets none and its held notice is cancelled', async () => {
    const plan = await admin('POST', '/api/sms/dunning/plans', {
      ...planBody,
      name: 'Gas arrears',
      accountId,
      maxPerPeriod: 5,
    });
    assert.equal(plan.status, 201);
    const imported = await admin('POST', `/api/sms/dunning/plans/${plan.body.id}/arrears`, {
      rows: [
        {
          reference: 'G-1',
          phone: '+12025557201',
          name: 'Ida',
          amount: '30',
          dueDate: '2026-11-01',
          utility: 'gas',
        },
        {
          reference: 'G-2',
          phone: '+12025557202',
          name: 'Jo',
          amount: 45.5,
          dueDate: '2026-11-01',
          utility: 'gas',
        },
        {
          reference: 'G-3',
          phone: '+12025557203',
          name: 'Kim',
          amount: '12',
          dueDate: 'soon',
          utility: 'gas',
        },
      ],
    });
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.equal(imported.body.accepted, 2);
    assert.deepEqual(
      imported.body.rejected.map((r: { line: number }) => r.line),
      [3],
    );

    t.clock!.advance(10 * HOUR + 30 * 60_000); // Sunday 21:30 UTC: after the window
    const run = await admin('POST', `/api/sms/dunning/plans/${plan.body.id}/run`);
    assert.equal(run.body.notices.length, 2);
    const opening = '2026-11-30T08:00:00.000Z';
    for (const n of run.body.notices) {
      assert.equal(n.deferred, true);
      assert.equal(n.sendAt, opening);
    }
    const held = await admin('GET', `/api/sms/${run.body.messageIds[0]}`);
    assert.equal(held.body.status, 'queued');
    assert.equal(held.body.nextAttemptAt, opening);

    // G-1 pays overnight: its held notice is cancelled (and refunded), later runs leave it alone.
    const paid = await admin('POST', `/api/sms/dunning/debtors/${run.body.notices[0].debtorId}/paid`);
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.status, 'paid');
    assert.equal(paid.body.cancelled, 1);
    assert.equal(paid.body.notices[0].status, 'cancelled');

    t.clock!.advance(10 * HOUR + 31 * 60_000); // Monday 08:01
    await delivered([run.body.messageIds[1]]);
    assert.equal(submitsTo('12025557202').length, 1);
    assert.equal(submitsTo('12025557201').length, 0);

    // A re-import with amount 0 settles G-2 as well: the next run sends nothing.
    t.clock!.advance(80 * HOUR);
    const settle = await admin('POST', `/api/sms/dunning/plans/${plan.body.id}/arrears`, {
      rows: [
        {
          reference: 'G-2',
          phone: '+12025557202',
          name: 'Jo',
          amount: 0,
          dueDate: '2026-11-01',
          utility: 'gas',
        },
      ],
    });
    assert.equal(settle.body.settled, 1);
    const after = await admin('POST', `/api/sms/dunning/plans/${plan.body.id}/run`);
    assert.equal(after.body.notices.length, 0);
    assert.deepEqual(after.body.totals.skipped, { settled: 2 });
    // 2 + 2 notices of the water plan, 1 gas notice delivered, 1 cancelled and refunded.
    assert.equal(await balance(), 1000 - 5 * 5);
  });
});
