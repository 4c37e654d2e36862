import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SmscSimulator } from '../src/adapters/smpp/index.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sms: bulk sends and campaigns through the SMSC simulator', () => {
  let t: TestHotline;
  let smsc: SmscSimulator;
  before(async () => {
    smsc = new SmscSimulator({ receiptDelayMs: 5 });
    const port = await smsc.start();
    t = await startTestHotline({
      env: { HOTLINE_SMSC_URL: `smpp://hotline:secret@127.0.0.1:${port}` },
    });
  });
  after(async () => {
    await t.stop();
    await smsc.stop();
  });

  const post = (url: string, body?: unknown) => t.call('POST', url, body, t.adminToken);
  const get = (url: string) => t.call('GET', url, undefined, t.adminToken);
  const submitsTo = (prefix: string) => smsc.submits.filter((s) => s.destination.startsWith(prefix));

  /** Polls the campaign until `done` holds for it (bounded). */
  async function campaignUntil(id: string, done: (c: any) => boolean, ms = 15_000): Promise<any> {
    const until = Date.now() + ms;
    for (;;) {
      const r = await get(`/api/sms/campaigns/${id}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      if (done(r.body)) return r.body;
      if (Date.now() > until) assert.fail(`campaign still ${JSON.stringify(r.body)}`);
      await sleep(50);
    }
  }

  test('bulk: valid recipients are stored and sent, bad ones reported by index', async () => {
    const r = await post('/api/sms/bulk', {
      template: 'Hello {{name}}, your meter is read on {{day}}.',
      recipients: [
        { to: '+12025551001', variables: { name: 'Ann', day: 'Monday' } },
        { to: '12', variables: { name: 'Bad', day: 'x' } },
        { to: '(202) 555-1002', variables: { name: 'Bob' } },
        { to: '+1 202 555 1003', variables: { name: 'Cy', day: 'Friday' } },
        { to: '+12025551001', variables: { name: 'Ann again', day: 'Monday' } },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.accepted, 2);
    assert.deepEqual(
      r.body.rejected.map((e: { index: number; code: string }) => [e.index, e.code]),
      [
        [1, 'PHONE_NUMBER_INVALID'],
        [2, 'SMS_TEMPLATE_VARIABLE_MISSING'],
        [4, 'SMS_RECIPIENT_DUPLICATE'],
      ],
    );
    for (const to of ['%2B12025551001', '%2B12025551003']) {
      const until = Date.now() + 10_000;
      for (;;) {
        const [m] = (await get(`/api/sms?to=${to}`)).body;
        if (m?.status === 'delivered') break;
        if (Date.now() > until) assert.fail(`not delivered: ${JSON.stringify(m)}`);
        await sleep(50);
      }
    }
    const texts = submitsTo('120255510').map((s) => s.shortMessage.toString('latin1'));
    assert.ok(texts.includes('Hello Ann, your meter is read on Monday.'), texts.join('|'));
    assert.equal(submitsTo('12025551001').length, 1);
  });

  test('a campaign waits as a draft, runs throttled, pauses without losing anything, and completes', async () => {
    const published: { type: string; data: any }[] = [];
    const unsubscribe = t.hotline.services.hub.subscribe((e) => published.push(e));
    const recipients = Array.from({ length: 30 }, (_, i) => ({
      to: `+1202555${String(2000 + i)}`,
      variables: { n: String(i) },
    }));
    const created = await post('/api/sms/campaigns', {
      name: 'Winter tariffs',
      template: 'New tariff #{{n}}',
      throttlePerSec: 20,
      audience: { recipients },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { campaign } = created.body;
    assert.equal(campaign.state, 'draft');
    assert.equal(campaign.total, 30);
    assert.equal(campaign.progress.queued, 30);
    await sleep(300);
    assert.equal(submitsTo('12025552').length, 0, 'a draft sends nothing');

    assert.equal((await post(`/api/sms/campaigns/${campaign.id}/start`)).body.state, 'running');
    await campaignUntil(campaign.id, (c) => c.progress.delivered >= 5);
    const paused = await post(`/api/sms/campaigns/${campaign.id}/pause`);
    assert.equal(paused.body.state, 'paused');
    // What was already on the wire settles: every message out of 'queued' reached the simulator.
    // A message taken just before the pause still counts as queued until its submit is answered,
    // so wait until the count holds still across two reads.
    let settled: any;
    for (let last = -1; ;) {
      settled = await campaignUntil(
        campaign.id,
        (c) =>
          c.progress.delivered === c.total - c.progress.queued &&
          submitsTo('12025552').length === c.progress.delivered,
      );
      if (settled.progress.delivered === last) break;
      last = settled.progress.delivered;
      await sleep(500);
    }
    assert.ok(settled.progress.queued > 0, 'paused before the end');
    await sleep(500);
    assert.equal(
      submitsTo('12025552').length,
      settled.progress.delivered,
      'nothing new is submitted while paused',
    );
    assert.equal(
      (await get(`/api/sms/campaigns/${campaign.id}`)).body.progress.queued,
      settled.progress.queued,
    );
    assert.equal((await post(`/api/sms/campaigns/${campaign.id}/pause`)).status, 409);

    assert.equal((await post(`/api/sms/campaigns/${campaign.id}/resume`)).body.state, 'running');
    const done = await campaignUntil(
      campaign.id,
      (c) => c.state === 'completed' && c.progress.delivered === 30,
    );
    assert.deepEqual(done.progress, {
      total: 30,
      queued: 0,
      submitted: 0,
      delivered: 30,
      failed: 0,
      uncertain: 0,
      cancelled: 0,
    });
    const sent = submitsTo('12025552').map((s) => s.destination);
    assert.equal(sent.length, 30);
    assert.equal(new Set(sent).size, 30, 'each recipient once');
    const results = (await get(`/api/sms/campaigns/${campaign.id}/messages?limit=100`)).body;
    assert.equal(results.length, 30);
    assert.ok(results.every((m: { campaignId: string }) => m.campaignId === campaign.id));
    // Live progress follows the last receipts, which may land after the campaign completed.
    const progressEvents = () =>
      published.filter((e) => e.type === 'sms.campaign.progress' && e.data.id === campaign.id);
    const until = Date.now() + 10_000;
    while (JSON.stringify(progressEvents().at(-1)?.data.progress) !== JSON.stringify(done.progress)) {
      if (Date.now() > until) break;
      await sleep(50);
    }
    unsubscribe();
    const progress = progressEvents();
    const states = progress.map((e) => e.data.state as string).filter((s, i, all) => s !== all[i - 1]);
    assert.deepEqual(states, ['running', 'paused', 'running', 'completed']);
    assert.deepEqual(progress.at(-1)!.data.progress, done.progress);
  });

  test('an alarm overtakes a running campaign', async () => {
    const recipients = Array.from({ length: 40 }, (_, i) => ({ to: `+1202555${3000 + i}` }));
    const { campaign } = (
      await post('/api/sms/campaigns', {
        name: 'Slow one',
        template: 'Newsletter',
        // 20 s for all 40: a cancel just after the alarm still finds most of them waiting, however
        // slow the machine.
        throttlePerSec: 2,
        start: true,
        audience: { recipients },
      })
    ).body;
    await campaignUntil(campaign.id, (c) => c.progress.delivered >= 1);
    const alarm = await post('/api/sms', { to: '+12025553999', body: 'DB down', type: 'alarm' });
    const until = Date.now() + 10_000;
    while ((await get(`/api/sms/${alarm.body.id}`)).body.status !== 'delivered') {
      if (Date.now() > until) assert.fail('alarm not delivered');
      await sleep(20);
    }
    const c = (await get(`/api/sms/campaigns/${campaign.id}`)).body;
    assert.ok(c.progress.queued > 0, 'the campaign still had messages waiting when the alarm went');
    const cancelled = await post(`/api/sms/campaigns/${campaign.id}/cancel`);
    assert.equal(cancelled.body.state, 'cancelled');
    const after = (
      await campaignUntil(
        campaign.id,
        (x) => x.progress.queued === 0 && x.progress.submitted === 0 && x.progress.cancelled > 0,
      )
    ).progress;
    assert.equal(after.cancelled + after.delivered, 40);
    assert.equal(submitsTo('120255530').length + submitsTo('120255531').length, after.delivered);
    assert.equal((await post(`/api/sms/campaigns/${campaign.id}/resume`)).status, 409);
  });

  test('a campaign from a CSV upload fills each row into the template', async () => {
    const csv =
      'Phone,name,amount\r\n+12025554001,Ann,"12,50"\r\n+12025554002,"Bob ""B""",7\r\nnot a number,Cy,1\r\n';
    const res = await t.hotline.app.inject({
      method: 'POST',
      url: '/api/sms/campaigns/csv?name=Arrears&template=Dear%20%7B%7Bname%7D%7D%2C%20you%20owe%20%7B%7Bamount%7D%7D&type=notification&start=true',
      payload: csv,
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'text/csv' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const body = JSON.parse(res.body);
    assert.equal(body.campaign.total, 2);
    assert.deepEqual(
      body.rejected.map((e: { index: number; code: string }) => [e.index, e.code]),
      [[2, 'PHONE_NUMBER_INVALID']],
    );
    await campaignUntil(body.campaign.id, (c) => c.state === 'completed' && c.progress.delivered === 2);
    const texts = submitsTo('12025554').map((s) => s.shortMessage.toString('latin1'));
    assert.deepEqual(texts.sort(), ['Dear Ann, you owe 12,50', 'Dear Bob "B", you owe 7']);
    const noPhone = await t.hotline.app.inject({
      method: 'POST',
      url: '/api/sms/campaigns/csv?name=x&template=y',
      payload: 'name\nAnn\n',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'text/csv' },
    });
    assert.equal(noPhone.statusCode, 400);
    assert.equal(JSON.parse(noPhone.body).error.code, 'SMS_AUDIENCE_INVALID');
  });

  test('a campaign to customers with a tag skips blacklisted ones', async () => {
    for (const [name, phone, tags, blacklisted] of [
      ['Gas A', '+12025555001', ['gas'], false],
      ['Gas B', '+12025555002', ['gas', 'vip'], false],
      ['Water C', '+12025555003', ['water'], false],
      ['Gas D', '+12025555004', ['gas'], true],
    ] as const) {
      const r = await post('/api/customers', { name, phones: [phone], tags: [...tags], blacklisted });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const { campaign } = (
      await post('/api/sms/campaigns', {
        name: 'Gas works',
        template: 'Hello {{name}}, gas works tomorrow.',
        type: 'notification',
        start: true,
        audience: { tag: 'gas' },
      })
    ).body;
    assert.equal(campaign.total, 2);
    assert.deepEqual(campaign.audience, { kind: 'tag', tag: 'gas' });
    await campaignUntil(campaign.id, (c) => c.state === 'completed');
    assert.deepEqual(
      submitsTo('12025555')
        .map((s) => s.destination)
        .sort(),
      ['12025555001', '12025555002'],
    );
  });
});
