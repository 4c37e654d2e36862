/**
 * A UDP RTP endpoint for one call leg: sends 20 ms G.711 frames and RFC 4733 digits, receives
 * through a reorder/duplicate filter, counts loss and jitter, and latches to the peer's real
 * source address (symmetric RTP) so callers behind NAT get their audio back.
 */
import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { parseRtp, serializeRtp, type RtpPacket } from './rtp-packet.js';
import { decodeG711, payloadTypeFor, SAMPLES_PER_FRAME, type G711Codec } from './g711.js';
import { DtmfReceiver, parseTelephoneEvent, planDtmf, type DtmfPlanOptions } from './dtmf.js';
import { ReorderBuffer } from './reorder-buffer.js';
import { RtpReceiveCounter, type RtpReceiveStats } from './rtp-stats.js';
import type { RtpPortPool } from './port-pool.js';
import type { ScheduledTask, Scheduler } from './scheduler.js';
import { openDgramSocket, type RtpSocket, type RtpSocketOpener } from './udp-socket.js';

/** A received audio frame, decoded. */
export interface AudioFrame {
  samples: Int16Array;
  payload: Uint8Array;
  timestamp: number;
  sequenceNumber: number;
  /** Already sent on to the session this one relays to (see RtpSession.relayTo): do not send it again. */
  relayed: boolean;
}

/** A parsed packet and whether the socket already relayed it. */
type ReceivedPacket = RtpPacket & { relayed: boolean };

/** Events a session emits. */
export interface RtpSessionEvents {
  audio: [AudioFrame];
  dtmf: [string];
  /** The remote address the session now sends to, after latching. */
  latched: [{ address: string; port: number }];
  error: [Error];
}

/** Configuration of one session. */
export interface RtpSessionOptions {
  pool: RtpPortPool;
  scheduler: Scheduler;
  /** Local address to bind (default 127.0.0.1). */
  host?: string;
  codec?: G711Codec;
  /** Negotiated telephone-event payload type (default 101). */
  dtmfPayloadType?: number;
  /** Only latch to/accept this SSRC when known (e.g. from SDP a=ssrc). */
  expectedSsrc?: number;
  /** Our SSRC (default random). */
  ssrc?: number;
  /** How UDP sockets are opened: node:dgram (default) or the native batch addon (udp-batch.ts). */
  sockets?: RtpSocketOpener;
}

/** Outgoing RTP state: sequence numbers and timestamps start random (RFC 3550 §5.1). */
interface SendState {
  seq: number;
  timestamp: number;
  first: boolean;
}

/** One RTP endpoint bound to a port from the pool. */
export class RtpSession extends EventEmitter<RtpSessionEvents> {
  readonly ssrc: number;
  private currentCodec: G711Codec;
  private remote: { address: string; port: number } | null = null;
  private latched = false;
  private readonly send: SendState = {
    seq: randomInt(0x10000),
    timestamp: randomInt(0x100000000),
    first: true,
  };
  private reorder = new ReorderBuffer<ReceivedPacket>();
  /** The SSRC of the stream being received; a new one restarts sequence tracking. */
  private sourceSsrc: number | null = null;
  private readonly counter = new RtpReceiveCounter();
  private readonly dtmfReceiver = new DtmfReceiver();
  private readonly dtmfPt: number;
  private readonly pending = new Set<ScheduledTask>();
  /** Settles sendDtmf promises whose packets close() cancelled, so callers never hang. */
  private readonly dtmfWaiters = new Set<() => void>();
  private closed = false;
  /**
   * Once latched, the socket is connected to the peer: a send then skips Node's per-packet address
   * lookup and the kernel's route lookup (about a fifth of the cost of a send on loopback), and the
   * kernel itself drops other sources. Packets sent while the connect is under way wait in `held`.
   */
  private link: 'open' | 'connecting' | 'connected' = 'open';
  /** The peer the socket should be connected to, and the one it is. */
  private peer: { address: string; port: number } | null = null;
  private connectedTo: { address: string; port: number } | null = null;
  private held: Uint8Array[] = [];
  /** The session this one's received audio is relayed to below JavaScript, and the one relaying to us. */
  private relayTarget: RtpSession | null = null;
  private relaySource: RtpSession | null = null;

  private constructor(
    private readonly socket: RtpSocket,
    readonly port: number,
    private readonly opts: RtpSessionOptions,
  ) {
    super();
    this.ssrc = (opts.ssrc ?? randomInt(0x100000000)) >>> 0;
    this.currentCodec = opts.codec ?? 'pcmu';
    this.dtmfPt = opts.dtmfPayloadType ?? 101;
    socket.onMessage((msg, address, port, _at, relayed) => this.receive(msg, address, port, relayed));
    // ECONNREFUSED is the kernel passing on an ICMP "port unreachable" for a connected socket
    // (see `link`): the peer closed its port, which RTP, being fire and forget, ignores.
    socket.onError((err) => {
      if (err.code !== 'ECONNREFUSED') this.emit('error', err);
    });
  }

