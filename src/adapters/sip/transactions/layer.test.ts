// The transaction layer driven by a manual clock: retransmission schedules to the millisecond,
// absorption of retransmissions, ACK and CANCEL matching, RFC 2543 fallback matching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headerValue, type SipMessage, type SipRequest, type SipResponse } from '../message.js';
import type { SipSource, SipTarget } from '../transport.js';
import { TransactionLayer } from './layer.js';
import { ManualScheduler } from './manual-scheduler.js';
import { buildResponse } from './messages.js';
import type { TimerSettings } from './timers.js';

interface Sent {
  at: number;
  message: SipMessage;
  target: SipTarget;
}

function setup(timers: Partial<TimerSettings> = {}, fail = false) {
  const clock = new ManualScheduler();
  const sent: Sent[] = [];
  const layer = new TransactionLayer({
    scheduler: clock,
    timers,
    send: (message, target) => {
      sent.push({ at: clock.now(), message, target });
      return fail ? Promise.reject(new Error('unreachable')) : Promise.resolve();
    },
  });
  return { clock, sent, layer };
}

const UDP: SipSource = { protocol: 'udp', address: '192.0.2.7', port: 40000 };
const TCP: SipSource = { protocol: 'tcp', address: '192.0.2.7', port: 40001, connectionId: 'c1' };

