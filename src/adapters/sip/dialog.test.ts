// Dialogs: state from INVITE and 2xx, in-dialog requests and routing, matching, CSeq checks, the
// 2xx retransmission schedule on a manual clock, hold SDP; then a whole call between two
// endpoints over UDP on 127.0.0.1: INVITE → 200 → ACK → BYE → 200.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildAckFor2xx,
  buildInDialogRequest,
  DialogTable,
  dialogFromInvite,
  dialogFromResponse,
  nextHop,
  receiveInDialog,
  type Dialog,
} from './dialog.js';
import { mediaDirection, withDirection } from './dialog-sdp.js';
import { acceptInvite, type AcceptedInvite } from './dialog-uas.js';
import { SipEndpoint } from './endpoint.js';
import { headerValue, headerValues, type SipMessage, type SipRequest } from './message.js';
import type { SipSource } from './transport.js';
import { TransactionLayer } from './transactions/layer.js';
import { ManualScheduler } from './transactions/manual-scheduler.js';
import { buildResponse } from './transactions/messages.js';
import { realScheduler } from './transactions/timers.js';

const CALLER: SipSource = { protocol: 'udp', address: '192.0.2.7', port: 40000 };

function invite(extra: [string, string][] = []): SipRequest {
  return {
    kind: 'request',
    method: 'INVITE',
    uri: 'sip:agent@hotline.test',
    version: 'SIP/2.0',
    headers: [
      { name: 'Via', value: 'SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKdialog1' },
      { name: 'Record-Route', value: '<sip:p2.example.test;lr>, <sip:p1.example.test;lr>' },
      { name: 'From', value: '"Caller" <sip:caller@example.test>;tag=caller-tag' },
      { name: 'To', value: '<sip:agent@hotline.test>' },
      { name: 'Call-ID', value: 'call-1' },
      { name: 'CSeq', value: '10 INVITE' },
      { name: 'Contact', value: '<sip:caller@192.0.2.7:5060>' },
      ...extra.map(([name, value]) => ({ name, value })),
    ],
    body: Buffer.alloc(0),
  };
}

function uasDialog(): Dialog {
  const made = dialogFromInvite(invite(), 'agent-tag', 'sip:hotline@198.51.100.1:5060', CALLER);
  assert.ok(made.ok);
  return made.value;
}

test('UAS dialog: id, route set in Record-Route order, remote target from Contact', () => {
  const d = uasDialog();
  assert.deepEqual(
    [d.callId, d.localTag, d.remoteTag, d.remoteSeq, d.localSeq],
    ['call-1', 'agent-tag', 'caller-tag', 10, 0],
  );
  assert.deepEqual(d.routeSet, ['<sip:p2.example.test;lr>', '<sip:p1.example.test;lr>']);
  assert.equal(d.remoteTarget, 'sip:caller@192.0.2.7:5060');
  const bye = buildInDialogRequest(d, 'BYE');
  assert.equal(bye.uri, 'sip:caller@192.0.2.7:5060');
  assert.deepEqual(headerValues(bye, 'Route'), ['<sip:p2.example.test;lr>', '<sip:p1.example.test;lr>']);
  assert.equal(headerValue(bye, 'From'), '<sip:agent@hotline.test>;tag=agent-tag');
  assert.equal(headerValue(bye, 'To'), '"Caller" <sip:caller@example.test>;tag=caller-tag');
  assert.equal(headerValue(bye, 'CSeq'), '1 BYE');
  assert.equal(headerValue(buildInDialogRequest(d, 'INFO'), 'CSeq'), '2 INFO');
  // With a route set the first route is the next hop; without one, the INVITE's source.
  assert.deepEqual(nextHop(d), { protocol: 'udp', address: 'p2.example.test', port: 5060 });
  assert.deepEqual(nextHop({ ...d, routeSet: [] }), CALLER);
});

test('UAC dialog: route set reversed, ACK with the INVITE CSeq, BYE with the next one', () => {
  const req = invite();
  req.headers = req.headers.filter((h) => h.name !== 'Record-Route');
  const ok = buildResponse(req, 200, 'OK', {
    toTag: 'agent-tag',
    headers: [
      { name: 'Record-Route', value: '<sip:p1.example.test;lr>, <sip:p2.example.test;lr;transport=tcp>' },
      { name: 'Contact', value: '<sip:agent@203.0.113.5:5070>' },
    ],
  });
  const made = dialogFromResponse(req, ok, 'sip:caller@192.0.2.7:5060');
  assert.ok(made.ok);
  const d = made.value;
  assert.deepEqual([d.localTag, d.remoteTag, d.localSeq], ['caller-tag', 'agent-tag', 10]);
  assert.deepEqual(d.routeSet, ['<sip:p2.example.test;lr;transport=tcp>', '<sip:p1.example.test;lr>']);
  const ack = buildAckFor2xx(d, 10);
  assert.equal(ack.uri, 'sip:agent@203.0.113.5:5070');
  assert.equal(headerValue(ack, 'CSeq'), '10 ACK');
  assert.equal(headerValue(ack, 'To'), '<sip:agent@hotline.test>;tag=agent-tag');
  assert.equal(headerValue(buildInDialogRequest(d, 'BYE'), 'CSeq'), '11 BYE');
  assert.deepEqual(nextHop(d), { protocol: 'tcp', address: 'p2.example.test', port: 5060 });
});

