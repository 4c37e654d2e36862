import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SmsReceipt, SmsRouteGateway, SmsSubmission, SmsSubmitResult } from '../ports.js';
import { SmsRouter, type SmsRoute } from './router.js';
import { SmsMonitor } from './monitor.js';

/** A connection at the edge: up or down, answering with a fixed result, recording what it got. */
class FakeConnection implements SmsRouteGateway {
  up = true;
  answer: SmsSubmitResult = { status: 'accepted', smscMessageId: 'A1', smscMessageKey: 'a1' };
  readonly got: SmsSubmission[] = [];
  private handler: ((r: SmsReceipt) => void) | undefined;
  submit(s: SmsSubmission) {
    this.got.push(s);
    return Promise.resolve(this.answer);
  }
  onReceipt(h: (r: SmsReceipt) => void) {
    this.handler = h;
  }
  receipt(r: SmsReceipt) {
    this.handler?.(r);
  }
  state() {
    return { bound: this.up, detail: this.up ? 'bound' : 'down: ECONNREFUSED' };
  }
  stats() {
    return { inFlight: 0, waiting: 0, window: 10, rate: 50 };
  }
  start() {}
  close() {
    return Promise.resolve();
  }
  callback(params: Readonly<Record<string, string>>) {
    if (!params.ref) return false;
    this.receipt({ reference: params.ref, state: 'delivered', final: true, errorCode: null });
    return true;
  }
}

function setup() {
  const a = new FakeConnection();
  const b = new FakeConnection();
  const routes: SmsRoute[] = [
    { name: 'a', driver: 'smpp', prefixes: ['+1'], types: [], gateway: a },
    {
      name: 'b',
      driver: 'kannel',
      prefixes: [],
      types: [],
      gateway: b,
      callbackToken: 'secret-token-123456',
    },
  ];
  let now = 1_000_000;
  const monitor = new SmsMonitor({ now: () => now });
  const router = new SmsRouter(routes, monitor, () => now, 0);
  return { a, b, router, monitor, tick: (ms: number) => (now += ms) };
}

const sms = (destination: string): SmsSubmission => ({
  source: 'Hotline',
  destination,
  dataCoding: 0,
  udh: null,
  shortMessage: Uint8Array.of(0x41),
  reference: 'm:1',
});

test('the chosen route takes the submit; its key is tagged with the route', async () => {
  const { a, b, router } = setup();
  const r = await router.submit(sms('+12025550143'));
  assert.deepEqual(r, { status: 'accepted', smscMessageId: 'A1', smscMessageKey: 'a:a1', route: 'a' });
  assert.equal(a.got.length, 1);
  assert.equal(b.got.length, 0);
});

test('a route down, or answering down, hands the submit to the next; none up is a retry', async () => {
  const { a, b, router, monitor } = setup();
  a.up = false;
  assert.equal((await router.submit(sms('+12025550143'))).route, 'b');
  a.up = true;
  a.answer = { status: 'retry', reason: 'not-bound', down: true };
  assert.equal((await router.submit(sms('+12025550143'))).route, 'b');
  assert.equal(router.routeStates()[0]?.lastError?.reason, 'not-bound');
  b.up = false;
  const none = await router.submit(sms('+12025550143'));
  assert.equal(none.status, 'retry');
  assert.equal(none.route, undefined);
  assert.equal(monitor.lastMinute().get('b')?.failover, 2);
});

test('a throttled route is not failed over; a refusal is counted as a failure with its code', async () => {
  const { a, b, router, monitor } = setup();
  a.answer = { status: 'retry', reason: 'throttled' };
  assert.deepEqual(await router.submit(sms('+12025550143')), {
    status: 'retry',
    reason: 'throttled',
    route: 'a',
  });
  assert.equal(b.got.length, 0);
  a.answer = { status: 'failed', errorCode: 0x45 };
  await router.submit(sms('+12025550143'));
  assert.deepEqual(
    monitor.recentFailures(5).map((f) => [f.route, f.errorCode, f.reference]),
    [['a', 0x45, 'm:1']],
  );
});

test('receipts come out tagged with their route; callbacks need the route token', () => {
  const { a, router, monitor } = setup();
  const seen: SmsReceipt[] = [];
  router.onReceipt((r) => seen.push(r));
  a.receipt({ smscMessageKey: 'a1', state: 'delivered', final: true, errorCode: null });
  assert.equal(seen[0]?.smscMessageKey, 'a:a1');
  assert.throws(() => router.callback('b', 'wrong', { ref: 'm:1' }), /No such/);
  assert.throws(() => router.callback('a', 'secret-token-123456', { ref: 'm:1' }), /No such/);
  assert.throws(() => router.callback('b', 'secret-token-123456', {}), /Not a readable/);
  router.callback('b', 'secret-token-123456', { ref: 'm:1' });
  assert.equal(seen[1]?.reference, 'm:1');
  assert.equal(monitor.lastMinute().get('')?.delivered, 2);
});

test('the monitor forgets what is older than a minute', async () => {
  const { router, monitor, tick } = setup();
  await router.submit(sms('+12025550143'));
  assert.equal(monitor.lastMinute().get('a')?.submitted, 1);
  tick(61_000);
  assert.equal(monitor.lastMinute().get('a'), undefined);
});
