// The link under stress, client ↔ simulator over real TCP: pacing in real time, reconnection after
// drops and restarts, dead links, and malformed bytes from the SMSC.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { SmppBind, type BindStateChange, type DeliverEvent, type SmppBindOptions } from './bind.js';
import { SmppConnection, type ProtocolViolation } from './connection.js';
import { encodePdu } from './pdu.js';
import { SmscSimulator, type SmscSimulatorOptions } from './simulator.js';

async function waitFor(what: string, cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function setup(t: TestContext, sim: SmscSimulatorOptions = {}, bind: Partial<SmppBindOptions> = {}) {
  const holder = { sim: new SmscSimulator(sim) };
  const port = await holder.sim.start();
  const client = new SmppBind({
    host: '127.0.0.1',
    port,
    systemId: 'hotline',
    password: 'secret',
    submitsPerSecond: 1000,
    responseTimeoutMs: 2000,
    reconnect: { initialMs: 30, maxMs: 100 },
    ...bind,
  });
  const states: BindStateChange[] = [];
  const delivered: DeliverEvent[] = [];
  const violations: ProtocolViolation[] = [];
  client.on('state', (s) => states.push(s));
  client.on('deliver', (d) => delivered.push(d));
  client.on('violation', (v) => violations.push(v));
  t.after(async () => {
    await client.close();
    await holder.sim.stop();
  });
  client.start();
  await waitFor('bound', () => client.state === 'bound');
  return { holder, port, bind: client, states, delivered, violations };
}

const msg = (i: number, reference?: string) => ({
  source: 'Hotline',
  destination: `+447${String(91_000_500 + i)}`, // ends 0500..: no fault
  dataCoding: 0,
  shortMessage: Buffer.from('hello'),
  reference,
});

/** Counts how often a bind was (re)bound. */
const binds = (states: BindStateChange[]) => states.filter((s) => s.state === 'bound').length;

// Accuracy (±5 %) depends on how busy the machine is and is measured by `npm run bench:smpp-pacing`;
// what load cannot change is that the bind never goes faster than its rate.
test('pacing: 50 submits per second, measured at the SMSC over 2 s, never faster than the rate', async (t) => {
  const { holder, bind } = await setup(t, {}, { submitsPerSecond: 50, windowSize: 10 });
  const n = 101;
  const results = await Promise.all(Array.from({ length: n }, (_, i) => bind.submit(msg(i))));
  assert.ok(results.every((r) => r.status === 'accepted'));
  const at = holder.sim.submits.map((s) => s.atMs);
  const rate = ((n - 1) * 1000) / (at[n - 1]! - at[0]!);
  t.diagnostic(`measured ${rate.toFixed(2)} submits/s at the SMSC`);
  assert.ok(rate <= 50 * 1.05, `measured ${rate.toFixed(2)}/s`);
  // No one-second window holds more than the rate allows, the first one included.
  const busiest = Math.max(...at.map((from) => at.filter((x) => x >= from && x < from + 1000).length));
  assert.ok(busiest <= 51, `${busiest} submits in one second`);
});

test('reconnects after the SMSC drops the link; the in-flight submit is uncertain, not resent', async (t) => {
  const { holder, bind, states } = await setup(t);
  const inFlight = bind.submit({ ...msg(0), destination: '+447900000001' }); // never answered
  await waitFor('submit seen', () => holder.sim.counts.submits === 1);
  holder.sim.dropConnections();
  assert.deepEqual(await inFlight, { status: 'timeout', reason: 'connection-lost' });
  await waitFor('rebound', () => binds(states) === 2);
  const down = states.find((s) => s.state === 'down');
  assert.equal(down?.reason, 'connection lost');
  assert.equal((await bind.submit(msg(1))).status, 'accepted');
  assert.equal(holder.sim.counts.submits, 2, 'the uncertain submit was not sent again');
});

test('a receipt the SMSC could not deliver before the drop arrives after the rebind, matched', async (t) => {
  const { holder, bind, states, delivered } = await setup(t, { receiptDelayMs: 150 });
  assert.equal((await bind.submit(msg(0, 'kept'))).status, 'accepted');
  holder.sim.dropConnections();
  await waitFor('rebound', () => binds(states) === 2);
  await waitFor('receipt', () => delivered.length === 1);
  assert.equal(delivered[0]?.kind === 'receipt' && delivered[0].reference, 'kept');
});

test('reconnects to a simulator restarted on the same port', async (t) => {
  const { holder, port, bind, states } = await setup(t);
  await holder.sim.stop();
  await waitFor('down', () => bind.state === 'down');
  await new Promise((r) => setTimeout(r, 120)); // a refused attempt or two
  holder.sim = new SmscSimulator({ port });
  assert.equal(await holder.sim.start(), port);
  await waitFor('rebound', () => binds(states) === 2);
  assert.ok(states.some((s) => s.state === 'down' && s.reason === 'ECONNREFUSED'));
  assert.equal((await bind.submit(msg(0))).status, 'accepted');
  assert.equal(holder.sim.counts.submits, 1);
});

test('an unanswered enquire_link takes the link down; it comes back', async (t) => {
  const { holder, bind, states } = await setup(t, {}, { enquireLinkIntervalMs: 40, responseTimeoutMs: 150 });
  // The simulator's latency applies to enquire_link_resp: make it too slow, once.
  holder.sim.latencyMs = 1000;
  await waitFor('down', () => states.some((s) => s.state === 'down'));
  assert.equal(states.find((s) => s.state === 'down')?.reason, 'enquire_link unanswered');
  holder.sim.latencyMs = 0;
  await waitFor('rebound', () => bind.state === 'bound' && binds(states) >= 2);
});

/** Spies on generic_nack from any connection; the returned function gives the status sent for a sequence. */
function spyNacks(t: TestContext): (sequence: number) => number | undefined {
  const spy = t.mock.method(SmppConnection.prototype, 'genericNack');
  return (sequence) => spy.mock.calls.find((c) => c.arguments[0] === sequence)?.arguments[1];
}

function header(length: number, commandId: number, sequence: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32BE(length, 0);
  b.writeUInt32BE(commandId, 4);
  b.writeUInt32BE(sequence, 12);
  return b;
}

test('malformed PDUs from the SMSC: unknown command and undecodable body are nacked, the bind stays', async (t) => {
  const nackFor = spyNacks(t);
  const { holder, bind, states, violations } = await setup(t);
  holder.sim.injectRaw(header(16, 0x00000999, 4001));
  // A deliver_sm whose last TLV header promises a value that is not there.
  const good = encodePdu({
    command: 'deliver_sm',
    sequence: 4002,
    fields: { short_message: Buffer.from('x') },
  });
  const broken = Buffer.concat([good, Buffer.from([0x04, 0x27, 0x00, 0x01])]);
  broken.writeUInt32BE(broken.length, 0);
  holder.sim.injectRaw(broken);
  await waitFor('nacks', () => nackFor(4001) !== undefined && nackFor(4002) !== undefined);
  assert.equal(nackFor(4001), 0x03);
  assert.equal(nackFor(4002), 0x02);
  assert.deepEqual(
    violations.map((v) => v.reason),
    ['unknown-command', 'undecodable'],
  );
  assert.equal((await bind.submit(msg(0))).status, 'accepted');
  assert.equal(binds(states), 1, 'never dropped');
});

test('a bad command_length or non-SMPP bytes: generic_nack, disconnect, reconnect', async (t) => {
  const nackFor = spyNacks(t);
  const { holder, bind, states, violations } = await setup(t);
  holder.sim.injectRaw(header(8, 0x15, 4003));
  await waitFor('nack', () => nackFor(4003) === 0x02);
  await waitFor('rebound', () => binds(states) === 2 && bind.state === 'bound');
  holder.sim.injectRaw(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  await waitFor('rebound again', () => binds(states) === 3 && bind.state === 'bound');
  holder.sim.injectRaw(header(0x7fffffff, 0x04, 1)); // absurd length
  await waitFor('and again', () => binds(states) === 4 && bind.state === 'bound');
  assert.equal(violations.filter((v) => v.reason === 'bad-command-length').length, 3);
  assert.equal((await bind.submit(msg(0))).status, 'accepted');
});

test('a truncated PDU stalls the stream; enquire_link notices and the bind reconnects', async (t) => {
  const { holder, bind, states } = await setup(t, {}, { enquireLinkIntervalMs: 40, responseTimeoutMs: 150 });
  holder.sim.injectRaw(Buffer.concat([header(200, 0x05, 4004), Buffer.alloc(4)]));
  await waitFor('down', () => states.some((s) => s.state === 'down'), 2000);
  assert.equal(states.find((s) => s.state === 'down')?.reason, 'enquire_link unanswered');
  await waitFor('rebound', () => binds(states) === 2 && bind.state === 'bound');
  assert.equal((await bind.submit(msg(0))).status, 'accepted');
});
