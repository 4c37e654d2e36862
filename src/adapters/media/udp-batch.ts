/**
 * RtpSockets on the native addon native/rtp-io (Linux): received datagrams of all sockets arrive
 * in one batch per event-loop iteration, and sends are gathered into one shared buffer flushed by
 * one native call (after the current batch or timer callback, as a microtask). This takes Node's
 * per-datagram costs — a Buffer, a MakeCallback and dgram's send path for every packet — off the
 * media thread. See the addon's own comment for the record layout.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSystemErrorName } from 'node:util';
import type {
  RtpRelayState,
  RtpRelayTarget,
  RtpSocket,
  RtpSocketMessageHandler as MessageHandler,
  RtpSocketOpener,
} from './udp-socket.js';

/** The addon's functions (native/rtp-io/rtp_io.c). */
interface RtpIoBinding {
  init(receive: ArrayBuffer, send: ArrayBuffer, errors: ArrayBuffer, onBatch: BatchHandler): boolean;
  open(address: number, port: number, receiveBufferBytes: number): number;
  close(id: number): void;
  localPort(id: number): number;
  connect(id: number, address: number, port: number): number;
  send(bytes: number): number;
  setReceiveBufferSize(id: number, bytes: number): number;
  receiveTimestamps(stamps: ArrayBuffer): boolean;
  relay(
    id: number,
    target: number,
    ssrc: number,
    payloadType: number,
    nextSeq: number,
    nextTimestamp: number,
  ): number;
  relayState(id: number): [started: number, nextSeq: number, nextTimestamp: number] | null;
  pump(): number;
  stats(): NativeRtpStats;
}

type BatchHandler = (count: number, bytes: number) => void;

/** Counters kept by the addon since it was loaded. */
export interface NativeRtpStats {
  openSockets: number;
  batches: number;
  received: number;
  sent: number;
  /** Of `sent`, packets relayed below JavaScript (RtpSocket.relayTo). */
  relayed: number;
  receiveErrors: number;
  sendErrors: number;
  /** Packets dropped because a socket's send buffer was full. */
  sendDropped: number;
  truncated: number;
  unknownSocket: number;
}

const HEADER = 12;
/** The addon's flag in a receive record's length: already relayed. */
const RELAYED = 0x8000;
/** Records handled between two pumps of a long batch (see onBatch): ~0.5 ms of JavaScript. */
const PUMP_EVERY = 64;
const RECEIVE_BYTES = 512 * 1024;
const SEND_BYTES = 256 * 1024;
/** (socket id, errno) pairs reported by one send call. */
const ERROR_PAIRS = 64;
const MAX_DATAGRAM = 0xffff;

/** Where the built addon lies, from src/adapters/media or dist/src/adapters/media. */
function addonPath(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'native', 'rtp-io', 'build', 'Release', 'rtp_io.node');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return null;
}

function ipv4ToNumber(address: string): number {
  const [a, b, c, d] = address.split('.').map(Number);
  return ((a! << 24) | (b! << 16) | (c! << 8) | d!) >>> 0;
}

function numberToIpv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

function errnoError(errno: number, syscall: string): NodeJS.ErrnoException {
  const code = getSystemErrorName(-Math.abs(errno));
  const err: NodeJS.ErrnoException = new Error(`${syscall} ${code}`);
  err.code = code;
  err.errno = -Math.abs(errno);
  err.syscall = syscall;
  return err;
}

/** IPv4 literals as they are; names resolved once (dgram would resolve them on every send). */
async function resolveIpv4(address: string): Promise<string> {
  return isIPv4(address) ? address : (await lookup(address, { family: 4 })).address;
}

/** The shared buffers and the one batch handler behind every native socket. */
class NativeRtpIo {
  private readonly receive = new ArrayBuffer(RECEIVE_BYTES);
  private readonly receiveU8 = new Uint8Array(this.receive);
  private readonly receiveU16 = new Uint16Array(this.receive);
  private readonly receiveU32 = new Uint32Array(this.receive);
  private readonly send = new ArrayBuffer(SEND_BYTES);
  private readonly sendU8 = new Uint8Array(this.send);
  private readonly sendU16 = new Uint16Array(this.send);
  private readonly sendU32 = new Uint32Array(this.send);
  private readonly errors = new Int32Array(ERROR_PAIRS * 2);
  private sendUsed = 0;
  private flushQueued = false;
  /** Per record of a batch, how long before the batch the kernel received it (ms, −1 unknown). */
  private stamps: Float64Array | null = null;
  readonly sockets = new Map<number, NativeRtpSocket>();

  constructor(readonly binding: RtpIoBinding) {
    if (!binding.init(this.receive, this.send, this.errors.buffer, this.onBatch)) {
      throw new Error('the native RTP addon is already in use by another thread or module copy');
    }
  }

