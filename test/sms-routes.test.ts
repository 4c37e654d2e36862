import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SmscSimulator } from '../src/adapters/smpp/index.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { settledSms, waitFor, writeConfig } from './helpers/sms.js';

/** A port nothing listens on now (taken from a simulator that is stopped again). */
async function freePort(): Promise<number> {
  const probe = new SmscSimulator();
  const port = await probe.start();
  await probe.stop();
  return port;
}

describe('sms routes: selection and failover between SMSC connections', () => {
  let t: TestHotline;
  let primary: SmscSimulator;
  let backup: SmscSimulator;
  let uk: SmscSimulator | undefined;
  let primaryPort: number;
  let ukPort: number;
  before(async () => {
    primary = new SmscSimulator({ receiptDelayMs: 10 });
    backup = new SmscSimulator({ receiptDelayMs: 10 });
    primaryPort = await primary.start();
    const backupPort = await backup.start();
    ukPort = await freePort();
    const kannelPort = await freePort();
    const smpp = (port: number) => `smpp://hotline:secret@127.0.0.1:${port}`;
    const config = {
      sms: {
        routes: [
          {
            name: 'primary',
            driver: 'smpp',
            url: smpp(primaryPort),
            prefixes: ['+1202'],
          },
          { name: 'backup', driver: 'smpp', url: smpp(backupPort), prefixes: ['+1'] },
          { name: 'uk', driver: 'smpp', url: smpp(ukPort), prefixes: ['+44'], types: ['otp'] },
          {
            name: 'denver',
            driver: 'kannel',
            url: `http://127.0.0.1:${kannelPort}/cgi-bin/sendsms`,
            username: 'hotline',
            password: 'x',
            prefixes: ['+1303'],
            dlrToken: 'denver-secret-0123456789',
          },
        ],
      },
    };
    t = await startTestHotline({ env: { HOTLINE_CONFIG: writeConfig(config) } });
    await waitFor('primary and backup bound', async () => {
      const h = await t.call('GET', '/api/health');
      const routes = h.body.parts.smsc.routes as { name: string; up: boolean }[];
      return routes.filter((r) => r.up).length === 2;
    });
  });
  after(async () => {
    await t.stop();
    await Promise.all([primary.stop(), backup.stop(), uk?.stop()]);
  });

  const send = (body: object) => t.call('POST', '/api/sms', body, t.adminToken);
  const routeUp = async (name: string) => {
    const h = await t.call('GET', '/api/health');
    return (h.body.parts.smsc.routes as { name: string; up: boolean }[]).find((r) => r.name === name)?.up;
  };

  test('the longest matching prefix chooses the route, and the segment records it', async () => {
    const dc = await settledSms(t, (await send({ to: '+12025550143', body: 'via primary' })).body.id);
    assert.equal(dc.status, 'delivered');
    assert.equal(dc.parts[0].route, 'primary');
    const chicago = await settledSms(t, (await send({ to: '+13125550143', body: 'via backup' })).body.id);
    assert.equal(chicago.status, 'delivered');
    assert.equal(chicago.parts[0].route, 'backup');
    assert.equal(primary.submits.at(-1)?.destination, '12025550143');
    assert.equal(backup.submits.at(-1)?.destination, '13125550143');
  });

  test('the chosen route down: messages go through the next one; back up: used again', async () => {
    await primary.stop();
    await waitFor('primary down', async () => (await routeUp('primary')) === false);
    const before = backup.counts.submits;
    const ids = await Promise.all(
      ['+12025550150', '+12025550151', '+12025550152'].map(
        async (to) => (await send({ to, body: 'failover' })).body.id as string,
      ),
    );
    for (const id of ids) {
      const m = await settledSms(t, id);
      assert.equal(m.status, 'delivered');
      assert.equal(m.parts[0].route, 'backup');
    }
    assert.equal(backup.counts.submits - before, 3);
    const health = await t.call('GET', '/api/health');
    assert.equal(health.body.parts.smsc.status, 'ok', 'one route up keeps SMS healthy');

    // A real SMSC never hands out an id twice; a restarted simulator would, so it counts differently.
    primary = new SmscSimulator({ port: primaryPort, receiptDelayMs: 10, messageIdFormat: 'decimal' });
    await primary.start();
    await waitFor('primary bound again', () => routeUp('primary'), 30_000);
    const back = await settledSms(t, (await send({ to: '+12025550153', body: 'primary again' })).body.id);
    assert.equal(back.status, 'delivered');
    assert.equal(back.parts[0].route, 'primary');
    assert.equal(primary.submits.length, 1);

    const monitor = await t.call('GET', '/api/sms/monitor', undefined, t.adminToken);
    assert.equal(monitor.status, 200, JSON.stringify(monitor.body));
    const backupState = monitor.body.routes.find((r: { name: string }) => r.name === 'backup');
    assert.equal(backupState.lastMinute.failover, 3);
  });

  test('an unreachable Kannel route fails over to the SMPP route behind it', async () => {
    const m = await settledSms(t, (await send({ to: '+13035550100', body: 'to Denver' })).body.id);
    assert.equal(m.status, 'delivered');
    assert.equal(m.parts[0].route, 'backup');
    const h = await t.call('GET', '/api/health');
    const denver = h.body.parts.smsc.routes.find((r: { name: string }) => r.name === 'denver');
    assert.equal(denver.up, false);
    assert.match(denver.detail, /ECONNREFUSED/);
  });

  test('the monitor shows throughput, routes and recent failures with their codes; API keys need sms:monitor', async () => {
    const refused = await settledSms(t, (await send({ to: '+12025550045', body: 'refused' })).body.id);
    assert.equal(refused.status, 'failed');
    const r = await t.call('GET', '/api/sms/monitor', undefined, t.adminToken);
    assert.equal(r.status, 200);
    const m = r.body;
    assert.ok(m.lastMinute.accepted >= 1 && m.lastMinute.submitted >= 1 && m.lastMinute.delivered >= 1);
    assert.ok(m.throughput.submitted > 0);
    assert.ok(m.errorRate > 0 && m.errorRate < 1);
    assert.deepEqual(
      m.routes.map((x: { name: string }) => x.name),
      ['primary', 'backup', 'uk', 'denver'],
    );
    const primaryState = m.routes[0];
    assert.equal(primaryState.up, true);
    assert.equal(primaryState.driver, 'smpp');
    assert.equal(primaryState.window, 10);
    assert.equal(primaryState.rate, 50);
    assert.equal(primaryState.inFlight, 0);
    assert.match(primaryState.lastError.reason, /69/);
    const failure = m.recentFailures[0];
    assert.equal(failure.route, 'primary');
    assert.equal(failure.errorCode, 0x45);
    assert.equal(failure.reference, `${refused.id}:1`);
    assert.deepEqual(
      m.queue.map((q: { priority: number }) => q.priority),
      [9, 8, 6, 4, 1],
    );

    const key = async (scopes: string[]) =>
      (await t.call('POST', '/api/api-keys', { name: scopes.join(), scopes }, t.adminToken)).body
        .secret as string;
    const get = async (secret: string) =>
      (
        await t.hotline.app.inject({
          method: 'GET',
          url: '/api/sms/monitor',
          headers: { 'x-api-key': secret },
        })
      ).statusCode;
    assert.equal(await get(await key(['sms:monitor'])), 200);
    assert.equal(await get(await key(['sms:read'])), 403);
  });

  test('no usable route: the message waits queued and goes out once its route is up', async () => {
    const r = await send({ to: '+447911123456', body: 'your code is 123456', type: 'otp' });
    assert.equal(r.status, 201);
    const waiting = await waitFor('a retry', async () => {
      const m = await t.call('GET', `/api/sms/${r.body.id}`, undefined, t.adminToken);
      return m.body.events.some((e: { type: string }) => e.type === 'retry') && m.body;
    });
    assert.equal(waiting.status, 'queued');
    // A marketing message to the UK has no route at all: it waits too.
    const marketing = await send({ to: '+447911123457', body: 'offer', type: 'marketing' });
    uk = new SmscSimulator({ port: ukPort, receiptDelayMs: 10 });
    await uk.start();
    const m = await settledSms(t, r.body.id, 30_000);
    assert.equal(m.status, 'delivered');
    assert.equal(m.parts[0].route, 'uk');
    const still = await t.call('GET', `/api/sms/${marketing.body.id}`, undefined, t.adminToken);
    assert.equal(still.body.status, 'queued');
    const monitor = await t.call('GET', '/api/sms/monitor', undefined, t.adminToken);
    const marketingQueue = monitor.body.queue.find((q: { types: string[] }) => q.types.includes('marketing'));
    assert.equal(marketingQueue.queued, 1);
  });
});
