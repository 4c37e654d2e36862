/**
 * The browser softphone as an agent phone: ringing sends a WebRTC offer (werift, ICE-lite, PCMU +
 * telephone-event/8000, DTLS-SRTP) to the agent's browser over its event stream; the browser's
 * answer makes the call. Its audio joins the rest of call control through an ordinary RTP media
 * channel on loopback: decrypted RTP from the browser is forwarded to the channel's port, and
 * what the channel sends (the bridged caller) is encrypted back to the browser. So the media
 * bridge, recorder and RFC 4733 digit receiver work unchanged.
 *
 * A browser that goes away mid-call (its last event stream closed, the peer connection failed or
 * closed, or no RTP for a few seconds) is not a hangup: the leg reports its link down and keeps
 * its media channel, so the bridge and the recording go on. When the agent's page is back (it
 * sends webrtc.resume, or is still connected when only the media failed) the call is offered again
 * (webrtc.offer with resume: true) on a new peer connection, and the leg reports its link up once
 * RTP from the browser flows again. Only an explicit webrtc.hangup ends the call from the browser.
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
  /** No RTP from the browser for this long counts as a lost connection; default 6000 ms. */
  rtpTimeoutMs?: number;
}

/** Counters of the browser phones (health and tests). */
export interface WebRtcPhoneStats {
  activeCalls: number;
  /** Answered browser calls whose browser is gone now (waiting for it to come back). */
  lostCalls: number;
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
  caller: string;
  pc: RTCPeerConnection;
  transceiver: RTCRtpTransceiver;
  settle: (o: RingOutcome) => void;
  onRinging: () => void;
}

/** A call offered again to a browser that came back, waiting for its answer. */
interface Resuming {
  offerId: string;
  pc: RTCPeerConnection;
  transceiver: RTCRtpTransceiver;
  sdp: string;
}

/**
 * Rings agents' browsers.
 * @example const phones = new WebRtcAgentPhones(softphones, media, { address: '127.0.0.1' });
 */
