/**
 * The "browsers" of bench:webrtc, in their own process: answers each webrtc.offer with a full-ICE
 * werift peer on 127.0.0.1, sends 20 ms PCMU frames while the bench says so, and counts what it
 * receives. Talks to the bench over the fork IPC channel.
 */
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift';

/** Bench → peers. */
export type PeersCommand =
  { kind: 'signal'; agent: string; text: string } | { kind: 'measure'; on: boolean } | { kind: 'close' };
/** Peers → bench. */
export type PeersMessage =
  | { kind: 'signal'; agent: string; message: unknown }
  | { kind: 'connected'; agent: string }
  | { kind: 'counts'; sent: number; received: number };

interface Call {
  pc: RTCPeerConnection;
  send: (payload: Buffer) => void;
}

const calls = new Map<string, Call>();
let measuring = false;
let sent = 0;
let received = 0;
const payload = Buffer.alloc(160, 0x55);
let seq = 0;
let timestamp = 0;

function post(m: PeersMessage): void {
  process.send?.(m);
}

async function answer(agent: string, callId: string, sdp: string): Promise<void> {
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    codecs: {
      audio: [
        new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
        new RTCRtpCodecParameters({
          mimeType: 'audio/telephone-event',
          clockRate: 8000,
          channels: 1,
          payloadType: 101,
        }),
      ],
      video: [],
    },
  });
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe(() => {
      if (measuring) received++;
    }),
  );
  await pc.setRemoteDescription({ type: 'offer', sdp });
  const transceiver = pc.getTransceivers()[0]!;
  transceiver.setDirection('sendrecv');
  await pc.setLocalDescription(await pc.createAnswer());
  await new Promise<void>((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const timer = setTimeout(resolve, 3000);
    pc.iceGatheringStateChange.subscribe((s) => {
      if (s === 'complete') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  pc.connectionStateChange.subscribe((s) => {
    if (s === 'connected') post({ kind: 'connected', agent });
  });
  calls.set(agent, {
    pc,
    send: (p) => {
      const header = new RtpHeader({ payloadType: 0, sequenceNumber: seq, timestamp, marker: false });
      void transceiver.sender.sendRtp(new RtpPacket(header, p)).catch(() => undefined);
    },
  });
  post({
    kind: 'signal',
    agent,
    message: { type: 'webrtc.answer', callId, sdp: pc.localDescription?.sdp ?? '' },
  });
}

// One 20 ms clock for every call, as a browser's audio thread would pace them.
setInterval(() => {
  seq = (seq + 1) & 0xffff;
  timestamp = (timestamp + 160) >>> 0;
  for (const c of calls.values()) {
    c.send(payload);
    if (measuring) sent++;
  }
}, 20);

process.on('message', (m: PeersCommand) => {
  if (m.kind === 'signal') {
    const s = JSON.parse(m.text) as { type: string; callId: string; sdp: string };
    if (s.type === 'webrtc.offer') void answer(m.agent, s.callId, s.sdp);
  } else if (m.kind === 'measure') {
    if (m.on) {
      sent = 0;
      received = 0;
      measuring = true;
    } else {
      measuring = false;
      post({ kind: 'counts', sent, received });
    }
  } else {
    for (const c of calls.values()) void c.pc.close();
    process.exit(0);
  }
});
