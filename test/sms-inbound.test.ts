import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SmscSimulator } from '../src/adapters/smpp/index.js';
import { concatenationHeader, encodeGsm7, encodeUcs2 } from '../src/domain/sms/index.js';
import { verifyWebhook } from '../src/services/sms/webhook-signature.js';
import type { HubEvent } from '../src/services/events/event-hub.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

const SECRET = 'webhook-secret-0123456789';

/** A tiny webhook receiver: answers 500 to the first push of each body `failOnce` picks, else 204. */
class Receiver {
  readonly received: { body: string; signature: string; eventId: string }[] = [];
  readonly failed = new Set<string>();
  /** While true every push is answered 503. */
  down = false;
  failOnce: (body: string) => boolean = () => false;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const id = String(req.headers['x-hotline-event-id']);
        if (this.down || (this.failOnce(body) && !this.failed.has(id))) {
          this.failed.add(id);
          res.writeHead(500).end();
          return;
        }
        this.received.push({
          body,
          signature: String(req.headers['x-hotline-signature']),
          eventId: id,
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

  events(): { id: string; type: string; data: any }[] {
    return this.received.map((r) => JSON.parse(r.body) as { id: string; type: string; data: any });
  }
}

/** Polls until `check` returns something truthy (bounded). */
async function eventually<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 8000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('sms: inbound messages, keywords, dispatch and webhooks through the simulator', () => {
  let t: TestHotline;
  let smsc: SmscSimulator;
  let hook: Receiver;
  const events: HubEvent[] = [];
  before(async () => {
    smsc = new SmscSimulator({ receiptDelayMs: 20 });
    const port = await smsc.start();
    hook = new Receiver();
    const url = await hook.start();
    t = await startTestHotline({
      env: {
        HOTLINE_SMSC_URL: `smpp://hotline:secret@127.0.0.1:${port}`,
        HOTLINE_SMSC_RESPONSE_TIMEOUT_MS: '300',
        HOTLINE_SMS_QUEUE: 'SMS care',
        HOTLINE_SMS_WEBHOOK_URL: url,
        HOTLINE_SMS_WEBHOOK_SECRET: SECRET,
        HOTLINE_SMS_WEBHOOK_RETRY_BASE_MS: '50',
      },
    });
    t.hotline.services.hub.subscribe((e) => events.push(e));
    const q = await t.call('POST', '/api/queues', { name: 'SMS care' }, t.adminToken);
    assert.equal(q.status, 201, JSON.stringify(q.body));
    await eventually('the bind', () => smsc.boundSessions > 0);
  });
  after(async () => {
    await t.stop();
    await smsc.stop();
    await hook.stop();
  });

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    t.call(method, url, body, t.adminToken);

  /** Sends an MO from `from` (international, without "+") and waits until it is stored. */
  async function mo(from: string, text: string): Promise<any> {
    const before = (await api('GET', `/api/sms/inbound?from=%2B${from}`)).body.length as number;
    const chinese = /\p{Script=Han}/u.test(text);
    const ok = await smsc.sendMo({
      source: from,
      destination: '4242',
      shortMessage: Buffer.from(chinese ? encodeUcs2(text) : encodeGsm7(text)),
      dataCoding: chinese ? 8 : 0,
    });
    assert.ok(ok, 'deliver_sm answered');
    const list = await eventually(`the MO "${text}"`, async () => {
      const r = await api('GET', `/api/sms/inbound?from=%2B${from}`);
      // The outcome is written once what the text asked for is done (empty until then).
      const handled = r.body.length > before && Object.keys(r.body[0].outcome).length > 0;
      return handled ? (r.body as any[]) : undefined;
    });
    return list[0];
  }

  const submitsTo = (number: string) => smsc.submits.filter((s) => s.destination.endsWith(number));

  test('STOP opts out: marketing is refused afterwards, a notification still goes, and a confirmation is sent', async () => {
    const m = await mo('12025550161', ' stop ');
    assert.equal(m.intent, 'opt_out');
    assert.equal(m.sender, '+12025550161');
    assert.equal(m.outcome.optedOut, true);
    assert.ok(m.outcome.replySmsId, JSON.stringify(m.outcome));
    await eventually('the confirmation', () => submitsTo('2025550161').length === 1);
    const marketing = await api('POST', '/api/sms', { to: '+12025550161', body: 'Sale!', type: 'marketing' });
    assert.equal(marketing.status, 409);
    assert.equal(marketing.body.error.code, 'SMS_RECIPIENT_OPTED_OUT');
    const notice = await api('POST', '/api/sms', { to: '+12025550161', body: 'Your engineer comes at 10' });
    assert.equal(notice.status, 201);
    const outs = await api('GET', '/api/sms/opt-outs');
    assert.ok(outs.body.some((o: any) => o.phone === '+12025550161' && o.keyword === 'STOP'));
  });

  test('退订 in UCS-2 opts out and is answered in Chinese', async () => {
    const m = await mo('8613800138000', '退订');
    assert.equal(m.intent, 'opt_out');
    assert.equal(m.body, '退订');
    const reply = await eventually('the reply', () => submitsTo('8613800138000')[0]);
    assert.equal(reply.dataCoding, 8);
  });

  test('a keyword subscription gets the topic send; an opted-out subscriber is suppressed for marketing', async () => {
    const topic = await api('POST', '/api/sms/topics', {
      name: 'Weather',
      keyword: 'weather',
      description: 'Daily forecast',
      type: 'marketing',
    });
    assert.equal(topic.status, 201, JSON.stringify(topic.body));
    assert.equal(topic.body.keyword, 'WEATHER');
    const reserved = await api('POST', '/api/sms/topics', { name: 'Stop', keyword: 'stop' });
    assert.equal(reserved.body.error.code, 'SMS_TOPIC_TAKEN');
    const sub = await mo('12025550162', 'SUB weather');
    assert.equal(sub.intent, 'subscribe');
    assert.equal(sub.outcome.topicId, topic.body.id);
    // The keyword alone subscribes too; this one then opts out of all marketing.
    await mo('12025550163', 'Weather');
    await mo('12025550163', 'STOP');
    const subs = await api('GET', `/api/sms/topics/${topic.body.id}/subscribers`);
    assert.deepEqual(subs.body.map((s: any) => s.phone).sort(), ['+12025550162', '+12025550163']);
    const sent = await api('POST', `/api/sms/topics/${topic.body.id}/send`, { body: 'Sunny and warm' });
    assert.equal(sent.status, 201);
    assert.equal(sent.body.queued, 1);
    assert.equal(sent.body.suppressed, 1);
    await eventually('the forecast', () =>
      submitsTo('2025550162').some((s) => s.shortMessage.toString('latin1').includes('Sunny')),
    );
    // A daily schedule at the current minute is due at once; setting it again sends nothing twice.
    // A zone where it is now about noon, so the test never straddles a local midnight.
    const now = new Date();
    const offset = 12 - now.getUTCHours();
    const timeZone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const at = `12:${String(now.getUTCMinutes()).padStart(2, '0')}`;
    const schedule = { at, timeZone, body: 'Good morning forecast' };
    const patched = await api('PATCH', `/api/sms/topics/${topic.body.id}`, { schedule });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const morning = () =>
      submitsTo('2025550162').filter((s) => s.shortMessage.toString('latin1') === 'Good morning forecast');
    await eventually('the scheduled send', () => morning().length === 1);
    const again = await api('PATCH', `/api/sms/topics/${topic.body.id}`, { schedule });
    assert.ok(again.body.lastScheduledAt);
    await eventually('the topic marked as sent today', async () => {
      const r = await api('GET', '/api/sms/topics');
      return r.body.find((x: any) => x.id === topic.body.id)?.lastScheduledAt;
    });
    assert.equal(await t.hotline.services.smsMo.topics.runSchedules(), 0);
    assert.equal(morning().length, 1);
    const badZone = await api('PATCH', `/api/sms/topics/${topic.body.id}`, {
      schedule: { ...schedule, timeZone: 'Mars/Olympus' },
    });
    assert.equal(badZone.body.error.code, 'VALIDATION_FAILED');
    await mo('12025550162', 'unsub WEATHER');
    const after = await api('GET', `/api/sms/topics/${topic.body.id}/subscribers`);
    assert.deepEqual(
      after.body.map((s: any) => s.phone),
      ['+12025550163'],
    );
  });

  test('a work order goes out by SMS; OK and DONE from the technician move it, another number is refused', async () => {
    const created = await api('POST', '/api/work-orders', {
      title: 'Boiler does not heat',
      address: '1 Main St',
      technicianPhone: '+1 202 555 0164',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const ref = created.body.reference as number;
    assert.equal(created.body.state, 'sent');
    const dispatch = await eventually('the dispatch SMS', () => submitsTo('2025550164')[0]);
    assert.match(dispatch.shortMessage.toString('latin1'), new RegExp(`OK ${ref}`));
    const stranger = await mo('12025550165', `DONE ${ref} not me`);
    assert.equal(stranger.outcome.result, 'refused');
    assert.equal(stranger.outcome.reason, 'not_technician');
    assert.equal((await api('GET', `/api/work-orders/${created.body.id}`)).body.state, 'sent');
    await mo('12025550164', `ok ${ref}`);
    assert.equal((await api('GET', `/api/work-orders/${created.body.id}`)).body.state, 'acknowledged');
    await mo('12025550164', `DONE ${ref} fixed`);
    const done = await api('GET', `/api/work-orders/${created.body.id}`);
    assert.equal(done.body.state, 'done');
    assert.equal(done.body.doneNote, 'fixed');
    assert.deepEqual(
      done.body.events.map((e: any) => e.type),
      ['created', 'sent', 'reply_refused', 'acknowledged', 'done'],
    );
    const changes = events
      .filter((e) => e.type === 'work_order.updated' && (e.data as any).reference === ref)
      .map((e) => (e.data as any).change);
    assert.deepEqual(changes, ['created', 'acknowledged', 'done']);
  });

  test('free text opens an SMS interaction, a follow-up is appended, and the agent reply goes out', async () => {
    const first = await mo('12025550166', 'My internet is down since this morning');
    assert.equal(first.intent, 'conversation');
    const interactionId = first.outcome.interactionId as string;
    assert.ok(interactionId, JSON.stringify(first.outcome));
    const second = await mo('12025550166', 'Still down, please call');
    assert.equal(second.outcome.interactionId, interactionId);
    assert.equal(second.outcome.appended, true);
    const i = await api('GET', `/api/interactions/${interactionId}`);
    assert.equal(i.body.channel, 'sms');
    assert.equal(i.body.fromAddress, '+12025550166');
    const reply = await api('POST', `/api/interactions/${interactionId}/sms`, { body: 'We are on it.' });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    await eventually('the agent reply', () =>
      submitsTo('2025550166').some((s) => s.shortMessage.toString('latin1') === 'We are on it.'),
    );
    const history = await api('GET', `/api/interactions/${interactionId}/events`);
    const smsEvents = history.body.filter((e: any) => e.type.startsWith('sms_'));
    assert.deepEqual(
      smsEvents.map((e: any) => [e.type, e.details.text]),
      [
        ['sms_received', 'My internet is down since this morning'],
        ['sms_received', 'Still down, please call'],
        ['sms_sent', 'We are on it.'],
      ],
    );
    const notSms = await api('POST', '/api/interactions', { channel: 'chat', queueId: i.body.queueId });
    const refused = await api('POST', `/api/interactions/${notSms.body.id}/sms`, { body: 'x' });
    assert.equal(refused.body.error.code, 'INTERACTION_CHANNEL_INVALID');
  });

  test('a concatenated MO is reassembled once; a re-delivered MO is stored once', async () => {
    const parts = ['Hello, this is a long ', 'message in two parts'];
    for (const seq of [2, 1, 2]) {
      await smsc.sendMo({
        source: '12025550167',
        destination: '4242',
        udh: Buffer.from(concatenationHeader({ bits: 8, value: 77 }, 2, seq)),
        shortMessage: Buffer.from(encodeGsm7(parts[seq - 1]!)),
      });
    }
    const m = await eventually('the whole message', async () => {
      const r = await api('GET', '/api/sms/inbound?from=%2B12025550167');
      return r.body[0];
    });
    assert.equal(m.body, parts.join(''));
    assert.equal(m.parts, 2);
    await mo('12025550168', 'hello twice');
    await smsc.sendMo({
      source: '12025550168',
      destination: '4242',
      shortMessage: Buffer.from(encodeGsm7('hello twice')),
    });
    await mo('12025550168', 'something else');
    const all = await api('GET', '/api/sms/inbound?from=%2B12025550168');
    assert.deepEqual(
      all.body.map((x: any) => x.body),
      ['something else', 'hello twice'],
    );
    assert.equal((await api('GET', '/api/sms/inbound?from=%2B12025550167')).body.length, 1);
  });

  test('MO and receipts are pushed to the webhook, signed, and retried after a 500', async () => {
    hook.failOnce = (body) => body.includes('webhook please');
    const m = await mo('12025550169', 'webhook please');
    const pushed = await eventually('the MO push', () =>
      hook.events().find((e) => e.type === 'sms.received' && e.data.id === m.id),
    );
    assert.equal(pushed.data.text, 'webhook please');
    assert.equal(pushed.data.from, '+12025550169');
    const raw = hook.received.find((r) => r.eventId === pushed.id)!;
    assert.ok(verifyWebhook(SECRET, raw.body, raw.signature, Math.floor(Date.now() / 1000)));
    assert.ok(
      !verifyWebhook('wrong-secret-0123456789', raw.body, raw.signature, Math.floor(Date.now() / 1000)),
    );
    // The receiver has the push before Hotline has recorded its 2xx: wait for the record.
    const mine = await eventually('the delivery recorded', async () => {
      const deliveries = await api('GET', '/api/sms/webhook-deliveries');
      const d = deliveries.body.find((x: any) => x.id === pushed.id);
      return d?.status === 'delivered' ? d : undefined;
    });
    assert.equal(mine.status, 'delivered');
    assert.equal(mine.attempts, 2);
    assert.ok(hook.failed.has(pushed.id));
    const sent = await api('POST', '/api/sms', { to: '+12025550170', body: 'receipt please' });
    const receipt = await eventually('the receipt push', () =>
      hook
        .events()
        .find((e) => e.type === 'sms.updated' && e.data.id === sent.body.id && e.data.status === 'delivered'),
    );
    assert.ok(receipt.id);
    // Every push has its own stable id; the receiver can de-duplicate on it.
    const ids = hook.events().map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('a push that could not be delivered survives a restart and goes out afterwards', async () => {
    hook.down = true;
    const m = await mo('12025550171', 'after the restart');
    await eventually('a failed first attempt', async () => {
      const r = await api('GET', '/api/sms/webhook-deliveries?status=pending');
      return r.body.some((d: any) => d.eventType === 'sms.received' && d.attempts >= 1);
    });
    await t.restart();
    hook.down = false;
    const pushed = await eventually('the push after the restart', () =>
      hook.events().find((e) => e.type === 'sms.received' && e.data.id === m.id),
    );
    assert.equal(pushed.data.text, 'after the restart');
  });
});