test('a strict first route takes the Request-URI; the remote target goes last in Route', () => {
  const d = { ...uasDialog(), routeSet: ['<sip:strict.example.test>', '<sip:p1.example.test;lr>'] };
  const bye = buildInDialogRequest(d, 'BYE');
  assert.equal(bye.uri, 'sip:strict.example.test');
  assert.deepEqual(headerValues(bye, 'Route'), ['<sip:p1.example.test;lr>', '<sip:caller@192.0.2.7:5060>']);
});

test('re-INVITE for hold: our Contact, SDP with sendonly, the o= version raised', () => {
  const d = uasDialog();
  const offer =
    'v=0\r\no=- 42 7 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\n' +
    'a=sendrecv\r\nm=audio 20000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n';
  const hold = withDirection(offer, 'sendonly');
  assert.equal(mediaDirection(hold), 'sendonly');
  assert.match(hold, /^o=- 42 8 IN IP4/m);
  assert.equal(hold.match(/a=(sendrecv|sendonly|recvonly|inactive)/g)?.length, 1);
  assert.equal(mediaDirection(withDirection(hold, 'inactive')), 'inactive');
  assert.equal(mediaDirection(offer), 'sendrecv');
  const reinvite = buildInDialogRequest(d, 'INVITE', { body: Buffer.from(hold) });
  assert.equal(headerValue(reinvite, 'Contact'), '<sip:hotline@198.51.100.1:5060>');
  assert.equal(headerValue(reinvite, 'Content-Type'), 'application/sdp');
  assert.equal(reinvite.body.toString(), hold);
});

test('in-dialog requests: matched by Call-ID and tags; old CSeq 500; re-INVITE refreshes the target', () => {
  const d = uasDialog();
  const table = new DialogTable();
  table.add(d);
  const fromPeer = (method: string, seq: number, toTag = 'agent-tag'): SipRequest => ({
    ...invite([]),
    method,
    headers: [
      { name: 'From', value: '<sip:caller@example.test>;tag=caller-tag' },
      { name: 'To', value: `<sip:agent@hotline.test>;tag=${toTag}` },
      { name: 'Call-ID', value: 'call-1' },
      { name: 'CSeq', value: `${seq} ${method}` },
      { name: 'Contact', value: '<sip:caller@192.0.2.99:5080>' },
    ],
  });
  assert.equal(table.match(fromPeer('BYE', 11)), d);
  assert.equal(table.match(fromPeer('BYE', 11, 'other')), undefined);
  assert.equal(table.match(invite()), undefined);
  assert.deepEqual(receiveInDialog(d, fromPeer('INFO', 9)), {
    ok: false,
    status: 500,
    reason: 'CSeq Out Of Order',
  });
  assert.deepEqual(receiveInDialog(d, fromPeer('INVITE', 11)), { ok: true });
  assert.equal(d.remoteTarget, 'sip:caller@192.0.2.99:5080');
  assert.deepEqual(receiveInDialog(d, fromPeer('ACK', 11)), { ok: true });
  assert.deepEqual(receiveInDialog(d, fromPeer('BYE', 12)), { ok: true });
  assert.equal(d.state, 'terminated');
  table.remove(d);
  assert.equal(table.size, 0);
});

function serverSide() {
  const clock = new ManualScheduler();
  const sent: { at: number; message: SipMessage }[] = [];
  const layer = new TransactionLayer({
    scheduler: clock,
    timers: {},
    send: (message) => {
      sent.push({ at: clock.now(), message });
      return Promise.resolve();
    },
  });
  const routed = layer.receiveRequest(invite(), CALLER);
  assert.equal(routed.kind, 'new');
  if (routed.kind !== 'new') throw new Error('unreachable');
  return { clock, sent, tx: routed.transaction };
}

