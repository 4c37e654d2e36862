/**
 * The browser softphone as an agent phone: ringing sends a WebRTC offer (werift, ICE-lite, PCMU +
 * telephone-event/8000, DTLS-SRTP) to the agent's browser over its event stream; the browser's
 * answer makes the call. Its audio joins the rest of call control through an ordinary RTP media
 * channel on loopback: decrypted RTP from the browser is forwarded to the channel's port, and
 * what the channel sends (the bridged caller) is encrypted back to the browser. So the media
 * bridge, recorder and RFC 4733 digit receiver work unchanged.
 */
import { createSocket, type Socket } from 'node:dgram';
import { randomUUID } from 'node:crypto';
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  type MediaStreamTrack,
  type RTCRtpTransceiver,
} from 'werift';
import type {
  AgentCall,
  AgentPhones,
  CallLeg,
  MediaChannel,
  MediaChannels,
  PlaybackOptions,
  RingOutcome,
} from '../../services/calls/ports.js';
import type { BrowserPhones, SoftphoneMessage, SoftphoneSignals } from '../../services/calls/softphones.js';

const PCMU_PT = 0;
const DTMF_PT = 101;
const GATHER_MS = 3000;

/** Options of WebRtcAgentPhones. */
export interface WebRtcPhonesOptions {
  /** The address ICE offers and listens on (e.g. 127.0.0.1); undefined = every interface. */
  address?: string;
}

/** Counters of the browser phones (health and tests). */
export interface WebRtcPhoneStats {
  activeCalls: number;
  /** RTP packets (audio and digits) received from browsers / sent to them. */
  packetsFromBrowsers: number;
  packetsToBrowsers: number;
  /** The latest RFC 4733 digits agents pressed in their browsers (up to 32). */
  recentDigits: string;
}

/** Counters a leg adds to. */
interface Counters {
  packetsFromBrowsers: number;
  packetsToBrowsers: number;
  recentDigits: string;
}

interface Pending {
  agentId: string;
  pc: RTCPeerConnection;
  transceiver: RTCRtpTransceiver;
  settle: (o: RingOutcome) => void;
  onRinging: () => void;
}

/**
 * Rings agents' browsers.
 * @example const phones = new WebRtcAgentPhones(softphones, media, { address: '127.0.0.1' });
 */
export class WebRtcAgentPhones implements BrowserPhones {
  private readonly pending = new Map<string, Pending>();
  private readonly legs = new Map<string, WebRtcCallLeg>();
  private readonly counters: Counters = { packetsFromBrowsers: 0, packetsToBrowsers: 0, recentDigits: '' };

  constructor(
    private readonly signals: SoftphoneSignals,
    private readonly media: MediaChannels,
    private readonly options: WebRtcPhonesOptions = {},
  ) {
    signals.onMessage((agentId, m) => this.receive(agentId, m));
  }

  /** Browser legs answered and not yet hung up, and what went through them. */
  stats(): WebRtcPhoneStats {
    return { activeCalls: this.legs.size, ...this.counters };
  }

  async ring(agentId: string, options: Parameters<AgentPhones['ring']>[1]): Promise<AgentCall | null> {
    const pc = this.peer();
    const transceiver = pc.addTransceiver('audio', { direction: 'sendrecv' });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await gathered(pc);
    const sdp = pc.localDescription?.sdp;
    const callId = randomUUID();
    if (sdp === undefined || options.signal.aborted) {
      await pc.close();
      return null;
    }
    let settle!: (o: RingOutcome) => void;
    const outcome = new Promise<RingOutcome>((resolve) => (settle = resolve));
    this.pending.set(callId, { agentId, pc, transceiver, settle, onRinging: options.onRinging });
    if (!this.signals.send(agentId, { type: 'webrtc.offer', callId, sdp, caller: options.caller })) {
      this.pending.delete(callId);
      await pc.close();
      return null;
    }
    options.signal.addEventListener(
      'abort',
      () => {
        if (!this.pending.delete(callId)) return;
        this.signals.send(agentId, { type: 'webrtc.hangup', callId, reason: 'cancelled' });
        void pc.close();
        settle({ kind: 'cancelled', status: 487 });
      },
      { once: true },
    );
    return { callId, target: `browser:${agentId}`, outcome };
  }

  /** Ends every browser call (shutdown). */
  hangupAll(): void {
    for (const leg of [...this.legs.values()]) leg.hangup();
    for (const [callId, p] of this.pending) {
      this.pending.delete(callId);
      void p.pc.close();
      p.settle({ kind: 'refused', status: 503 });
    }
  }

  private peer(): RTCPeerConnection {
    const address = this.options.address;
    const local = address !== undefined && address !== '0.0.0.0' && address !== '';
    return new RTCPeerConnection({
      // ICE-lite: the browser does the checks; no STUN server is ever contacted.
      iceLite: true,
      iceUseIpv6: false,
      ...(local ? { iceAdditionalHostAddresses: [address], iceInterfaceAddresses: { udp4: address } } : {}),
      codecs: {
        audio: [
          new RTCRtpCodecParameters({
            mimeType: 'audio/PCMU',
            clockRate: 8000,
            channels: 1,
            payloadType: PCMU_PT,
          }),
          new RTCRtpCodecParameters({
            mimeType: 'audio/telephone-event',
            clockRate: 8000,
            channels: 1,
            payloadType: DTMF_PT,
          }),
        ],
        video: [],
      },
    });
  }