  /** Binds a session on the first free port of the pool, skipping ports another process holds. */
  static async open(opts: RtpSessionOptions): Promise<RtpSession> {
    const host = opts.host ?? '127.0.0.1';
    // Ports another process holds stay reserved until we are done, so the pool skips them.
    const busy: number[] = [];
    const openSocket = opts.sockets ?? openDgramSocket;
    try {
      for (;;) {
        const port = opts.pool.allocate();
        if (port === null) throw new Error('no free RTP port in the configured range');
        const socket = await openSocket(port, host);
        if (socket) return new RtpSession(socket, port, opts);
        busy.push(port);
      }
    } finally {
      for (const port of busy) opts.pool.release(port);
    }
  }

  /** The G.711 variant sent and accepted. */
  get codec(): G711Codec {
    return this.currentCodec;
  }

  /** Switches the codec, for an answer that chose another one than we first assumed. */
  setCodec(codec: G711Codec): void {
    this.currentCodec = codec;
  }

  /**
   * Sets the address from signalling (SDP); the first valid packet received afterwards latches the
   * real source in its place, so a re-INVITE that moves the media also re-latches.
   */
  setRemote(address: string, port: number): void {
    this.remote = { address, port };
    this.latched = false;
    this.peer = null;
    this.syncLink();
  }

  /** Where packets go now (null until known). */
  get remoteAddress(): { address: string; port: number } | null {
    return this.remote;
  }

  /** Sends one 20 ms frame of already-encoded G.711; seq +1 and timestamp +160 per frame. */
  sendFrame(payload: Uint8Array): void {
    this.takeStreamBack();
    const s = this.send;
    this.transmit({
      payloadType: payloadTypeFor(this.codec),
      sequenceNumber: s.seq,
      timestamp: s.timestamp,
      ssrc: this.ssrc,
      marker: s.first, // first packet of a talkspurt (RFC 3551 §4.1)
      payload,
    });
    s.first = false;
    s.seq = (s.seq + 1) & 0xffff;
    s.timestamp = (s.timestamp + SAMPLES_PER_FRAME) >>> 0;
  }

  /** Sends a digit as RFC 4733 events timed by the scheduler; resolves after the last end packet or on close. */
  sendDtmf(digit: string, opts: DtmfPlanOptions = {}): Promise<void> {
    this.takeStreamBack();
    const eventTs = this.send.timestamp;
    const plan = planDtmf(digit, eventTs, opts);
    const eventLength = parseTelephoneEvent(plan.at(-1)?.payload ?? new Uint8Array())?.duration ?? 0;
    const start = this.opts.scheduler.now();
    return new Promise((settle) => {
      if (plan.length === 0 || this.closed) return settle();
      const resolve = (): void => {
        this.dtmfWaiters.delete(resolve);
        settle();
      };
      this.dtmfWaiters.add(resolve);
      let left = plan.length;
      for (const p of plan) {
        const task = this.opts.scheduler.at(start + p.atMs, () => {
          this.pending.delete(task);
          this.takeStreamBack();
          this.transmit({ payloadType: this.dtmfPt, sequenceNumber: this.send.seq, ...p, ssrc: this.ssrc });
          this.send.seq = (this.send.seq + 1) & 0xffff;
          if (--left === 0) {
            // The next event or talkspurt must not reuse this event's timestamp (receivers key
            // events on it), so move past the tone if no audio frames advanced the clock meanwhile.
            if ((this.send.timestamp - eventTs) >>> 0 < eventLength) {
              this.send.timestamp = (eventTs + eventLength) >>> 0;
            }
            resolve();
          }
        });
        this.pending.add(task);
      }
    });
  }

  /**
   * Relays this session's received audio straight to `target`'s peer inside the socket layer, as it
   * arrives and before JavaScript handles it, rewritten into the target's stream (its SSRC, sequence
   * numbers and timestamps). Frames still come as 'audio' events (for recording), flagged `relayed`.
   * Only between native sockets (udp-batch.ts), one codec, both sessions latched and connected;
   * false otherwise, and the caller sends frames itself. Any other send into `target` (a prompt,
   * hold music, DTMF, a mixed frame) stops the relay first, so the two senders never interleave.
   */
  relayTo(target: RtpSession): boolean {
    if (this.relayTarget === target) return true;
    if (this.socket.relayTo === undefined || this.closed || target.closed || target === this) return false;
    if (this.link !== 'connected' || target.link !== 'connected') return false;
    if (this.codec !== target.codec || this.opts.expectedSsrc !== undefined) return false;
    this.stopRelay();
    target.relaySource?.stopRelay();
    const ok = this.socket.relayTo({
      socket: target.socket,
      ssrc: target.ssrc,
      payloadType: payloadTypeFor(target.codec),
      nextSeq: target.send.seq,
      nextTimestamp: target.send.timestamp,
    });
    if (!ok) return false;
    this.relayTarget = target;
    target.relaySource = this;
    return true;
  }