test('2xx retransmitted at T1, doubling to T2, until 64*T1; then the owner is told to BYE', () => {
  const { clock, sent, tx } = serverSide();
  const timedOut: Dialog[] = [];
  const call = acceptInvite(tx, {
    contact: 'sip:hotline@198.51.100.1:5060',
    body: Buffer.from('v=0\r\n'),
    scheduler: clock,
    onAckTimeout: (d) => timedOut.push(d),
  });
  assert.ok(call);
  const ok = sent[0]?.message;
  assert.ok(ok?.kind === 'response' && ok.status === 200);
  assert.match(headerValue(ok, 'To') ?? '', /;tag=/);
  assert.equal(headerValue(ok, 'Contact'), '<sip:hotline@198.51.100.1:5060>');
  assert.equal(headerValue(ok, 'Record-Route'), '<sip:p2.example.test;lr>, <sip:p1.example.test;lr>');
  assert.equal(headerValue(ok, 'Content-Type'), 'application/sdp');
  clock.advance(64 * 500);
  const expected = [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500];
  assert.deepEqual(
    sent.map((s) => s.at),
    expected,
  );
  assert.deepEqual(timedOut, [call.dialog]);
  assert.ok(call.settled);
});

test('the ACK stops the 2xx retransmissions; an ACK with another CSeq does not', () => {
  const { clock, sent, tx } = serverSide();
  const call: AcceptedInvite | undefined = acceptInvite(tx, {
    contact: 'sip:h@198.51.100.1',
    scheduler: clock,
  });
  assert.ok(call);
  clock.advance(600);
  assert.equal(sent.length, 2);
  const ack = buildAckFor2xx({ ...call.dialog, role: 'uac' }, 10);
  assert.equal(
    call.receiveAck({
      ...ack,
      headers: ack.headers.map((h) => (h.name === 'CSeq' ? { ...h, value: '9 ACK' } : h)),
    }),
    false,
  );
  assert.equal(call.receiveAck(ack), true);
  clock.advance(64 * 500);
  assert.equal(sent.length, 2);
});

test('a call between two endpoints over UDP: INVITE → 200 → ACK → BYE → 200', async () => {
  const agent = await SipEndpoint.start({ udp: { port: 0 }, tcp: false, protection: false });
  const caller = await SipEndpoint.start({ udp: { port: 0 }, tcp: false, protection: false });
  try {
    const agentAt = agent.local('udp');
    const callerAt = caller.local('udp');
    const dialogs = new DialogTable();
    const pending = new Map<Dialog, AcceptedInvite>();
    const events: string[] = [];
    let acked!: () => void;
    const ackReceived = new Promise<void>((resolve) => (acked = resolve));
    agent.onRequest((tx) => {
      const inDialog = dialogs.match(tx.request);
      if (inDialog !== undefined) {
        const verdict = receiveInDialog(inDialog, tx.request);
        events.push(`agent got ${tx.method}`);
        if (!verdict.ok) tx.respond(verdict.status, verdict.reason);
        else tx.respond(200);
        if (inDialog.state === 'terminated') dialogs.remove(inDialog);
        return;
      }
      if (tx.method !== 'INVITE') return false;
      const call = acceptInvite(tx, {
        contact: `sip:agent@${agentAt.address}:${agentAt.port}`,
        scheduler: realScheduler,
      });
      if (call === undefined) return;
      dialogs.add(call.dialog);
      pending.set(call.dialog, call);
    });
    agent.onAck((ack) => {
      const d = dialogs.match(ack);
      if (d !== undefined && pending.get(d)?.receiveAck(ack)) {
        events.push('agent got ACK');
        acked();
      }
    });

    const req: SipRequest = {
      kind: 'request',
      method: 'INVITE',
      uri: `sip:agent@${agentAt.address}:${agentAt.port}`,
      version: 'SIP/2.0',
      headers: [
        { name: 'From', value: `<sip:caller@${callerAt.address}>;tag=c1` },
        { name: 'To', value: `<sip:agent@${agentAt.address}>` },
        { name: 'Call-ID', value: 'udp-call-1' },
        { name: 'CSeq', value: '1 INVITE' },
        { name: 'Contact', value: `<sip:caller@${callerAt.address}:${callerAt.port}>` },
      ],
      body: Buffer.alloc(0),
    };
    const ok = await caller.request(req, { protocol: 'udp', ...agentAt });
    assert.equal(ok.status, 200);
    const made = dialogFromResponse(req, ok, `sip:caller@${callerAt.address}:${callerAt.port}`);
    assert.ok(made.ok);
    const d = made.value;
    const hop = nextHop(d);
    assert.deepEqual(hop, { protocol: 'udp', address: agentAt.address, port: agentAt.port });
    await caller.sendAck(buildAckFor2xx(d, 1), hop);
    await ackReceived;
    const bye = await caller.request(buildInDialogRequest(d, 'BYE'), hop);
    assert.equal(bye.status, 200);
    assert.deepEqual(events, ['agent got ACK', 'agent got BYE']);
    assert.equal(dialogs.size, 0);
  } finally {
    await Promise.all([agent.close(), caller.close()]);
  }
});
