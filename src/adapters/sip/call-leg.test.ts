// A re-INVITE answered on a leg: the 2xx is resent (T1 doubling to T2) until its ACK; without an
// ACK for 64*T1 the call ends with a BYE (RFC 3261 13.3.1.4), on a manual clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MediaChannel } from '../../services/calls/ports.js';
import { SipCallLeg } from './call-leg.js';
import { buildAckFor2xx, dialogFromInvite, type Dialog } from './dialog.js';
import type { SipEndpoint } from './endpoint.js';
import type { SipMessage, SipRequest } from './message.js';
import type { SipSource } from './transport.js';
import { TransactionLayer } from './transactions/layer.js';
import { ManualScheduler } from './transactions/manual-scheduler.js';

const PHONE: SipSource = { protocol: 'udp', address: '192.0.2.7', port: 40000 };
const SDP = (dir: string): string =>
  [
    'v=0',
    'o=p 1 2 IN IP4 192.0.2.7',
    's=-',
    'c=IN IP4 192.0.2.7',
    't=0 0',
    'm=audio 4000 RTP/AVP 0',
    'a=rtpmap:0 PCMU/8000',
    `a=${dir}`,
    '',
  ].join('\r\n');

function invite(seq: number, branch: string, body = ''): SipRequest {
  return {
    kind: 'request',
    method: 'INVITE',
    uri: 'sip:hotline@198.51.100.1',
    version: 'SIP/2.0',
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK${branch}` },
      { name: 'From', value: '<sip:caller@example.test>;tag=caller-tag' },
      { name: 'To', value: `<sip:hotline@198.51.100.1>${seq > 1 ? ';tag=our-tag' : ''}` },
      { name: 'Call-ID', value: 'leg-1' },
      { name: 'CSeq', value: `${seq} INVITE` },
      { name: 'Contact', value: '<sip:caller@192.0.2.7:5060>' },
      ...(body === '' ? [] : [{ name: 'Content-Type', value: 'application/sdp' }]),
    ],
    body: Buffer.from(body),
  };
}

/** A media channel that only takes addresses and codecs (no sockets). */
const media = {
  localPort: 20000,
  setRemote: () => undefined,
  setCodec: () => undefined,
  stopPlayback: () => undefined,
  close: () => undefined,
} as unknown as MediaChannel;

function setup() {
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
  const made = dialogFromInvite(invite(1, 'first'), 'our-tag', 'sip:hotline@198.51.100.1:5060', PHONE);
  assert.ok(made.ok);
  const dialog: Dialog = made.value;
  const byes: string[] = [];
  const endpoint = {
    request: (req: SipRequest) => {
      byes.push(req.method);
      return Promise.resolve({});
    },
  } as unknown as SipEndpoint;
  const leg = new SipCallLeg(
    { dialog, stop: () => undefined, receiveAck: () => false },
    media,
    endpoint,
    () => undefined,
    SDP('sendrecv').replace('192.0.2.7', '198.51.100.1'),
    () => undefined,
    clock,
  );
  const reInvite = (seq: number) => {
    const routed = layer.receiveRequest(invite(seq, `re${seq}`, SDP('sendonly')), PHONE);
    assert.equal(routed.kind, 'new');
    if (routed.kind !== 'new') throw new Error('unreachable');
    leg.receiveReInvite(routed.transaction);
  };
  const oks = () =>
    sent.filter((s) => s.message.kind === 'response' && s.message.status === 200).map((s) => s.at);
  return { clock, leg, dialog, byes, reInvite, oks };
}

test('the 2xx to a re-INVITE is resent until the ACK comes', () => {
  const { clock, leg, dialog, byes, reInvite, oks } = setup();
  reInvite(2);
  clock.advance(2000);
  assert.deepEqual(oks(), [0, 500, 1500]);
  leg.receiveAck(buildAckFor2xx({ ...dialog, role: 'uac', localTag: 'caller-tag', remoteTag: 'our-tag' }, 2));
  clock.advance(64 * 500);
  assert.deepEqual(oks(), [0, 500, 1500]);
  assert.deepEqual(byes, []);
});

test('no ACK for 64*T1: the call is given up with a BYE', () => {
  const { clock, byes, reInvite, oks } = setup();
  reInvite(2);
  clock.advance(64 * 500);
  assert.deepEqual(oks(), [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  assert.deepEqual(byes, ['BYE']);
});
