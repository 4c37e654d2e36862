// Client ↔ simulator over real TCP on 127.0.0.1: bind, submit, receipts, MO, every fault, window.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { SmppBind, type BindStateChange, type DeliverEvent, type SmppBindOptions } from './bind.js';
import { SmppConnection } from './connection.js';
import { ReceiptMatcher } from './receipt-matcher.js';
import { SmscSimulator, type SmscSimulatorOptions } from './simulator.js';

async function waitFor(what: string, cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function setup(t: TestContext, sim: SmscSimulatorOptions = {}, bind: Partial<SmppBindOptions> = {}) {
  const simulator = new SmscSimulator({ accounts: [{ systemId: 'hotline', password: 'secret' }], ...sim });
  const port = await simulator.start();
  const client = new SmppBind({
    host: '127.0.0.1',
    port,
    systemId: 'hotline',
    password: 'secret',
    submitsPerSecond: 1000,
    windowSize: 50,
    responseTimeoutMs: 2000,
    reconnect: { initialMs: 50, maxMs: 200 },
    ...bind,
  });
  const states: BindStateChange[] = [];
  const delivered: DeliverEvent[] = [];
  client.on('state', (s) => states.push(s));
  client.on('deliver', (d) => delivered.push(d));
  t.after(async () => {
    await client.close();
    await simulator.stop();
  });
  client.start();
  if (bind.password === undefined) await waitFor('bound', () => client.state === 'bound');
  return { sim: simulator, bind: client, states, delivered };
}

const msg = (destination: string, extra: object = {}) => ({
  source: 'Hotline',
  destination,
  dataCoding: 0,
  shortMessage: Buffer.from('Your code is 1234'),
  ...extra,
});

/** A destination whose last four digits (0500..0699) ask for no fault. */
const plain = (i: number) => `+447${String(91_000_500 + i)}`;

const receipts = (events: DeliverEvent[]) =>
  events.filter((e): e is Extract<DeliverEvent, { kind: 'receipt' }> => e.kind === 'receipt');

test('binds as transceiver and submits; the receipt comes back with the reference', async (t) => {
  const { sim, bind, delivered, states } = await setup(t);
  assert.deepEqual(
    states.map((s) => s.state),
    ['connecting', 'bound'],
  );
  const result = await bind.submit(msg('+447900001234', { reference: 'outbox-1' }));
  assert.equal(result.status, 'accepted');
  const [seen] = sim.submits;
  assert.equal(seen?.destination, '447900001234');
  assert.equal(seen?.destinationTon, 1);
  assert.deepEqual(seen?.shortMessage, Buffer.from('Your code is 1234'));
  assert.equal(seen?.registeredDelivery, 1);
  await waitFor('receipt', () => delivered.length === 1);
  const [r] = receipts(delivered);
  assert.equal(r?.reference, 'outbox-1');
  assert.equal(r?.receipt.state, 'delivered');
  assert.equal(r?.receipt.final, true);
  assert.equal(result.status === 'accepted' && r?.receipt.messageId, result.messageId);
  assert.equal(r?.source.address, '447900001234');
  await waitFor('deliver_sm_resp', () => sim.counts.deliverSmResps === 1);
});

test('receipt ids in decimal text only (no TLVs) still match hex submit ids', async (t) => {
  const { bind, delivered } = await setup(t, { receiptIdFormat: 'decimal', receiptTlvs: false });
  const result = await bind.submit(msg('+447900001234', { reference: 'r-7' }));
  await waitFor('receipt', () => delivered.length === 1);
  const [r] = receipts(delivered);
  assert.ok(result.status === 'accepted' && result.messageId !== r?.receipt.messageId, 'written differently');
  assert.equal(r?.reference, 'r-7');
});

test('wrong password: bind refused, down with exponential back-off, and it keeps trying', async (t) => {
  const { sim, bind, states } = await setup(
    t,
    {},
    {
      password: 'wrong',
      maxQueueWaitMs: 50,
      reconnect: { initialMs: 20, maxMs: 100, multiplier: 2, jitter: 0.5 },
      random: () => 0.999,
    },
  );
  await waitFor(
    'four refusals',
    () => sim.counts.bindsRefused >= 4 && states.filter((s) => s.state === 'down').length >= 4,
  );
  const downs = states.filter((s) => s.state === 'down');
  assert.ok(downs.every((d) => d.reason === 'bind refused 0x0e'));
  // jitter 0.5 with random ≈ 1: the full delay each time, doubling to the cap
  assert.deepEqual(
    downs.slice(0, 4).map((d) => d.retryInMs),
    [20, 40, 80, 100],
  );
  assert.notEqual(bind.state, 'bound');
  assert.deepEqual(await bind.submit(msg('1')), { status: 'retry', reason: 'queue-wait' });
});

test('MO messages arrive raw, after deliver_sm_resp was already sent', async (t) => {
  const order: string[] = [];
  const respond = t.mock.method(SmppConnection.prototype, 'respond');
  const { sim, bind, delivered } = await setup(t);
  bind.on('deliver', () => {
    const answered = respond.mock.calls.some((c) => c.arguments[0].command === 'deliver_sm');
    order.push(answered ? 'answered, then listener' : 'listener first');
  });
  const udh = Buffer.from([0x05, 0x00, 0x03, 0x07, 0x02, 0x01]);
  const ok = await sim.sendMo({
    source: '447900000042',
    destination: '60001',
    shortMessage: Buffer.from([0, 0x48]),
    dataCoding: 8,
    udh,
  });
  assert.equal(ok, true);
  await waitFor('mo', () => delivered.length === 1);
  const [mo] = delivered;
  assert.equal(mo?.kind, 'mo');
  if (mo?.kind !== 'mo') return;
  assert.deepEqual(mo.message.udh, udh);
  assert.deepEqual(mo.message.shortMessage, Buffer.from([0, 0x48]));
  assert.equal(mo.message.dataCoding, 8);
  assert.equal(mo.message.source.address, '447900000042');
  assert.deepEqual(order, ['answered, then listener']);
});

test('enquire_link both ways; unbind on close', async (t) => {
  const { sim, bind, states } = await setup(t, { enquireLinkIntervalMs: 40 }, { enquireLinkIntervalMs: 40 });
  await waitFor('enquire_links', () => sim.counts.enquireLinks >= 2 && sim.counts.enquireLinkResps >= 2);
  assert.equal(await sim.enquireLink(), 1);
  await bind.close();
  assert.equal(sim.counts.unbinds, 1);
  assert.deepEqual(
    states.slice(-2).map((s) => s.state),
    ['unbound', 'closed'],
  );
  assert.deepEqual(await bind.submit(msg('1')), { status: 'retry', reason: 'closed' });
});

test('fault numbers: throttled, queue full, submit failed, no response, slow', async (t) => {
  const { sim, bind } = await setup(
    t,
    { slowMs: 250 },
    { responseTimeoutMs: 400, throttlePauseMs: 150, queueFullPauseMs: 100 },
  );
  const paused: string[] = [];
  bind.on('paused', (p) => paused.push(p.reason));

  assert.deepEqual(await bind.submit(msg('+447900000058')), {
    status: 'retry',
    reason: 'throttled',
    smppStatus: 0x58,
  });
  const afterThrottle = await bind.submit(msg('+447900001111'));
  assert.equal(afterThrottle.status, 'accepted');
  const gap = sim.submits[1]!.atMs - sim.submits[0]!.atMs;
  assert.ok(gap >= 140, `paused ${gap} ms after 0x58`);

  assert.deepEqual(await bind.submit(msg('+447900000014')), {
    status: 'retry',
    reason: 'queue-full',
    smppStatus: 0x14,
  });
  assert.deepEqual(await bind.submit(msg('+447900000045')), { status: 'failed', smppStatus: 0x45 });
  assert.deepEqual(paused, ['throttled', 'queue-full']);

  const started = performance.now();
  assert.deepEqual(await bind.submit(msg('+447900000001')), { status: 'timeout', reason: 'no-response' });
  assert.ok(performance.now() - started >= 390);

  const slowStart = performance.now();
  assert.equal((await bind.submit(msg('+447900000777'))).status, 'accepted');
  assert.ok(performance.now() - slowStart >= 240);
  assert.equal(bind.state, 'bound');
});

test('a response later than the timeout is a timeout; the late answer is ignored', async (t) => {
  const { bind } = await setup(t, { slowMs: 300 }, { responseTimeoutMs: 100 });
  const violations: string[] = [];
  bind.on('violation', (v) => violations.push(v.reason));
  assert.deepEqual(await bind.submit(msg('+447900000777')), { status: 'timeout', reason: 'no-response' });
  await waitFor('late response', () => violations.length === 1);
  assert.deepEqual(violations, ['unexpected-response']);
  assert.equal((await bind.submit(msg('+447900001234'))).status, 'accepted');
});

test('failure receipts: undelivered, expired, rejected; 0002 never gets one', async (t) => {
  const { bind, delivered } = await setup(t);
  const numbers = ['+447900000099', '+447900000097', '+447900000098', '+447900000002'];
  const results = await Promise.all(numbers.map((n, i) => bind.submit(msg(n, { reference: `m${i}` }))));
  assert.ok(results.every((r) => r.status === 'accepted'));
  await waitFor('three receipts', () => delivered.length === 3);
  await new Promise((r) => setTimeout(r, 100));
  const byRef = new Map(receipts(delivered).map((r) => [r.reference, r.receipt]));
  assert.equal(byRef.get('m0')?.state, 'undeliverable');
  assert.equal(byRef.get('m0')?.error, '001');
  assert.deepEqual(byRef.get('m0')?.networkError, { type: 3, code: 1 });
  assert.equal(byRef.get('m1')?.state, 'expired');
  assert.equal(byRef.get('m2')?.state, 'rejected');
  assert.equal(byRef.has('m3'), false);
  assert.equal(delivered.length, 3);
});

test('registered_delivery 0 asks for no receipt, 2 only for failures', async (t) => {
  const { bind, delivered } = await setup(t);
  await bind.submit(msg('+447900001234', { registeredDelivery: 0 }));
  await bind.submit(msg('+447900001235', { registeredDelivery: 2 }));
  await bind.submit(msg('+447900000099', { registeredDelivery: 2, reference: 'failed-one' }));
  await waitFor('receipt', () => delivered.length === 1);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(
    receipts(delivered).map((r) => r.reference),
    ['failed-one'],
  );
});

test('the window: exactly N submit_sm in flight at once, as the SMSC sees it', async (t) => {
  for (const windowSize of [5, 50]) {
    // The SMSC holds each answer long enough for the whole window to arrive first (20 ms a submit),
    // even on a busy machine where sending 50 submits took longer than 120 ms (it then saw 44 at once).
    const { sim, bind } = await setup(t, { latencyMs: Math.max(120, windowSize * 20) }, { windowSize });
    const results = await Promise.all(
      Array.from({ length: windowSize + 15 }, (_, i) => bind.submit(msg(plain(i)))),
    );
    assert.ok(results.every((r) => r.status === 'accepted'));
    assert.equal(sim.maxInFlight, windowSize, `window ${windowSize}`);
    assert.equal(
      new Set(results.map((r) => (r.status === 'accepted' ? r.messageId : ''))).size,
      windowSize + 15,
    );
  }
});

test('a receipt that overtakes its submit_sm_resp is matched when the response lands', async (t) => {
  const matcherReceipt = t.mock.method(ReceiptMatcher.prototype, 'receipt');
  const { bind, delivered } = await setup(t, { latencyMs: 60 });
  const results = await Promise.all([
    bind.submit(msg('+447900000033', { reference: 'early' })),
    bind.submit(msg('+447900001234', { reference: 'normal' })),
  ]);
  assert.ok(results.every((r) => r.status === 'accepted'));
  await waitFor('two receipts', () => delivered.length === 2);
  assert.deepEqual(
    receipts(delivered)
      .map((r) => r.reference)
      .sort(),
    ['early', 'normal'],
  );
  assert.deepEqual(
    matcherReceipt.mock.calls.map((c) => c.result === undefined),
    [true, false],
    'the early one was held, the normal one matched at once',
  );
});

test('every receipt early (simulator option), many in flight: all matched', async (t) => {
  const { bind, delivered } = await setup(
    t,
    { receiptBeforeResponse: true, latencyMs: 30 },
    { windowSize: 10 },
  );
  const n = 25;
  await Promise.all(Array.from({ length: n }, (_, i) => bind.submit(msg(plain(i), { reference: `r${i}` }))));
  await waitFor('receipts', () => delivered.length === n);
  const refs = receipts(delivered).map((r) => r.reference);
  assert.equal(new Set(refs).size, n);
  assert.ok(refs.every((r) => r !== undefined));
});

test('submits refused locally, and the local queue limits', async (t) => {
  const { bind, sim } = await setup(t, {}, { maxQueued: 2, maxQueueWaitMs: 150 });
  assert.deepEqual(await bind.submit(msg('')), { status: 'failed', smppStatus: 0x0b });
  await sim.stop(); // the bind goes down and cannot reconnect
  await waitFor('down', () => bind.state === 'down');
  const waiting = [bind.submit(msg('+447900001234')), bind.submit(msg('+447900001235'))];
  assert.deepEqual(await bind.submit(msg('+447900001236')), { status: 'retry', reason: 'local-queue-full' });
  assert.deepEqual(await Promise.all(waiting), [
    { status: 'retry', reason: 'queue-wait' },
    { status: 'retry', reason: 'queue-wait' },
  ]);
});

test('a transmitter + receiver pair sharing a matcher: receipts on the receiver carry the reference', async (t) => {
  const sim = new SmscSimulator();
  await sim.start();
  const matcher = new ReceiptMatcher<Extract<DeliverEvent, { kind: 'receipt' }>>();
  const common = {
    host: '127.0.0.1',
    port: sim.port,
    systemId: 'hotline',
    password: 'secret',
    submitsPerSecond: 100,
    matcher,
  };
  const tx = new SmppBind({ ...common, mode: 'transmitter' });
  const rx = new SmppBind({ ...common, mode: 'receiver' });
  t.after(async () => {
    await tx.close();
    await rx.close();
    await sim.stop();
  });
  const delivered: DeliverEvent[] = [];
  tx.on('deliver', () => assert.fail('the transmitter gets no deliver_sm'));
  rx.on('deliver', (d) => delivered.push(d));
  tx.start();
  rx.start();
  await waitFor('both bound', () => tx.state === 'bound' && rx.state === 'bound');
  assert.deepEqual(await rx.submit(msg('+447900001234')), { status: 'failed', smppStatus: 0x04 });
  assert.equal((await tx.submit(msg('+447900001234', { reference: 'via-tx' }))).status, 'accepted');
  await waitFor('receipt on rx', () => receipts(delivered).some((r) => r.reference === 'via-tx'));
});

test('a body over 254 octets travels in message_payload', async (t) => {
  const { sim, bind } = await setup(t);
  const body = Buffer.alloc(300, 0x41);
  assert.equal(
    (await bind.submit(msg('+447900001234', { shortMessage: body, dataCoding: 8 }))).status,
    'accepted',
  );
  assert.equal(sim.submits[0]?.shortMessage.length, 0);
  assert.deepEqual(sim.submits[0]?.messagePayload, body);
});