  private receive(agentId: string, m: SoftphoneMessage): void {
    if (m.type === 'webrtc.gone') {
      for (const [callId, p] of [...this.pending]) {
        if (p.agentId !== agentId) continue;
        this.pending.delete(callId);
        void p.pc.close();
        p.settle({ kind: 'refused', status: 480 });
      }
      for (const leg of [...this.legs.values()]) if (leg.agentId === agentId) leg.remoteHangup();
      return;
    }
    const p = this.pending.get(m.callId);
    if (m.type === 'webrtc.hangup' || m.type === 'webrtc.reject') {
      const leg = this.legs.get(m.callId);
      if (leg !== undefined && leg.agentId === agentId) {
        leg.remoteHangup();
        return;
      }
      if (p === undefined || p.agentId !== agentId) return;
      this.pending.delete(m.callId);
      void p.pc.close();
      p.settle({ kind: 'refused', status: 603 });
      return;
    }
    if (p === undefined || p.agentId !== agentId) return;
    if (m.type === 'webrtc.ringing') {
      p.onRinging();
      return;
    }
    this.pending.delete(m.callId);
    this.answer(m.callId, p, m.sdp).then(
      (leg) => p.settle({ kind: 'answered', leg }),
      () => {
        void p.pc.close();
        this.signals.send(agentId, { type: 'webrtc.hangup', callId: m.callId, reason: 'failed' });
        p.settle({ kind: 'refused', status: 488 });
      },
    );
  }

  private async answer(callId: string, p: Pending, sdp: string): Promise<WebRtcCallLeg> {
    await p.pc.setRemoteDescription({ type: 'answer', sdp });
    const channel = await this.media.open('pcmu', DTMF_PT);
    const relay = createSocket('udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        relay.once('error', reject);
        relay.bind(0, '127.0.0.1', () => resolve());
      });
    } catch (err) {
      channel.close();
      relay.close();
      throw err;
    }
    const leg = new WebRtcCallLeg(p.agentId, callId, p.pc, p.transceiver, channel, relay, {
      signals: this.signals,
      counters: this.counters,
      onClosed: () => this.legs.delete(callId),
    });
    this.legs.set(callId, leg);
    return leg;
  }
}

/** Waits (bounded) until the offer carries its host candidates. */
async function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, GATHER_MS);
    pc.iceGatheringStateChange.subscribe((state) => {
      if (state !== 'complete') return;
      clearTimeout(timer);
      resolve();
    });
  });
}

/** An answered browser call as a CallLeg; see the file comment for the loopback relay. */
class WebRtcCallLeg implements CallLeg {
  private readonly hangupFns: (() => void)[] = [];
  private ended = false;
  /** The browser never holds by renegotiation: hold is the API's (CallControl), not the page's. */
  readonly remoteHeld = false;

  constructor(
    readonly agentId: string,
    private readonly callId: string,
    private readonly pc: RTCPeerConnection,
    transceiver: RTCRtpTransceiver,
    readonly media: MediaChannel,
    private readonly relay: Socket,
    private readonly deps: { signals: SoftphoneSignals; counters: Counters; onClosed: () => void },
  ) {
    const counters = deps.counters;
    relay.on('error', () => undefined);
    media.onDigit((digit) => {
      counters.recentDigits = (counters.recentDigits + digit).slice(-32);
    });
    media.setRemote('127.0.0.1', relay.address().port);
    // What the channel sends (the caller's audio) goes to the browser, encrypted by werift.
    relay.on('message', (packet) => {
      if (this.ended) return;
      counters.packetsToBrowsers++;
      void transceiver.sender.sendRtp(packet).catch(() => undefined);
    });
    // What the browser sends (audio and RFC 4733 digits) goes to the channel. The track may exist
    // already (setRemoteDescription made it) or come with the first packet.
    const forward = (track: MediaStreamTrack): void => {
      track.onReceiveRtp.subscribe((rtp) => {
        if (this.ended) return;
        counters.packetsFromBrowsers++;
        relay.send(rtp.serialize(), media.localPort, '127.0.0.1');
      });
    };
    const seen = new Set<MediaStreamTrack>();
    const once = (track: MediaStreamTrack): void => {
      if (seen.has(track)) return;
      seen.add(track);
      forward(track);
    };
    for (const track of transceiver.receiver.tracks) once(track);
    transceiver.onTrack.subscribe((track) => once(track));
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'failed' || state === 'closed') this.remoteHangup();
    });
  }

  play(files: string[], options: PlaybackOptions): void {
    if (!this.ended) this.media.play(files, options);
  }

  stopPlayback(): void {
    this.media.stopPlayback();
  }

  onDigit(fn: (digit: string) => void): void {
    this.media.onDigit(fn);
  }

  onAudio(fn: (samples: Int16Array) => void): () => void {
    return this.media.onAudio(fn);
  }

  onRemoteHold(): void {
    // No renegotiation from the browser, so no hold to report.
  }

  onHangup(fn: () => void): void {
    this.hangupFns.push(fn);
  }

  /** Ends the call from our side: the browser is told. */
  hangup(): void {
    if (this.ended) return;
    this.deps.signals.send(this.agentId, { type: 'webrtc.hangup', callId: this.callId, reason: 'ended' });
    this.close();
  }

  /** The agent hung up in the browser (or the browser went away). */
  remoteHangup(): void {
    if (this.ended) return;
    this.close();
    for (const fn of this.hangupFns) fn();
  }

  private close(): void {
    this.ended = true;
    this.media.close();
    this.relay.close();
    void this.pc.close();
    this.deps.onClosed();
  }
}
