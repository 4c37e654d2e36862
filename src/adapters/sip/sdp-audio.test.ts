import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAudioOffer, writeAudioAnswer } from './sdp-audio.js';

const offer = (m: string, extra = '') =>
  `v=0\r\no=a 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n${m}\r\n${extra}`;

test('an offer with PCMA first and telephone-event is answered in PCMA with its DTMF type', () => {
  const got = readAudioOffer(
    offer('m=audio 4000 RTP/AVP 8 0 96', 'a=rtpmap:8 PCMA/8000\r\na=rtpmap:96 telephone-event/8000\r\n'),
  );
  assert.deepEqual(got, {
    address: '192.0.2.1',
    port: 4000,
    codec: 'pcma',
    payloadType: 8,
    dtmfPayloadType: 96,
  });
  if ('error' in got) return;
  const answer = writeAudioAnswer('198.51.100.7', 20000, got, 42);
  assert.match(answer, /^m=audio 20000 RTP\/AVP 8 96\r$/m);
  assert.match(answer, /^c=IN IP4 198\.51\.100\.7\r$/m);
  assert.match(answer, /^a=rtpmap:96 telephone-event\/8000\r$/m);
});

test('a media-level c= wins; static PCMU needs no rtpmap', () => {
  const got = readAudioOffer(offer('m=audio 5000 RTP/AVP 18 0', 'c=IN IP4 203.0.113.5\r\n'));
  assert.deepEqual(got, {
    address: '203.0.113.5',
    port: 5000,
    codec: 'pcmu',
    payloadType: 0,
    dtmfPayloadType: null,
  });
});

test('no common codec, no audio, or a disabled stream cannot be answered', () => {
  assert.ok('error' in readAudioOffer(offer('m=audio 4000 RTP/AVP 18', 'a=rtpmap:18 G729/8000\r\n')));
  assert.ok('error' in readAudioOffer(offer('m=video 4000 RTP/AVP 96')));
  assert.ok('error' in readAudioOffer(offer('m=audio 0 RTP/AVP 0')));
});