  private readonly onBatch: BatchHandler = (_count, received) => {
    const u32 = this.receiveU32;
    const u16 = this.receiveU16;
    let failure: Error | null = null;
    let at = 0;
    let bytes = received;
    const batchAt = this.stamps === null ? 0 : performance.now();
    for (let i = 0; at + HEADER <= bytes; i++) {
      if (i > 0 && i % PUMP_EVERY === 0) {
        // A long batch: what JavaScript sent so far leaves, and what arrived meanwhile is read and
        // relayed now (appended behind this batch) rather than after the whole batch.
        this.flush();
        bytes = this.binding.pump();
      }
      const socket = this.sockets.get(u32[at >> 2]!);
      const flagged = u16[(at + 10) >> 1]!;
      const length = flagged & ~RELAYED;
      if (socket !== undefined) {
        try {
          const age = this.stamps === null ? -1 : this.stamps[i]!;
          const stamp = age < 0 ? undefined : batchAt - age;
          socket.deliver(
            this.receiveU8.subarray(at + HEADER, at + HEADER + length),
            u32[(at + 4) >> 2]!,
            u16[(at + 8) >> 1]!,
            stamp,
            (flagged & RELAYED) !== 0,
          );
        } catch (err) {
          failure ??= err instanceof Error ? err : new Error(String(err));
        }
      }
      at += HEADER + ((length + 3) & ~3);
    }
    // What the handlers sent goes out now, in one call, rather than one send per packet.
    this.flush();
    if (failure !== null) {
      // As a throwing dgram 'message' listener would: an uncaught error, after the rest of the batch.
      queueMicrotask(() => {
        throw failure;
      });
    }
  };

  private readonly flushTask = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  /**
   * Sockets opened from now on report the kernel's receive time of each datagram (SO_TIMESTAMPNS), on
   * the performance.now() clock. For measuring tools (bench/media-loadgen.ts): a late event loop then
   * does not read as network jitter.
   */
  enableReceiveTimestamps(): boolean {
    if (this.stamps !== null) return true;
    // Records are at least HEADER bytes, so a batch never holds more than this many.
    const stamps = new Float64Array(Math.ceil(RECEIVE_BYTES / HEADER));
    if (!this.binding.receiveTimestamps(stamps.buffer)) return false;
    this.stamps = stamps;
    return true;
  }

  /** Queues one datagram; port 0 sends to the connected peer. */
  queue(socket: NativeRtpSocket, bytes: Uint8Array, address: number, port: number): void {
    const length = bytes.length;
    if (length > MAX_DATAGRAM || HEADER + length > SEND_BYTES) {
      socket.fail(errnoError(constants.errno.EMSGSIZE, 'send'));
      return;
    }
    if (this.sendUsed + HEADER + length > SEND_BYTES) this.flush();
    const at = this.sendUsed;
    this.sendU32[at >> 2] = socket.id;
    this.sendU32[(at + 4) >> 2] = address;
    this.sendU16[(at + 8) >> 1] = port;
    this.sendU16[(at + 10) >> 1] = length;
    this.sendU8.set(bytes, at + HEADER);
    this.sendUsed = at + HEADER + ((length + 3) & ~3);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushTask);
    }
  }

  /** Sends everything queued; errors go to their sockets' error handlers. */
  flush(): void {
    if (this.sendUsed === 0) return;
    const used = this.sendUsed;
    this.sendUsed = 0;
    const failed = Math.min(this.binding.send(used), ERROR_PAIRS);
    for (let i = 0; i < failed; i++) {
      this.sockets.get(this.errors[2 * i]! >>> 0)?.fail(errnoError(this.errors[2 * i + 1]!, 'send'));
    }
  }
}

/** One socket owned by the addon. */
class NativeRtpSocket implements RtpSocket {
  private messageHandler: MessageHandler = () => undefined;
  private errorHandler: (err: NodeJS.ErrnoException) => void = () => undefined;
  /** The last source seen and its dotted form, so a steady stream allocates no address strings. */
  private lastSource = -1;
  private lastSourceText = '';
  /** The last destination named in send() and its number. */
  private lastTarget = '';
  private lastTargetNumber = 0;
  private closed = false;

  constructor(
    private readonly io: NativeRtpIo,
    readonly id: number,
    readonly port: number,
  ) {}

  deliver(
    bytes: Uint8Array,
    address: number,
    port: number,
    receivedAt: number | undefined,
    relayed: boolean,
  ): void {
    if (address !== this.lastSource) {
      this.lastSource = address;
      this.lastSourceText = numberToIpv4(address);
    }
    this.messageHandler(bytes, this.lastSourceText, port, receivedAt, relayed);
  }

