/**
 * Load generator for bench/media.ts, run as a child process so it has its own core: plays the
 * callers and agents of N bridged calls (one UDP socket per leg), sends a 20 ms G.711 packet per
 * leg at real pace and measures, per receiving leg, loss and the inter-packet jitter the relay
 * added. Each payload carries its index and send time, so the jitter is the change in transit
 * time between consecutive packets: |(arrival interval) − (send interval)|, i.e. the arrival
 * interval minus 20 ms with this generator's own send lateness taken out. With the native addon the
 * arrival time is the kernel's receive time (SO_TIMESTAMPNS), so this generator's own receive lateness
 * (a late event loop) is taken out too; BENCH_MEDIA_KERNEL_STAMPS=0 uses the time the packet reaches
 * JavaScript instead, as the dgram path must.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { nativeRtpSockets } from '../src/adapters/media/udp-batch.js';
import { openDgramSocket, type RtpSocket, type RtpSocketOpener } from '../src/adapters/media/udp-socket.js';

/**
 * The generator's own sockets: the native batch addon unless BENCH_MEDIA_LOADGEN_NATIVE=0, so that
 * at high N the generator (which handles as many datagrams as the system under test) is not the limit.
 */
function loadgenSockets(): RtpSocketOpener {
  if (process.env.BENCH_MEDIA_LOADGEN_NATIVE === '0') return openDgramSocket;
  const native = nativeRtpSockets();
  if (!native.ok) throw new Error(`load generator: ${native.reason}`);
  if (process.env.BENCH_MEDIA_KERNEL_STAMPS !== '0' && !native.receiveTimestamps()) {
    throw new Error('load generator: kernel receive timestamps not available');
  }
  return native.open;
}
const openSocket = loadgenSockets();

/** Messages from the bench. */
export type LoadgenCommand =
  | { type: 'open'; legs: number }
  | { type: 'run'; targets: number[]; seconds: number; warmupSeconds: number }
  | { type: 'close' };

/** Messages to the bench. */
export type LoadgenReport =
  | { type: 'opened'; ports: number[] }
  | { type: 'steady' }
  | { type: 'steadyEnd' }
  | { type: 'result'; result: LoadgenResult };

/** What the receivers saw. */
export interface LoadgenResult {
  sent: number;
  received: number;
  lost: number;
  /** Consecutive-index gaps seen at the receivers (a lost or reordered packet). */
  gaps: number;
  jitterP50Ms: number;
  jitterP99Ms: number;
  jitterMaxMs: number;
  /** One-way transit (send → relay → receive), p99 over the steady window. */
  transitP99Ms: number;
  /** This process's CPU over the steady window, in % of one core. */
  cpuPct: number;
  /** Whether arrival times are the kernel's (this process's receive lateness not counted). */
  kernelStamps: boolean;
  /** How long after the kernel's receive time packets reached JavaScript (kernel stamps only). */
  receiveLatenessP50Ms: number | null;
  receiveLatenessP99Ms: number | null;
  /** This process's event-loop delay p99 (without kernel stamps its lateness adds to the jitter). */
  loopDelayP99Ms: number;
  /** The longest event-loop stall over the steady window. */
  loopDelayMaxMs: number;
}

const FRAME_MS = 20;
/** Legs are spread over the 20 ms frame in this many phases, as independent calls would be. */
const PHASES = 10;
/**
 * Calls start spread over this many frames (1 s), as calls arriving at different times would: if all
 * started in the same frame, every call's recorder would also flush its one-second buffer in the
 * same 20 ms, a stall of the system under test that only a lock-step start produces.
 */
const START_SPREAD_FRAMES = 50;
const PACKET_BYTES = 12 + 160;
/** Histogram resolution for jitter and transit: 10 µs buckets up to 200 ms. */
const BUCKET_MS = 0.01;
const BUCKETS = 20_000;

class Histogram {
  readonly counts = new Float64Array(BUCKETS);
  n = 0;
  max = 0;
  add(ms: number): void {
    this.counts[Math.min(BUCKETS - 1, Math.floor(ms / BUCKET_MS))]! += 1;
    this.n++;
    if (ms > this.max) this.max = ms;
  }
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const want = q * this.n;
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= want) return (i + 1) * BUCKET_MS;
    }
    return this.max;
  }
}

interface Leg {
  socket: RtpSocket;
  /** The generator tick of this leg's first packet (see START_SPREAD_FRAMES). */
  startTick: number;
  ssrc: number;
  seq: number;
  timestamp: number;
  sent: number;
  received: number;
  lastIndex: number;
  lastTransit: number;
}

let legs: Leg[] = [];
let steady = false;
const jitter = new Histogram();
const transit = new Histogram();
const lateness = new Histogram();
let kernelStamps = false;
let gaps = 0;

function report(m: LoadgenReport): void {
  process.send!(m);
}

async function bindLeg(index: number): Promise<Leg> {
  const socket = await openSocket(0, '127.0.0.1');
  if (socket === null) throw new Error('load generator: cannot bind a UDP socket');
  // The relay answers in bursts when this process is late; keep them rather than drop them.
  socket.setReceiveBufferSize(1 << 20);
  const leg: Leg = {
    socket,
    startTick: 0,
    ssrc: (0x10000000 + index) >>> 0,
    seq: index & 0xffff,
    timestamp: index * 1000,
    sent: 0,
    received: 0,
    lastIndex: -1,
    lastTransit: 0,
  };
  socket.onMessage((msg, _address, _port, receivedAt) => receive(leg, msg, receivedAt));
  // A connected socket hears ICMP "port unreachable" as ECONNREFUSED once the relay closes.
  socket.onError(() => undefined);
  return leg;
}