export class WebRtcAgentPhones implements BrowserPhones {
  private readonly pending = new Map<string, Pending>();
  private readonly legs = new Map<string, WebRtcCallLeg>();
  /** Re-offers by call id: sent, or (null) being prepared. */
  private readonly resuming = new Map<string, Resuming | null>();
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
    const lostCalls = [...this.legs.values()].filter((l) => !l.up).length;
    return { activeCalls: this.legs.size, lostCalls, ...this.counters };
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
    const caller = options.caller;
    this.pending.set(callId, { agentId, caller, pc, transceiver, settle, onRinging: options.onRinging });
    if (!this.signals.send(agentId, { type: 'webrtc.offer', callId, sdp, caller })) {
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
      // Not a hangup: the page may come back within the grace period.
      for (const leg of [...this.legs.values()]) if (leg.agentId === agentId) leg.lose('signalling');
      return;
    }
    if (m.type === 'webrtc.resume') {
      for (const leg of [...this.legs.values()])
        if (leg.agentId === agentId && !leg.up) this.reoffer(leg, true);
      const shown = m.callId === undefined ? undefined : this.legs.get(m.callId);
      // The page still shows a call that ended while it was away (the caller went back to the queue).
      if (m.callId !== undefined && (shown === undefined || shown.agentId !== agentId)) {
        this.signals.send(agentId, { type: 'webrtc.hangup', callId: m.callId, reason: 'gone' });
      }
      return;
    }
    const p = this.pending.get(m.callId);
    if (m.type === 'webrtc.hold') {
      const leg = this.legs.get(m.callId);
      if (leg !== undefined && leg.agentId === agentId) leg.remoteHold(m.held);
      return;
    }
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
    if (m.type === 'webrtc.answer') {
      const leg = this.legs.get(m.callId);
      const r = this.resuming.get(m.callId);
      if (leg !== undefined && leg.agentId === agentId && r) {
        // An answer to an earlier offer of this call (replaced meanwhile) is not this one's.
        if (m.offerId !== r.offerId) return;
        this.resuming.delete(m.callId);
        r.pc.setRemoteDescription({ type: 'answer', sdp: m.sdp }).then(
          () => leg.attach(r.pc, r.transceiver),
          () => void r.pc.close(),
        );
        return;
      }
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

  /**
   * Offers a lost call again on a new peer connection; one being prepared is left to finish. A page
   * that says it is back (`fresh`) gets a new offer: its answer to an earlier one may have been lost
   * with its connection.
   */
  private reoffer(leg: WebRtcCallLeg, fresh = false): void {
    let known = this.resuming.get(leg.callId);
    if (known === null) return;
    if (known !== undefined && fresh) {
      void known.pc.close();
      this.resuming.delete(leg.callId);
      known = undefined;
    }
    const offer = (r: Resuming) =>
      this.signals.send(leg.agentId, {
        type: 'webrtc.offer',
        callId: leg.callId,
        sdp: r.sdp,
        caller: leg.caller,
        resume: true,
        offerId: r.offerId,
      });
    if (known !== undefined) {
      offer(known);
      return;
    }
    this.resuming.set(leg.callId, null);
    const pc = this.peer();
    const transceiver = pc.addTransceiver('audio', { direction: 'sendrecv' });
    const prepare = async (): Promise<string | undefined> => {
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      return pc.localDescription?.sdp;
    };
    prepare().then(
      (sdp) => {
        if (sdp === undefined || leg.ended || leg.up || this.resuming.get(leg.callId) !== null) {
          if (this.resuming.get(leg.callId) === null) this.resuming.delete(leg.callId);
          void pc.close();
          return;
        }
        const r = { offerId: randomUUID(), pc, transceiver, sdp };
        this.resuming.set(leg.callId, r);
        // No page to offer it to now: it is sent again when one says webrtc.resume.
        offer(r);
      },
      () => {
        this.resuming.delete(leg.callId);
        void pc.close();
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
    const leg = new WebRtcCallLeg(p.agentId, callId, p.caller, channel, relay, {
      signals: this.signals,
      counters: this.counters,
      rtpTimeoutMs: this.options.rtpTimeoutMs ?? 6000,
      onLost: (l) => this.reoffer(l),
      onClosed: () => {
        this.legs.delete(callId);
        const r = this.resuming.get(callId);
        this.resuming.delete(callId);
        if (r) void r.pc.close();
      },
    });
    leg.attach(p.pc, p.transceiver);
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

/** What a leg needs besides its own parts. */
interface LegDeps {
  signals: SoftphoneSignals;
  counters: Counters;
  rtpTimeoutMs: number;
  /** The browser went away: offer the call again when it can be. */
  onLost: (leg: WebRtcCallLeg) => void;
  onClosed: () => void;
}

/**
 * An answered browser call as a CallLeg; see the file comment for the loopback relay. The peer
 * connection can be replaced (the browser came back) while the channel, relay and call stay.
 */
class WebRtcCallLeg implements CallLeg {
  private readonly hangupFns: (() => void)[] = [];
  private readonly linkFns: ((up: boolean) => void)[] = [];
  private readonly holdFns: ((held: boolean) => void)[] = [];
  private held = false;
  ended = false;
  /** Whether the browser is connected now; false from a loss until RTP flows on a new connection. */
  up = true;
  private pc: RTCPeerConnection | null = null;
  private transceiver: RTCRtpTransceiver | null = null;
  private lastRtpAt = Date.now();
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    readonly agentId: string,
    readonly callId: string,
    readonly caller: string,
    readonly media: MediaChannel,
    private readonly relay: Socket,
    private readonly deps: LegDeps,
  ) {
    const counters = deps.counters;
    relay.on('error', () => undefined);
    media.onDigit((digit) => {
      counters.recentDigits = (counters.recentDigits + digit).slice(-32);
    });
    media.setRemote('127.0.0.1', relay.address().port);
    // What the channel sends (the caller's audio) goes to the browser, encrypted by werift.
    relay.on('message', (packet) => {
      const t = this.transceiver;
      if (this.ended || !this.up || t === null) return;
      counters.packetsToBrowsers++;
      void t.sender.sendRtp(packet).catch(() => undefined);
    });
    // Browsers send RTP all the time (silence too, when muted): none for a while is a lost link.
    this.watchdog = setInterval(() => {
      // A page holding for its unplugged microphone sends nothing, and said so.
      if (this.held) this.lastRtpAt = Date.now();
      else if (this.up && Date.now() - this.lastRtpAt > deps.rtpTimeoutMs) this.lose('media');
    }, 1000);
    this.watchdog.unref();
  }

  /** Takes RTP from (and sends to) this peer connection from now on. */
  attach(pc: RTCPeerConnection, transceiver: RTCRtpTransceiver): void {
    if (this.ended) {
      void pc.close();
      return;
    }
    const old = this.pc;
    this.pc = pc;
    this.transceiver = transceiver;
    this.lastRtpAt = Date.now();
    if (old !== null && old !== pc) void old.close();
    // What the browser sends (audio and RFC 4733 digits) goes to the channel. The track may exist
    // already (setRemoteDescription made it) or come with the first packet.
    const forward = (track: MediaStreamTrack): void => {
      track.onReceiveRtp.subscribe((rtp) => {
        if (this.ended || this.pc !== pc) return;
        this.lastRtpAt = Date.now();
        this.deps.counters.packetsFromBrowsers++;
        this.relay.send(rtp.serialize(), this.media.localPort, '127.0.0.1');
        if (!this.up) this.setUp(true);
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
      if (this.pc !== pc) return;
      if (state === 'failed' || state === 'closed') this.lose('transport');
      // Connected again (DTLS up) also counts when no RTP comes yet (no microphone on the page).
      else if (state === 'connected' && !this.up) {
        this.lastRtpAt = Date.now();
        this.setUp(true);
      }
    });
  }

  /** The browser is gone without hanging up: media stops, the channel stays, the call is offered again. */
  lose(why: 'signalling' | 'transport' | 'media'): void {
    if (this.ended) return;
    const pc = this.pc;
    this.pc = null;
    this.transceiver = null;
    if (pc !== null) void pc.close();
    if (this.up) this.setUp(false);
    void why;
    this.deps.onLost(this);
  }

  private setUp(up: boolean): void {
    this.up = up;
    for (const fn of this.linkFns) fn(up);
  }

  onLinkChange(fn: (up: boolean) => void): void {
    this.linkFns.push(fn);
    // A loss between the answer and the bridge still counts.
    if (!this.up) fn(false);
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

  /**
   * The page holds the call (webrtc.hold: its microphone was unplugged) — never by renegotiation;
   * call control plays the caller hold music as for a hold key on a SIP phone.
   */
  onRemoteHold(fn: (held: boolean) => void): void {
    this.holdFns.push(fn);
  }

  get remoteHeld(): boolean {
    return this.held;
  }

  remoteHold(held: boolean): void {
    if (this.ended || this.held === held) return;
    this.held = held;
    for (const fn of this.holdFns) fn(held);
  }

  onHangup(fn: () => void): void {
    this.hangupFns.push(fn);
  }

  /** Ends the call from our side: the browser is told. */
  hangup(reason = 'ended'): void {
    if (this.ended) return;
    this.deps.signals.send(this.agentId, { type: 'webrtc.hangup', callId: this.callId, reason });
    this.close();
  }

  /** The agent hung up in the browser. */
  remoteHangup(): void {
    if (this.ended) return;
    this.close();
    for (const fn of this.hangupFns) fn();
  }

  private close(): void {
    this.ended = true;
    clearInterval(this.watchdog);
    this.media.close();
    this.relay.close();
    if (this.pc !== null) void this.pc.close();
    this.pc = null;
    this.transceiver = null;
    this.deps.onClosed();
  }
}