  fail(err: NodeJS.ErrnoException): void {
    this.errorHandler(err);
  }

  onMessage(handler: MessageHandler): void {
    this.messageHandler = handler;
  }

  onError(handler: (err: NodeJS.ErrnoException) => void): void {
    this.errorHandler = handler;
  }

  send(bytes: Uint8Array, port?: number, address?: string): void {
    if (this.closed) return;
    if (port === undefined || address === undefined) {
      this.io.queue(this, bytes, 0, 0);
      return;
    }
    if (address !== this.lastTarget) {
      if (!isIPv4(address)) {
        resolveIpv4(address).then(
          (ip) => this.send(bytes, port, ip),
          (err: NodeJS.ErrnoException) => this.fail(err),
        );
        return;
      }
      this.lastTarget = address;
      this.lastTargetNumber = ipv4ToNumber(address);
    }
    if (port <= 0 || port > 0xffff) {
      this.fail(errnoError(constants.errno.EINVAL, 'send'));
      return;
    }
    this.io.queue(this, bytes, this.lastTargetNumber, port);
  }

  connect(port: number, address: string, done: (err?: Error) => void): void {
    resolveIpv4(address).then(
      (ip) => {
        if (this.closed) return done(errnoError(constants.errno.EBADF, 'connect'));
        // Packets queued for the old destination leave first.
        this.io.flush();
        const r = this.io.binding.connect(this.id, ipv4ToNumber(ip), port);
        done(r < 0 ? errnoError(r, 'connect') : undefined);
      },
      (err: Error) => done(err),
    );
  }

  setReceiveBufferSize(bytes: number): void {
    if (!this.closed) this.io.binding.setReceiveBufferSize(this.id, bytes);
  }

  relayTo(target: RtpRelayTarget): boolean {
    const to = target.socket;
    if (this.closed || !(to instanceof NativeRtpSocket) || to.closed || to.io !== this.io) return false;
    // What JavaScript queued for the target leaves before anything relayed, so the stream stays in order.
    this.io.flush();
    const r = this.io.binding.relay(
      this.id,
      to.id,
      target.ssrc >>> 0,
      target.payloadType,
      target.nextSeq & 0xffff,
      target.nextTimestamp >>> 0,
    );
    return r === 0;
  }

  stopRelay(): RtpRelayState | null {
    if (this.closed) return null;
    const state = this.io.binding.relayState(this.id);
    this.io.binding.relay(this.id, 0, 0, 0, 0, 0);
    return state !== null && state[0] === 1 ? { nextSeq: state[1], nextTimestamp: state[2] } : null;
  }

  disconnect(): void {
    if (this.closed) return;
    this.io.flush();
    this.io.binding.connect(this.id, 0, 0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // What this socket queued still goes out, as with dgram.
    this.io.flush();
    this.io.sockets.delete(this.id);
    this.io.binding.close(this.id);
  }
}

/** The native sockets, or why they are not available. */
export type NativeRtpSockets =
  | {
      ok: true;
      open: RtpSocketOpener;
      stats: () => NativeRtpStats;
      /** Kernel receive times for sockets opened afterwards (see NativeRtpIo.enableReceiveTimestamps). */
      receiveTimestamps: () => boolean;
    }
  | { ok: false; reason: string };

let loaded: NativeRtpSockets | null = null;

/** Loads the addon once (process-wide: it binds to the main thread's event loop). */
export function nativeRtpSockets(): NativeRtpSockets {
  loaded ??= load();
  return loaded;
}

function load(): NativeRtpSockets {
  if (process.platform !== 'linux') return { ok: false, reason: 'the native RTP addon is Linux only' };
  const path = addonPath();
  if (path === null) {
    return { ok: false, reason: 'native/rtp-io is not built (npm run build:native)' };
  }
  let io: NativeRtpIo;
  try {
    io = new NativeRtpIo(createRequire(import.meta.url)(path) as RtpIoBinding);
  } catch (err) {
    return { ok: false, reason: `native/rtp-io failed to load: ${(err as Error).message}` };
  }
  const open: RtpSocketOpener = async (port, host) => {
    const ip = await resolveIpv4(host);
    const id = io.binding.open(ipv4ToNumber(ip), port, 0);
    if (id < 0) return null;
    const bound = port === 0 ? io.binding.localPort(id) : port;
    const socket = new NativeRtpSocket(io, id, bound);
    io.sockets.set(id, socket);
    return socket;
  };
  return {
    ok: true,
    open,
    stats: () => io.binding.stats(),
    receiveTimestamps: () => io.enableReceiveTimestamps(),
  };
}
