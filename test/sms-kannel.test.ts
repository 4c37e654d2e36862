import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SmscSimulator } from '../src/adapters/smpp/index.js';
import { septetsToText } from '../src/domain/sms/gsm7.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { startKannel, type Kannel } from './helpers/kannel.js';
import { settledSms, waitFor, writeConfig } from './helpers/sms.js';

const DLR_TOKEN = 'kannel-dlr-secret-0123456789';

describe('sms through Kannel: sendsms out, SMPP to the simulator, dlr-url back', () => {
  let smsc: SmscSimulator;
  let kannel: Kannel | undefined;
  let t: TestHotline | undefined;
  before(async () => {
    smsc = new SmscSimulator({ receiptDelayMs: 20, accounts: [{ systemId: 'kannel', password: 'smppw' }] });
    const smscPort = await smsc.start();
    kannel = await startKannel({
      smscPort,
      systemId: 'kannel',
      password: 'smppw',
      smscId: 'sim',
      sendsmsUser: 'hotline',
      sendsmsPassword: 'sendpw',
    });
    await waitFor('Kannel to bind to the SMSC simulator', () => smsc.boundSessions > 0, 20_000);
    const config = {
      sms: {
        routes: [
          {
            name: 'kannel',
            driver: 'kannel',
            url: kannel.sendsmsUrl,
            username: 'hotline',
            password: 'sendpw',
            smsc: 'sim',
            dlrToken: DLR_TOKEN,
          },
        ],
      },
    };
    t = await startTestHotline({ env: { HOTLINE_CONFIG: writeConfig(config) } });
    // Kannel calls the dlr-url on Hotline's real HTTP port.
    await t.hotline.listen();
  });
  after(async () => {
    try {
      await t?.stop();
    } finally {
      await kannel?.stop();
      await smsc.stop();
    }
  });

  const hotline = () => t!;
  const send = (body: object) => hotline().call('POST', '/api/sms', body, hotline().adminToken);
  const logs = () => kannel?.logs() ?? '';

  test('a message reaches the SMSC with its text and is marked delivered by the dlr-url callback', async () => {
    const text = 'Engineer at 10:00 @ gate 3, fee 5€';
    const r = await send({ to: '+12025550160', body: text });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const m = await settledSms(hotline(), r.body.id, 20_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${logs()}`);
    });
    assert.equal(m.status, 'delivered', logs());
    assert.equal(m.parts[0].route, 'kannel');
    assert.ok(m.events.some((e: { type: string }) => e.type === 'receipt:delivered'));
    const submit = smsc.submits.find((s) => s.destination === '12025550160');
    assert.ok(submit, 'the simulator received the submit from Kannel');
    assert.equal(submit.dataCoding, 0);
    assert.equal(septetsToText(submit.shortMessage), text);
  });

  test('UCS-2 text goes through Kannel unchanged', async () => {
    const text = '您好，维修人员明天到';
    const m = await settledSms(hotline(), (await send({ to: '+12025550161', body: text })).body.id, 20_000);
    assert.equal(m.status, 'delivered', logs());
    const submit = smsc.submits.find((s) => s.destination === '12025550161');
    assert.equal(submit?.dataCoding, 8);
    assert.equal(submit?.shortMessage.swap16().toString('utf16le'), text);
  });

  test('a long text goes as two concatenated segments with our UDH, both delivered', async () => {
    const m = await settledSms(
      hotline(),
      (await send({ to: '+12025550163', body: 'b'.repeat(200) })).body.id,
      20_000,
    );
    assert.equal(m.status, 'delivered', logs());
    assert.deepEqual(
      m.parts.map((p: { status: string }) => p.status),
      ['delivered', 'delivered'],
    );
    const parts = smsc.submits.filter((s) => s.destination === '12025550163');
    assert.equal(parts.length, 2);
    for (const p of parts) assert.ok(p.esmClass & 0x40, 'UDH indicator set');
  });

  test('an undelivered receipt fails the message with its error code', async () => {
    const m = await settledSms(hotline(), (await send({ to: '+12025550099', body: 'x' })).body.id, 20_000);
    assert.equal(m.status, 'failed', logs());
    assert.equal(m.errorCode, 1);
  });

  test('the callback needs the route token; a repeated report changes nothing', async () => {
    const m = await settledSms(hotline(), (await send({ to: '+12025550162', body: 'once' })).body.id, 20_000);
    assert.equal(m.status, 'delivered', logs());
    const ref = `${m.id}:1`;
    const dlr = (q: string) => hotline().call('GET', `/api/sms/dlr/kannel?${q}`);
    const wrong = await dlr(`route=kannel&token=wrong-token-0000000000&ref=${ref}&status=2`);
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error.code, 'SMS_DLR_REJECTED');
    const unknownRoute = await dlr(`route=nope&token=${DLR_TOKEN}&ref=${ref}&status=2`);
    assert.equal(unknownRoute.status, 403);
    const unreadable = await dlr(`route=kannel&token=${DLR_TOKEN}&status=1`);
    assert.equal(unreadable.status, 400);
    assert.equal(unreadable.body.error.code, 'SMS_DLR_INVALID');
    const late = await dlr(
      `route=kannel&token=${DLR_TOKEN}&ref=${encodeURIComponent(ref)}&status=2&answer=err%3A001`,
    );
    assert.equal(late.status, 200);
    const again = await hotline().call('GET', `/api/sms/${m.id}`, undefined, hotline().adminToken);
    assert.equal(again.body.status, 'delivered');
    assert.equal(again.body.events.length, m.events.length);
  });
});