  /** Ends relayTo(); the target's own sender continues the stream where the relay left it. */
  stopRelay(): void {
    const target = this.relayTarget;
    if (target === null) return;
    this.relayTarget = null;
    target.relaySource = null;
    const state = this.socket.stopRelay?.() ?? null;
    if (state !== null) {
      target.send.seq = state.nextSeq;
      target.send.timestamp = state.nextTimestamp;
      target.send.first = false;
    }
  }

  /** Receive counters (RFC 3550 A.1/A.3/A.8). */
  stats(): RtpReceiveStats {
    return this.counter.snapshot();
  }

  /** Closes the socket, cancels pending DTMF and returns the port to the pool. */
  close(): void {
    if (this.closed) return;
    this.stopRelay();
    this.relaySource?.stopRelay();
    this.closed = true;
    for (const t of this.pending) t.cancel();
    this.pending.clear();
    for (const w of [...this.dtmfWaiters]) w();
    this.socket.close();
    this.opts.pool.release(this.port);
  }

  private transmit(p: Parameters<typeof serializeRtp>[0]): void {
    if (this.closed || !this.remote) return;
    this.transmitBytes(serializeRtp(p));
  }

  /** Our own sender takes the stream back from a relay into this session before sending. */
  private takeStreamBack(): void {
    this.relaySource?.stopRelay();
  }

  /**
   * Brings the socket's connection in line with `peer` (the latched address, or null): disconnects
   * from a stale peer at once, connects to a new one. Only one connect is in flight at a time; its
   * callback reconciles again, so signalling that moves the media meanwhile is not lost.
   */
  private syncLink(): void {
    if (this.closed || this.link === 'connecting') return;
    const want = this.peer;
    if (this.link === 'connected') {
      if (want === this.connectedTo) return;
      this.socket.disconnect();
      this.link = 'open';
      this.connectedTo = null;
    }
    if (want) {
      this.link = 'connecting';
      this.socket.connect(want.port, want.address, (err?: Error) => {
        if (this.closed) return;
        this.link = err ? 'open' : 'connected';
        this.connectedTo = err ? null : want;
        if (err && this.peer === want) this.peer = null; // stay unconnected rather than retry
        this.syncLink();
        this.flushHeld();
      });
    }
    this.flushHeld();
  }

  private flushHeld(): void {
    if (this.link === 'connecting' || this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    for (const bytes of held) this.transmitBytes(bytes);
  }

  private transmitBytes(bytes: Uint8Array): void {
    if (this.closed || !this.remote) return;
    if (this.link === 'connected') this.socket.send(bytes);
    else if (this.link === 'connecting') this.held.push(bytes);
    else this.socket.send(bytes, this.remote.port, this.remote.address);
  }

  private receive(msg: Uint8Array, address: string, port: number, relayed: boolean): void {
    const parsed = parseRtp(msg);
    if (!parsed) return;
    const packet = parsed as ReceivedPacket;
    packet.relayed = relayed;
    const expected = this.opts.expectedSsrc;
    if (expected !== undefined && packet.ssrc !== expected) return;
    if (!this.latched) {
      this.latched = true;
      this.remote = { address, port };
      this.peer = this.remote;
      this.syncLink();
      this.emit('latched', { address, port });
    } else if (this.remote?.address !== address || this.remote.port !== port) {
      return; // after latching, another source is an injection attempt or a stray stream
    }
    if (this.sourceSsrc !== packet.ssrc) {
      // A new source (a phone that restarted its stream, a B2BUA switching legs) numbers its
      // packets afresh: held packets of the old one go out, and ordering starts over.
      if (this.sourceSsrc !== null) for (const p of this.reorder.flush()) this.deliver(p);
      this.sourceSsrc = packet.ssrc;
      this.reorder = new ReorderBuffer<ReceivedPacket>();
    }
    this.counter.record(packet.sequenceNumber, packet.timestamp, this.opts.scheduler.now());
    for (const p of this.reorder.push(packet.sequenceNumber, packet)) this.deliver(p);
  }

  private deliver(p: ReceivedPacket): void {
    if (p.payloadType === this.dtmfPt) {
      const digit = this.dtmfReceiver.push(p);
      if (digit) this.emit('dtmf', digit);
      return;
    }
    if (p.payloadType !== payloadTypeFor(this.codec)) return;
    this.emit('audio', {
      samples: decodeG711(this.codec, p.payload),
      payload: p.payload,
      timestamp: p.timestamp,
      sequenceNumber: p.sequenceNumber,
      relayed: p.relayed,
    });
  }
}
