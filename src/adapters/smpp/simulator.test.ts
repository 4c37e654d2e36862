// The simulator against clients we did not write (the `smpp` package's own ESME) and against raw
// bytes: it must answer or disconnect, and keep serving everyone else.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { PduFramer } from './framer.js';
import { decodePdu, encodePdu, textField, type Pdu } from './pdu.js';
import { SmscSimulator } from './simulator.js';

async function startSim(t: TestContext, options: ConstructorParameters<typeof SmscSimulator>[0] = {}) {
  const sim = new SmscSimulator({ accounts: [{ systemId: 'hotline', password: 'secret' }], ...options });
  const port = await sim.start();
  t.after(() => sim.stop());
  return { sim, port };
}

/** A raw TCP peer that collects decoded PDUs and notices the close. */
async function rawPeer(t: TestContext, port: number) {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  t.after(() => socket.destroy());
  await new Promise((r) => socket.once('connect', r));
  const framer = new PduFramer(16384);
  const received: Pdu[] = [];
  let closed = false;
  socket.on('data', (chunk: Buffer) => received.push(...framer.push(chunk).frames.map(decodePdu)));
  socket.on('close', () => (closed = true));
  const next = async (timeoutMs = 1000): Promise<Pdu> => {
    const end = performance.now() + timeoutMs;
    while (received.length === 0) {
      if (performance.now() > end) throw new Error('no PDU');
      await new Promise((r) => setTimeout(r, 5));
    }
    return received.shift()!;
  };
  const waitClosed = async (timeoutMs = 1500) => {
    const end = performance.now() + timeoutMs;
    while (!closed) {
      if (performance.now() > end) throw new Error('not closed');
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { socket, next, waitClosed, isClosed: () => closed };
}

const bindPdu = (password = 'secret', sequence = 1) =>
  encodePdu({
    command: 'bind_transceiver',
    sequence,
    fields: { system_id: 'hotline', password, interface_version: 0x34 },
  });

test('binds are checked: wrong password 0x0e, unknown system_id 0x0f, both then closed', async (t) => {
  const { sim, port } = await startSim(t);
  const a = await rawPeer(t, port);
  a.socket.write(bindPdu('nope'));
  assert.equal((await a.next()).status, 0x0e);
  await a.waitClosed();
  const b = await rawPeer(t, port);
  b.socket.write(
    encodePdu({ command: 'bind_transmitter', sequence: 1, fields: { system_id: 'who', password: 'x' } }),
  );
  assert.equal((await b.next()).status, 0x0f);
  await b.waitClosed();
  assert.equal(sim.counts.bindsRefused, 2);
});

test('submit before bind is refused with 0x04; a second bind with 0x05', async (t) => {
  const { port } = await startSim(t);
  const p = await rawPeer(t, port);
  p.socket.write(
    encodePdu({
      command: 'submit_sm',
      sequence: 7,
      fields: { destination_addr: '1', short_message: Buffer.from('x') },
    }),
  );
  const refused = await p.next();
  assert.deepEqual([refused.command, refused.status, refused.sequence], ['submit_sm_resp', 0x04, 7]);
  p.socket.write(bindPdu());
  assert.equal((await p.next()).status, 0);
  p.socket.write(bindPdu('secret', 2));
  assert.equal((await p.next()).status, 0x05);
});

test('malformed input from a client: generic_nack and close, or nack and carry on; never a crash', async (t) => {
  const { sim, port } = await startSim(t);
  const cases: { name: string; bytes: Buffer; nack: number; closes: boolean }[] = [
    { name: 'non-SMPP bytes', bytes: Buffer.from('GET / HTTP/1.1\r\n\r\n'), nack: 0x02, closes: true },
    {
      name: 'length below 16',
      bytes: Buffer.from([0, 0, 0, 2, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 9]),
      nack: 0x02,
      closes: true,
    },
    {
      name: 'length above max',
      bytes: Buffer.from([0, 1, 0, 0, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 9]),
      nack: 0x02,
      closes: true,
    },
    {
      name: 'unknown command id',
      bytes: Buffer.from([0, 0, 0, 16, 0, 0, 0x0f, 0xff, 0, 0, 0, 0, 0, 0, 0, 9]),
      nack: 0x03,
      closes: false,
    },
  ];
  for (const c of cases) {
    const p = await rawPeer(t, port);
    p.socket.write(c.bytes);
    const nack = await p.next();
    assert.deepEqual([nack.command, nack.status], ['generic_nack', c.nack], c.name);
    if (c.closes) await p.waitClosed();
    else {
      p.socket.write(encodePdu({ command: 'enquire_link', sequence: 10 }));
      assert.equal((await p.next()).command, 'enquire_link_resp', c.name);
      assert.equal(p.isClosed(), false);
    }
  }
  // A PDU cut short by the client hanging up.
  const cut = await rawPeer(t, port);
  cut.socket.end(bindPdu().subarray(0, 20));
  await cut.waitClosed();
  // Still serving.
  const ok = await rawPeer(t, port);
  ok.socket.write(bindPdu());
  assert.equal((await ok.next()).status, 0);
  assert.ok(sim.counts.violations >= 4);
});

test('interop: the smpp package ESME binds, submits, receives its receipt and an MO', async (t) => {
  const { sim, port } = await startSim(t);
  const smpp = createRequire(import.meta.url)('smpp');
  const session = smpp.connect({ host: '127.0.0.1', port });
  session.on('error', () => {});
  t.after(() => session.destroy());
  await new Promise((r) => session.on('connect', r));
  const delivers: any[] = [];
  session.on('deliver_sm', (pdu: any) => {
    session.send(pdu.response());
    delivers.push(pdu);
  });
  const call = (command: string, fields: object) =>
    new Promise<any>((resolve) => session[command](fields, (pdu: any) => resolve(pdu)));
  assert.equal(
    (await call('bind_transceiver', { system_id: 'hotline', password: 'secret' })).command_status,
    0,
  );
  const resp = await call('submit_sm', {
    destination_addr: '447900001234',
    source_addr: 'Hotline',
    registered_delivery: 1,
    short_message: 'Hello from node-smpp',
  });
  assert.equal(resp.command_status, 0);
  assert.match(resp.message_id, /^[0-9A-F]{8}$/);
  assert.deepEqual(sim.submits[0]?.shortMessage, Buffer.from('Hello from node-smpp'));
  assert.equal((await call('enquire_link', {})).command, 'enquire_link_resp');
  assert.equal(
    await sim.sendMo({
      source: '447900000042',
      destination: 'Hotline',
      shortMessage: Buffer.from('Hi back'),
    }),
    true,
  );
  const end = performance.now() + 2000;
  while ((delivers.length < 2 || sim.counts.deliverSmResps < 2) && performance.now() < end) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const receipt = delivers.find((d) => d.esm_class === 0x04);
  const mo = delivers.find((d) => d.esm_class === 0);
  assert.equal(receipt?.receipted_message_id, resp.message_id);
  assert.equal(receipt?.message_state, 2);
  assert.match(
    receipt?.short_message.message,
    new RegExp(`^id:${resp.message_id} sub:001 dlvrd:001 .* stat:DELIVRD err:000 text:Hello from node-smpp$`),
  );
  assert.equal(mo?.short_message.message, 'Hi back');
  assert.equal(sim.counts.deliverSmResps, 2);
  const unbind = await call('unbind', {});
  assert.equal(unbind.command, 'unbind_resp');
});

test('counts and the window measurement reset', async (t) => {
  const { sim, port } = await startSim(t);
  const p = await rawPeer(t, port);
  p.socket.write(bindPdu());
  await p.next();
  p.socket.write(
    encodePdu({
      command: 'submit_sm',
      sequence: 2,
      fields: { destination_addr: '447900001234', short_message: Buffer.from('x') },
    }),
  );
  const resp = await p.next();
  assert.equal(textField(resp, 'message_id'), sim.submits[0]?.messageId);
  assert.deepEqual([sim.counts.submits, sim.maxInFlight], [1, 1]);
  sim.resetCounts();
  assert.deepEqual([sim.counts.submits, sim.maxInFlight], [0, 0]);
});
