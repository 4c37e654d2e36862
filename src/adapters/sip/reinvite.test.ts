import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerReInvite, readLocalSdp } from './reinvite.js';

const offer = (direction: string, address = '192.0.2.7'): string =>
  [
    'v=0',
    'o=phone 1 2 IN IP4 192.0.2.7',
    's=-',
    `c=IN IP4 ${address}`,
    't=0 0',
    'm=audio 4000 RTP/AVP 0 101',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    ...(direction === '' ? [] : [`a=${direction}`]),
    '',
  ].join('\r\n');

const local = { host: '192.0.2.1', sessionId: 77, version: 77 };

test('a hold offer is answered with the mirrored direction and a new version', () => {
  for (const [dir, answer, held] of [
    ['sendonly', 'recvonly', true],
    ['inactive', 'inactive', true],
    ['recvonly', 'sendonly', false],
    ['sendrecv', 'sendrecv', false],
    ['', 'sendrecv', false],
  ] as const) {
    const a = answerReInvite(offer(dir), local, 20000);
    assert.ok(!('error' in a));
    assert.equal(a.held, held, dir);
    assert.match(a.sdp, new RegExp(`\\r\\na=${answer}\\r\\n`), dir);
    assert.equal(a.sdp.match(/^a=(sendrecv|sendonly|recvonly|inactive)/gm)?.length, 1);
    assert.match(a.sdp, /^o=hotline 77 78 IN IP4 192\.0\.2\.1\r$/m);
    assert.match(a.sdp, /^m=audio 20000 RTP\/AVP 0 101\r$/m);
    assert.deepEqual(a.local, { ...local, version: 78 });
  }
});

test('the old hold (c=0.0.0.0) is a hold too; an offer without audio cannot be answered', () => {
  const a = answerReInvite(offer('', '0.0.0.0'), local, 20000);
  assert.ok(!('error' in a) && a.held);
  assert.ok('error' in answerReInvite('v=0\r\n', local, 20000));
});

test('our own description is read back from its origin line', () => {
  assert.deepEqual(readLocalSdp('v=0\r\no=hotline 5 9 IN IP4 10.0.0.1\r\ns=x\r\n'), {
    host: '10.0.0.1',
    sessionId: 5,
    version: 9,
  });
  assert.equal(readLocalSdp('v=0\r\n'), undefined);
});