function request(method: string, branch = 'z9hG4bKlayer1', extra: [string, string][] = []): SipRequest {
  return {
    kind: 'request',
    method,
    uri: 'sip:agent@hotline.test',
    version: 'SIP/2.0',
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP 192.0.2.7:5060${branch ? `;branch=${branch}` : ''}` },
      { name: 'From', value: '<sip:caller@example.test>;tag=f1' },
      { name: 'To', value: '<sip:agent@hotline.test>' },
      { name: 'Call-ID', value: 'layer-call' },
      { name: 'CSeq', value: `1 ${method}` },
      ...extra.map(([name, value]) => ({ name, value })),
    ],
    body: Buffer.alloc(0),
  };
}

const times = (sent: Sent[]) => sent.map((s) => s.at);
const statuses = (sent: Sent[]) => sent.map((s) => (s.message.kind === 'response' ? s.message.status : 0));

test('client INVITE over UDP: A doubles 500, 1000, 2000... until B at 64*T1 gives a local 408', async () => {
  const { clock, sent, layer } = setup();
  const tx = layer.sendRequest(request('INVITE'), UDP);
  const failures: string[] = [];
  tx.on('failed', (reason) => failures.push(reason));
  clock.advance(40000);
  assert.deepEqual(times(sent), [0, 500, 1500, 3500, 7500, 15500, 31500]);
  assert.deepEqual(failures, ['timeout']);
  const final = await tx.final;
  assert.equal(final.status, 408);
  assert.equal(tx.state, 'terminated');
  assert.deepEqual(layer.size, { server: 0, client: 0 });
  assert.equal(clock.armed, 0);
});

test('client INVITE: T1 is configurable and scales the whole schedule', () => {
  const { clock, sent, layer } = setup({ t1: 100 });
  layer.sendRequest(request('INVITE'), UDP);
  clock.advance(10000);
  assert.deepEqual(times(sent), [0, 100, 300, 700, 1500, 3100, 6300]);
});

test('client INVITE over TCP: no retransmissions, still a timeout at B', async () => {
  const { clock, sent, layer } = setup();
  const tx = layer.sendRequest(request('INVITE'), TCP);
  clock.advance(32000);
  assert.equal(sent.length, 1);
  assert.equal((await tx.final).status, 408);
});

test('client non-INVITE over UDP: E caps at T2 and F ends it at 64*T1', async () => {
  const { clock, sent, layer } = setup();
  const tx = layer.sendRequest(request('OPTIONS'), UDP);
  clock.advance(32000);
  assert.deepEqual(times(sent), [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  assert.equal((await tx.final).status, 408);
});

test('client non-INVITE: responses route by branch and method; the final settles; retransmits stop', async () => {
  const { clock, sent, layer } = setup();
  const req = request('OPTIONS');
  const tx = layer.sendRequest(req, UDP);
  const seen: number[] = [];
  tx.on('response', (r) => seen.push(r.status));
  clock.advance(600);
  assert.equal(layer.receiveResponse(buildResponse(req, 200)), true);
  assert.equal(layer.receiveResponse(buildResponse(req, 200)), true, 'retransmission absorbed in Completed');
  assert.equal(layer.receiveResponse(buildResponse(request('OPTIONS', 'z9hG4bKother'), 200)), false);
  clock.advance(10000);
  assert.equal(sent.length, 2);
  assert.deepEqual(seen, [200]);
  assert.equal((await tx.final).status, 200);
  assert.equal(tx.state, 'terminated', 'K = T4 passed');
});

test('server INVITE over UDP: 100 Trying at 200 ms, then G retransmits the final until H', () => {
  const { clock, sent, layer } = setup();
  const routed = layer.receiveRequest(request('INVITE'), UDP);
  assert.equal(routed.kind, 'new');
  const tx = routed.kind === 'new' ? routed.transaction : assert.fail();
  const failures: string[] = [];
  tx.on('failed', (r) => failures.push(r));
  clock.advance(1000);
  tx.respond(486, 'Busy Here');
  clock.advance(40000);
  assert.deepEqual(statuses(sent), [100, ...Array<number>(11).fill(486)]);
  assert.deepEqual(
    times(sent),
    [200, 1000, 1500, 2500, 4500, 8500, 12500, 16500, 20500, 24500, 28500, 32500],
  );
  assert.deepEqual(failures, ['timeout'], 'H fired without an ACK');
  assert.deepEqual(sent[0]!.target, UDP, 'symmetric response routing: back to the source port');
  assert.equal(layer.size.server, 0);
});

test('server INVITE: the ACK for a non-2xx is absorbed, stops G, and I ends the transaction', () => {
  const { clock, sent, layer } = setup();
  const routed = layer.receiveRequest(request('INVITE'), UDP);
  const tx = routed.kind === 'new' ? routed.transaction : assert.fail();
  tx.respond(486, 'Busy Here');
  const toTag = /tag=(\w+)/.exec(headerValue(sent[0]!.message, 'To')!)![1]!;
  clock.advance(600);
  const acked: SipRequest[] = [];
  tx.on('acknowledged', (ack) => acked.push(ack));
  const ack = request('ACK');
  ack.headers = ack.headers.map((h) => (h.name === 'To' ? { ...h, value: `${h.value};tag=${toTag}` } : h));
  assert.equal(layer.receiveRequest(ack, UDP).kind, 'absorbed');
  assert.equal(tx.state, 'confirmed');
  assert.equal(acked.length, 1);
  assert.equal(layer.receiveRequest(ack, UDP).kind, 'absorbed', 'a retransmitted ACK too');
  clock.advance(4999);
  assert.equal(sent.length, 2, 'one G retransmission before the ACK, none after');
  clock.advance(1);
  assert.equal(tx.state, 'terminated');
  assert.equal(layer.receiveRequest(ack, UDP).kind, 'ack', 'after I, an ACK matches nothing');
});

test('server INVITE: retransmitted INVITEs get the last response again (100 at once if none yet)', () => {
  const { clock, sent, layer } = setup();
  const invite = request('INVITE');
  const routed = layer.receiveRequest(invite, UDP);
  const tx = routed.kind === 'new' ? routed.transaction : assert.fail();
  assert.equal(layer.receiveRequest(invite, UDP).kind, 'absorbed');
  assert.deepEqual(statuses(sent), [100]);
  clock.advance(300);
  assert.equal(sent.length, 1, 'the Trying timer does not send a second 100');
  tx.respond(180, 'Ringing');
  layer.receiveRequest(invite, UDP);
  tx.respond(404, 'Not Found');
  layer.receiveRequest(invite, UDP);
  assert.deepEqual(statuses(sent), [100, 180, 180, 404, 404]);
  const tags = sent.slice(1).map((s) => /tag=(\w+)/.exec(headerValue(s.message, 'To')!)?.[1]);
  assert.equal(new Set(tags).size, 1, 'one To tag for every response of the transaction');
});

test('server non-INVITE over UDP: absorbed while the TU thinks, answered again after, J = 64*T1', () => {
  const { clock, sent, layer } = setup();
  const options = request('OPTIONS');
  const routed = layer.receiveRequest(options, UDP);
  const tx = routed.kind === 'new' ? routed.transaction : assert.fail();
  assert.equal(layer.receiveRequest(options, UDP).kind, 'absorbed');
  assert.equal(sent.length, 0);
  assert.equal(tx.respond(200), true);
  assert.equal(tx.respond(500), false);
  layer.receiveRequest(options, UDP);
  assert.deepEqual(statuses(sent), [200, 200]);
  clock.advance(31999);
  assert.equal(tx.state, 'completed');
  clock.advance(1);
  assert.equal(tx.state, 'terminated');
});

test('server transactions over TCP: no G retransmissions, and the ACK ends the INVITE at once', () => {
  const { clock, sent, layer } = setup();
  const routed = layer.receiveRequest(request('INVITE'), TCP);
  const tx = routed.kind === 'new' ? routed.transaction : assert.fail();
  tx.respond(486, 'Busy Here');
  clock.advance(3000);
  assert.deepEqual(statuses(sent), [486]);
  assert.equal(sent[0]!.target.connectionId, 'c1');
  assert.equal(sent[0]!.target.port, 5060, 'sent-by port, should the connection be gone');
  layer.receiveRequest(request('ACK'), TCP);
  assert.equal(tx.state, 'terminated');
});

test('CANCEL: 200 for the CANCEL, 487 for the INVITE; 481 when nothing matches', () => {
  const { sent, layer } = setup();
  const routed = layer.receiveRequest(request('INVITE'), UDP);
  const invite = routed.kind === 'new' ? routed.transaction : assert.fail();
  invite.respond(180, 'Ringing');
  const cancelled: SipRequest[] = [];
  invite.on('cancelled', (c) => cancelled.push(c));
  const cancel = layer.receiveRequest(request('CANCEL'), UDP);
  assert.equal(cancel.kind, 'new', 'CANCEL has a transaction of its own');
  assert.equal(layer.answerCancel(cancel.kind === 'new' ? cancel.transaction : assert.fail()), invite);
  assert.deepEqual(statuses(sent), [180, 200, 487]);
  const cseqs = sent.map((s) => headerValue(s.message, 'CSeq'));
  assert.deepEqual(cseqs, ['1 INVITE', '1 CANCEL', '1 INVITE']);
  assert.equal(headerValue(sent[1]!.message, 'To'), headerValue(sent[2]!.message, 'To'));
  assert.equal(cancelled.length, 1);
  assert.equal(invite.state, 'completed');
  const stray = layer.receiveRequest(request('CANCEL', 'z9hG4bKnothing'), UDP);
  layer.answerCancel(stray.kind === 'new' ? stray.transaction : assert.fail());
  assert.equal(statuses(sent).at(-1), 481);
});

test('CANCEL after the final response: 200 for the CANCEL, the INVITE keeps its answer', () => {
  const { sent, layer } = setup();
  const routed = layer.receiveRequest(request('INVITE'), UDP);
  const invite = routed.kind === 'new' ? routed.transaction : assert.fail();
  invite.respond(486, 'Busy Here');
  const cancel = layer.receiveRequest(request('CANCEL'), UDP);
  layer.answerCancel(cancel.kind === 'new' ? cancel.transaction : assert.fail());
  assert.deepEqual(statuses(sent), [486, 200]);
});

test('RFC 2543 requests (no magic cookie) match on Call-ID, CSeq, From tag, URI and Via', () => {
  const { sent, layer } = setup();
  const invite = request('INVITE', '');
  const routed = layer.receiveRequest(invite, UDP);
  const tx = routed.kind === 'new' ? routed.transaction : assert.fail();
  assert.equal(layer.receiveRequest(request('INVITE', ''), UDP).kind, 'absorbed');
  tx.respond(486, 'Busy Here');
  const ack = request('ACK', '', []);
  ack.headers = ack.headers.map((h) => (h.name === 'To' ? { ...h, value: `${h.value};tag=${tx.toTag}` } : h));
  assert.equal(layer.receiveRequest(ack, UDP).kind, 'absorbed');
  assert.equal(tx.state, 'confirmed');
  const other = request('INVITE', '');
  other.headers = other.headers.map((h) => (h.name === 'CSeq' ? { ...h, value: '2 INVITE' } : h));
  assert.equal(layer.receiveRequest(other, UDP).kind, 'new', 'another CSeq is another transaction');
  assert.deepEqual(statuses(sent), [100, 486]);
});

test('ACK for a 2xx has its own branch: it reaches the dialog, not the transaction', () => {
  const { layer } = setup();
  const routed = layer.receiveRequest(request('INVITE'), UDP);
  const tx = routed.kind === 'new' ? routed.transaction : assert.fail();
  tx.respond(200, 'OK');
  assert.equal(tx.state, 'accepted');
  assert.equal(layer.receiveRequest(request('ACK', 'z9hG4bKnewbranch'), UDP).kind, 'ack');
  const acks: SipRequest[] = [];
  tx.on('ack', (a) => acks.push(a));
  assert.equal(layer.receiveRequest(request('ACK'), UDP).kind, 'ack');
  assert.equal(acks.length, 1, 'an ACK reusing the INVITE branch goes up through the transaction');
});

test('a transport error fails a client transaction with a local 503', async () => {
  const { layer } = setup({}, true);
  const tx = layer.sendRequest(request('OPTIONS'), UDP);
  const res: SipResponse = await tx.final;
  assert.equal(res.status, 503);
  assert.equal(layer.size.client, 0);
});

test('a branch cannot start two client transactions', () => {
  const { layer } = setup();
  layer.sendRequest(request('OPTIONS'), UDP);
  assert.throws(() => layer.sendRequest(request('OPTIONS'), UDP), RangeError);
});