function receive(leg: Leg, msg: Uint8Array, receivedAt: number | undefined): void {
  const reached = performance.now();
  const now = receivedAt !== undefined && receivedAt > 0 ? receivedAt : reached;
  if (msg.length !== PACKET_BYTES) return;
  const view = new DataView(msg.buffer, msg.byteOffset, msg.length);
  const index = view.getUint32(12);
  const sentAt = view.getFloat64(16);
  // Not one of ours (a stray stream the relay latched to on a shared machine): not counted.
  if (!(sentAt > 0 && sentAt <= now)) return;
  leg.received++;
  const t = now - sentAt;
  if (index !== leg.lastIndex + 1) gaps++;
  else if (steady && leg.lastIndex >= 0) jitter.add(Math.abs(t - leg.lastTransit));
  if (steady) {
    transit.add(t);
    if (now !== reached) {
      kernelStamps = true;
      lateness.add(reached - now);
    }
  }
  leg.lastIndex = index;
  leg.lastTransit = t;
}

function sendFrame(leg: Leg): void {
  const p = Buffer.allocUnsafe(PACKET_BYTES);
  p[0] = 0x80;
  p[1] = leg.sent === 0 ? 0x80 : 0x00; // marker on the first packet, PT 0 (PCMU)
  p.writeUInt16BE(leg.seq, 2);
  p.writeUInt32BE(leg.timestamp >>> 0, 4);
  p.writeUInt32BE(leg.ssrc, 8);
  p.writeUInt32BE(leg.sent, 12);
  p.fill(0xff, 16); // µ-law silence, then the send time over its first octets
  p.writeDoubleBE(performance.now(), 16);
  leg.socket.send(p);
  leg.sent++;
  leg.seq = (leg.seq + 1) & 0xffff;
  leg.timestamp = (leg.timestamp + 160) >>> 0;
}

async function run(targets: number[], seconds: number, warmupSeconds: number): Promise<LoadgenResult> {
  await Promise.all(
    legs.map(
      (leg, i) =>
        new Promise<void>((resolve) => leg.socket.connect(targets[i]!, '127.0.0.1', () => resolve())),
    ),
  );
  const byPhase: Leg[][] = Array.from({ length: PHASES }, () => []);
  legs.forEach((leg, i) => byPhase[i % PHASES]!.push(leg));
  const phaseMs = FRAME_MS / PHASES;
  const totalTicks = Math.round((seconds * 1000) / phaseMs);
  const warmupTicks = Math.round((warmupSeconds * 1000) / phaseMs);
  // Both legs of call k (legs 2k, 2k+1) start in frame k mod spread; all have started by the steady window.
  const spread = Math.max(1, Math.min(START_SPREAD_FRAMES, Math.floor(warmupTicks / PHASES)));
  legs.forEach((leg, i) => (leg.startTick = (Math.floor(i / 2) % spread) * PHASES));
  const loop = monitorEventLoopDelay({ resolution: 1 });
  let cpu0 = process.cpuUsage();
  let wall0 = performance.now();
  const start = performance.now() + 50;
  let tick = 0;
  await new Promise<void>((done) => {
    const step = (): void => {
      const now = performance.now();
      while (tick < totalTicks && start + tick * phaseMs <= now) {
        if (tick === warmupTicks) {
          steady = true;
          loop.enable();
          cpu0 = process.cpuUsage();
          wall0 = performance.now();
          report({ type: 'steady' });
        }
        for (const leg of byPhase[tick % PHASES]!) if (tick >= leg.startTick) sendFrame(leg);
        tick++;
      }
      if (tick >= totalTicks) return done();
      setTimeout(step, Math.max(0, start + tick * phaseMs - performance.now()));
    };
    step();
  });
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - wall0;
  loop.disable();
  report({ type: 'steadyEnd' });
  // Let the last relayed packets arrive, then stop measuring.
  await new Promise((r) => setTimeout(r, 500));
  steady = false;
  let sent = 0;
  let received = 0;
  let lost = 0;
  legs.forEach((leg, i) => {
    const peer = legs[i ^ 1]!; // legs 2k and 2k+1 are the caller and the agent of call k
    sent += peer.sent;
    received += leg.received;
    lost += Math.max(0, peer.sent - leg.received);
  });
  return {
    sent,
    received,
    lost,
    gaps,
    jitterP50Ms: round(jitter.quantile(0.5)),
    jitterP99Ms: round(jitter.quantile(0.99)),
    jitterMaxMs: round(jitter.max),
    transitP99Ms: round(transit.quantile(0.99)),
    kernelStamps,
    receiveLatenessP50Ms: kernelStamps ? round(lateness.quantile(0.5)) : null,
    receiveLatenessP99Ms: kernelStamps ? round(lateness.quantile(0.99)) : null,
    cpuPct: round(((cpu.user + cpu.system) / 1000 / wall) * 100),
    loopDelayP99Ms: round(loop.percentile(99) / 1e6),
    loopDelayMaxMs: round(loop.max / 1e6),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

// Never outlive the bench: it may run at realtime priority, where a stray process would hog a core.
process.on('disconnect', () => process.exit(0));

process.on('message', (m: LoadgenCommand) => {
  void (async () => {
    if (m.type === 'open') {
      legs = await Promise.all(Array.from({ length: m.legs }, (_, i) => bindLeg(i)));
      report({ type: 'opened', ports: legs.map((l) => l.socket.port) });
    } else if (m.type === 'run') {
      setTimeout(() => process.exit(2), (m.seconds + 60) * 1000).unref();
      const result = await run(m.targets, m.seconds, m.warmupSeconds);
      report({ type: 'result', result });
    } else {
      for (const leg of legs) leg.socket.close();
      legs = [];
      process.disconnect();
    }
  })();
});
