// The four RFC 3261 17 state machines on their own: inputs with `now`, outputs as actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SipRequest, SipResponse } from '../message.js';
import { headerValue } from '../message.js';
import { ClientInviteMachine } from './client-invite.js';
import { ClientNonInviteMachine } from './client-non-invite.js';
import { buildResponse } from './messages.js';
import { ServerInviteMachine } from './server-invite.js';
import { ServerNonInviteMachine } from './server-non-invite.js';
import { DEFAULT_TIMERS, type TransactionAction } from './timers.js';

function request(method: string): SipRequest {
  return {
    kind: 'request',
    method,
    uri: 'sip:queue@hotline.test',
    version: 'SIP/2.0',
    headers: [
      { name: 'Via', value: 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKmachine1;rport' },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: '<sip:caller@example.test>;tag=abc' },
      { name: 'To', value: '<sip:queue@hotline.test>' },
      { name: 'Call-ID', value: 'machine-call-1' },
      { name: 'CSeq', value: `7 ${method}` },
      { name: 'Route', value: '<sip:proxy.example.test;lr>' },
    ],
    body: Buffer.alloc(0),
  };
}

const invite = request('INVITE');
const reply = (status: number): SipResponse => buildResponse(invite, status, '', { toTag: 'srv' });
const kinds = (actions: TransactionAction[]) =>
  actions.map((a) => (a.kind === 'arm' || a.kind === 'disarm' ? `${a.kind} ${a.timer}` : a.kind));

test('client INVITE: A is armed only over UDP, B always at 64*T1', () => {
  const udp = new ClientInviteMachine(invite, false, DEFAULT_TIMERS).start(1000);
  assert.deepEqual(udp.slice(1), [
    { kind: 'arm', timer: 'A', at: 1500 },
    { kind: 'arm', timer: 'B', at: 33000 },
  ]);
  const tcp = new ClientInviteMachine(invite, true, DEFAULT_TIMERS).start(1000);
  assert.deepEqual(kinds(tcp), ['send', 'arm B']);
});

test('client INVITE: a non-2xx final is ACKed with the INVITE Via, Route, CSeq number and the To tag', () => {
  const m = new ClientInviteMachine(invite, false, DEFAULT_TIMERS);
  m.start(0);
  const out = m.receive(reply(486), 100);
  assert.deepEqual(kinds(out), ['disarm A', 'disarm B', 'send', 'deliver', 'arm D']);
  const ack = (out[2] as { message: SipRequest }).message;
  assert.equal(ack.method, 'ACK');
  assert.equal(ack.uri, invite.uri);
  assert.equal(headerValue(ack, 'Via'), headerValue(invite, 'Via'));
  assert.equal(headerValue(ack, 'CSeq'), '7 ACK');
  assert.equal(headerValue(ack, 'To'), '<sip:queue@hotline.test>;tag=srv');
  assert.equal(headerValue(ack, 'Route'), '<sip:proxy.example.test;lr>');
  assert.equal(m.state, 'completed');
  assert.deepEqual(kinds(m.receive(reply(486), 200)), ['send'], 'a retransmitted final gets the ACK again');
  assert.deepEqual(kinds(m.fire('D', 32100)), ['terminate']);
});

test('client INVITE over TCP terminates right after ACKing (Timer D = 0)', () => {
  const m = new ClientInviteMachine(invite, true, DEFAULT_TIMERS);
  m.start(0);
  assert.deepEqual(kinds(m.receive(reply(603), 5)).slice(-3), ['send', 'deliver', 'terminate']);
});

test('client INVITE: 2xx moves to Accepted, later 2xx still reach the TU, M ends it', () => {
  const m = new ClientInviteMachine(invite, false, DEFAULT_TIMERS);
  m.start(0);
  assert.deepEqual(kinds(m.receive(reply(180), 10)), ['disarm A', 'disarm B', 'deliver']);
  assert.deepEqual(m.fire('B', 32000), [], 'B no longer applies in Proceeding');
  assert.deepEqual(kinds(m.receive(reply(200), 20)), ['disarm A', 'disarm B', 'deliver', 'arm M']);
  assert.equal(m.state, 'accepted');
  assert.deepEqual(kinds(m.receive(reply(200), 30)), ['deliver']);
  assert.deepEqual(kinds(m.fire('M', 32020)), ['terminate']);
});

test('client INVITE: a transport error fails the transaction only while it waits', () => {
  const m = new ClientInviteMachine(invite, false, DEFAULT_TIMERS);
  m.start(0);
  assert.deepEqual(m.transportError(), [{ kind: 'fail', reason: 'transport' }, { kind: 'terminate' }]);
  assert.deepEqual(m.transportError(), []);
});

test('client non-INVITE: E doubles to T2 in Trying and stays at T2 in Proceeding', () => {
  const m = new ClientNonInviteMachine(request('OPTIONS'), false, DEFAULT_TIMERS);
  m.start(0);
  const next = (now: number) => (m.fire('E', now)[1] as { at: number }).at;
  assert.equal(next(500), 1500);
  assert.equal(next(1500), 3500);
  assert.equal(next(3500), 7500);
  assert.equal(next(7500), 11500, 'capped at T2');
  m.receive(buildResponse(request('OPTIONS'), 100), 8000);
  assert.equal(next(11500), 15500);
  assert.deepEqual(kinds(m.receive(buildResponse(request('OPTIONS'), 200), 12000)), [
    'disarm E',
    'disarm F',
    'deliver',
    'arm K',
  ]);
  assert.deepEqual(m.receive(buildResponse(request('OPTIONS'), 200), 12001), [], 'retransmission absorbed');
  assert.deepEqual(kinds(m.fire('K', 17000)), ['terminate']);
});

test('server INVITE: 100 Trying after the delay unless the TU answered first', () => {
  const m = new ServerInviteMachine(invite, false, DEFAULT_TIMERS);
  assert.deepEqual(m.start(0), [
    { kind: 'deliver', message: invite },
    { kind: 'arm', timer: 'Trying', at: 200 },
  ]);
  const trying = m.fire('Trying', 200);
  assert.equal((trying[1] as { message: SipResponse }).message.status, 100);
  assert.equal(
    headerValue((trying[1] as { message: SipResponse }).message, 'To'),
    '<sip:queue@hotline.test>',
  );
  const quick = new ServerInviteMachine(invite, false, DEFAULT_TIMERS);
  quick.start(0);
  quick.respond(reply(180), 50);
  assert.deepEqual(quick.fire('Trying', 200), []);
});

test('server INVITE: a 2xx leaves the transaction Accepted; INVITE retransmissions are absorbed', () => {
  const m = new ServerInviteMachine(invite, true, DEFAULT_TIMERS);
  m.start(0);
  assert.deepEqual(kinds(m.respond(reply(200), 10)), ['disarm Trying', 'send', 'arm L']);
  assert.deepEqual(m.receive(invite, 20), []);
  assert.deepEqual(kinds(m.respond(reply(200), 500)), ['send'], 'the TU retransmits its 2xx through us');
  assert.deepEqual(m.respond(reply(486), 600), [], 'no other response after a 2xx');
  assert.deepEqual(kinds(m.fire('L', 32010)), ['terminate']);
});

test('server non-INVITE: absorbed in Trying, answered again once answered, J only over UDP', () => {
  const options = request('OPTIONS');
  const udp = new ServerNonInviteMachine(options, false, DEFAULT_TIMERS);
  udp.start(0);
  assert.deepEqual(udp.receive(options, 10), []);
  assert.deepEqual(kinds(udp.respond(buildResponse(options, 200), 20)), ['send', 'arm J']);
  assert.deepEqual(kinds(udp.receive(options, 30)), ['send']);
  assert.deepEqual(udp.respond(buildResponse(options, 500), 40), [], 'one final response only');
  assert.deepEqual(kinds(udp.fire('J', 32020)), ['terminate']);
  const tcp = new ServerNonInviteMachine(options, true, DEFAULT_TIMERS);
  tcp.start(0);
  assert.deepEqual(kinds(tcp.respond(buildResponse(options, 200), 20)), ['send', 'terminate']);
});
