// The first inbound call slice over real sockets: SIPp dials Hotline, walks the IVR (press 1), waits
// in the Billing queue on hold music, and hangs up, which must count as an abandon.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { runSipp } from './helpers/sipp.js';
import { startVoiceLine, until, type VoiceLine } from './helpers/voice-line.js';

const CALLER = '12025550143';
const LIMIT = { timeout: 60_000 };
// A range of its own per process, so parallel test files do not fight over RTP ports.
const RTP_BASE = 30000 + (process.pid % 500) * 40;

let line: VoiceLine;
const voice = () => line.voice();
const voiceInteractions = () => line.voiceInteractions();
const sipp = (scenario: string, pauseMs?: number) =>
  runSipp({ scenario, port: voice().sipPort, mediaPort: RTP_BASE + 30, timeoutSec: 40, pauseMs });

before(async () => {
  line = await startVoiceLine({ prefix: 'hotline-calls-', rtp: [RTP_BASE, RTP_BASE + 19] });
});

after(() => line?.stop());

test(
  'a caller presses 1, waits in Billing on hold music, hangs up: an abandoned voice interaction',
  LIMIT,
  async () => {
    const framesBefore = voice().rtpFramesSent();
    const run = await sipp('ivr-call.xml');
    assert.equal(run.code, 0, run.out.slice(-3000));
    await until('the abandon', async () =>
      (await voiceInteractions()).some((i) => i.outcome === 'abandoned'),
    );
    const [call] = await voiceInteractions();
    assert.ok(call);
    assert.equal(call.fromAddress, CALLER);
    assert.equal(call.status, 'ended');
    assert.equal(call.outcome, 'abandoned');
    assert.equal(call.metadata.dnis, '5550100');
    assert.equal(typeof call.metadata.callId, 'string');
    assert.deepEqual(call.metadata.ivrPath, ['menu', 'billing']);
    // 3 s of menu prompt and hold music at 50 frames a second, with room for a slow machine.
    assert.ok(voice().rtpFramesSent() - framesBefore > 50, `RTP frames sent: ${voice().rtpFramesSent()}`);
    await until(
      'the call to be cleaned up',
      () => voice().activeCalls() === 0 && voice().rtpPortsInUse() === 0,
    );
  },
);

test(
  'a caller who hangs up during the menu leaves no interaction and no RTP port behind',
  LIMIT,
  async () => {
    const before = (await voiceInteractions()).length;
    const run = await sipp('ivr-hangup.xml');
    assert.equal(run.code, 0, run.out.slice(-3000));
    await until(
      'the call to be cleaned up',
      () => voice().activeCalls() === 0 && voice().rtpPortsInUse() === 0,
    );
    assert.equal((await voiceInteractions()).length, before);
  },
);

test('an offer without PCMU or PCMA is refused with 488 and opens no RTP port', LIMIT, async () => {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const port = socket.address().port;
  const sdp =
    'v=0\r\no=c 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n';
  const invite =
    `INVITE sip:5550100@127.0.0.1:${voice().sipPort} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-g729-${process.pid}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:${CALLER}@127.0.0.1>;tag=g729\r\nTo: <sip:5550100@127.0.0.1>\r\n` +
    `Call-ID: g729-${process.pid}\r\nCSeq: 1 INVITE\r\nContact: <sip:${CALLER}@127.0.0.1:${port}>\r\n` +
    `Content-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`;
  const answers: number[] = [];
  const final = new Promise<void>((resolve) =>
    socket.on('message', (m) => {
      const status = Number(/^SIP\/2\.0 (\d{3})/.exec(m.toString('latin1'))?.[1]);
      answers.push(status);
      if (status >= 200) resolve();
    }),
  );
  socket.send(invite, voice().sipPort, '127.0.0.1');
  await final;
  socket.close();
  assert.equal(answers.at(-1), 488);
  assert.equal(voice().rtpPortsInUse(), 0);
  assert.equal(voice().activeCalls(), 0);
});
