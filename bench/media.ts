/**
 * Media density: how many bridged and recorded G.711 calls one process (one core) relays with no
 * loss and added inter-packet jitter p99 < 5 ms. Each call is two RtpSessions (caller leg and agent
 * leg) joined by the product's RtpBridge: relayed to each other (below JavaScript with native sockets,
 * BENCH_MEDIA_RELAY=0 to send every frame from JavaScript instead) and recorded into a stereo WAV in a
 * temp directory on the bridge's 20 ms clock. A forked load generator (bench/media-loadgen.ts, its own process and so its own core)
 * plays all callers and agents at real pace and measures at the receivers. N ramps through
 * BENCH_MEDIA_STEPS (default 100,200,250,300,400,500,700,1000), BENCH_MEDIA_SECONDS each (default 10, the
 * first 2 s warm-up; calls start spread over the first second). RTP sockets: the native batch addon
 * (native/rtp-io) unless BENCH_MEDIA_NATIVE=0 (node:dgram); the load generator uses the addon unless
 * BENCH_MEDIA_LOADGEN_NATIVE=0. Ends with one JSON line: the highest passing step's
 * {"concurrentCalls", "lossPct", "jitterP99Ms", "cpuPctPerCall"} plus every step's figures.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { RtpPortPool } from '../src/adapters/media/port-pool.js';
import { RtpBridge } from '../src/adapters/media/bridge.js';
import { RtpSession } from '../src/adapters/media/rtp-session.js';
import { createSystemScheduler, type Scheduler } from '../src/adapters/media/scheduler.js';
import { nativeRtpSockets } from '../src/adapters/media/udp-batch.js';
import { openDgramSocket, type RtpSocketOpener } from '../src/adapters/media/udp-socket.js';
import type { LoadgenCommand, LoadgenReport, LoadgenResult } from './media-loadgen.js';

const SECONDS = Number(process.env.BENCH_MEDIA_SECONDS ?? 10);
const WARMUP_SECONDS = Math.min(2, SECONDS / 4);
const STEPS = (process.env.BENCH_MEDIA_STEPS ?? '100,200,250,300,400,500,700,1000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0);
/** Stop ramping after this many failing steps in a row. */
const MAX_FAILURES = 2;
const SATURATED_CPU_PCT = 90;
/**
 * Optional niceness for both processes (e.g. -20 as root), like running a media server at raised
 * priority (Asterisk's -p); on a shared machine it keeps other work from stealing the 20 ms ticks.
 * With autogroup scheduling (Linux's default for sessions), CPU is first shared between sessions,
 * so the session's autogroup is raised as well (and put back at the end); the load generator gets
 * a session of its own.
 */
const NICE = process.env.BENCH_MEDIA_NICE === undefined ? null : Number(process.env.BENCH_MEDIA_NICE);
/**
 * Optional SCHED_FIFO priority (1–99, root) for both processes, as Asterisk's -p does: a woken
 * media thread then preempts other work at once instead of waiting out its time slice, which on a
 * loaded machine is most of the measured jitter. The kernel keeps 5 % of each second for others.
 */
const REALTIME = process.env.BENCH_MEDIA_RT === undefined ? null : Number(process.env.BENCH_MEDIA_RT);
const JITTER_LIMIT_MS = 5;
/**
 * The RTP socket path under test: the native batch addon (native/rtp-io, default) or node:dgram
 * with BENCH_MEDIA_NATIVE=0. The load generator uses the addon either way
 * (BENCH_MEDIA_LOADGEN_NATIVE=0 for dgram there too).
 */
const NATIVE = process.env.BENCH_MEDIA_NATIVE !== '0';
/**
 * Bridged legs relay below JavaScript (RtpSession.relayTo, native sockets only) unless
 * BENCH_MEDIA_RELAY=0, which makes every relayTo decline so RtpBridge sends each frame from
 * JavaScript, as before the relay existed: for a side-by-side run.
 */
const RELAY = process.env.BENCH_MEDIA_RELAY !== '0';
if (!RELAY) RtpSession.prototype.relayTo = () => false;
function benchSockets(): RtpSocketOpener {
  if (!NATIVE) return openDgramSocket;
  const native = nativeRtpSockets();
  if (!native.ok) throw new Error(`BENCH_MEDIA_NATIVE: ${native.reason}`);
  return native.open;
}
const sockets = benchSockets();

/** One bridged, recorded call inside the system under test: the product's own RtpBridge. */
class BridgedCall {
  private readonly bridge: RtpBridge;

  constructor(
    readonly caller: RtpSession,
    readonly agent: RtpSession,
    recordPath: string,
    scheduler: Scheduler,
  ) {
    // A send error (e.g. a full socket buffer) would otherwise crash the bench; loss shows it.
    caller.on('error', () => undefined);
    agent.on('error', () => undefined);
    this.bridge = new RtpBridge(caller, agent, scheduler, recordPath, () => undefined);
  }

  close(): void {
    this.bridge.stop();
    this.caller.close();
    this.agent.close();
  }
}

interface StepResult {
  calls: number;
  lossPct: number;
  jitterP99Ms: number;
  cpuPct: number;
  cpuPctPerCall: number;
  pass: boolean;
  sutLoopDelayP99Ms: number;
  sutLoopDelayMaxMs: number;
  loadgen: LoadgenResult;
}

function request(child: ChildProcess, cmd: LoadgenCommand): void {
  child.send(cmd);
}

function next<T extends LoadgenReport['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<LoadgenReport, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: LoadgenReport): void => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as Extract<LoadgenReport, { type: T }>);
    };
    const onExit = (code: number | null): void => reject(new Error(`load generator exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function step(calls: number, pool: RtpPortPool): Promise<StepResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-media-'));
  const child = fork(new URL('./media-loadgen.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    detached: NICE !== null || REALTIME !== null,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (NICE !== null) renice(child.pid!, NICE);
  if (REALTIME !== null) realtime(child.pid!, REALTIME);
  const scheduler = createSystemScheduler();
  const bridged: BridgedCall[] = [];
  try {
    const opened = next(child, 'opened');
    request(child, { type: 'open', legs: calls * 2 });
    const { ports } = await opened;
    for (let i = 0; i < calls; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, calls - i) }, async (_, j) => {
          const k = i + j;
          const caller = await RtpSession.open({ sockets, pool, scheduler, codec: 'pcmu' });
          const agent = await RtpSession.open({ sockets, pool, scheduler, codec: 'pcmu' });
          // As if from SDP; latching confirms the same address on the first packet.
          caller.setRemote('127.0.0.1', ports[2 * k]!);
          agent.setRemote('127.0.0.1', ports[2 * k + 1]!);
          return new BridgedCall(caller, agent, join(dir, `call-${k}.wav`), scheduler);
        }),
      );
      bridged.push(...batch);
    }
    const targets = bridged.flatMap((c) => [c.caller.port, c.agent.port]);
    const loop = monitorEventLoopDelay({ resolution: 1 });
    let cpu0 = process.cpuUsage();
    let wall0 = performance.now();
    const steady = next(child, 'steady');
    const steadyEnd = next(child, 'steadyEnd');
    const result = next(child, 'result');
    request(child, { type: 'run', targets, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
    await steady;
    cpu0 = process.cpuUsage();
    wall0 = performance.now();
    loop.enable();
    await steadyEnd;
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - wall0;
    loop.disable();
    const { result: lg } = await result;
    const cpuPct = ((cpu.user + cpu.system) / 1000 / wall) * 100;
    const lossPct = lg.sent === 0 ? 100 : (lg.lost / lg.sent) * 100;
    return {
      calls,
      lossPct: round(lossPct),
      jitterP99Ms: lg.jitterP99Ms,
      cpuPct: round(cpuPct),
      cpuPctPerCall: round(cpuPct / calls),
      pass: lg.lost === 0 && lg.received > 0 && lg.jitterP99Ms < JITTER_LIMIT_MS,
      sutLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
      sutLoopDelayMaxMs: round(loop.max / 1e6),
      loadgen: lg,
    };
  } finally {
    for (const c of bridged) c.close();
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      request(child, { type: 'close' });
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Sets the niceness of every thread of a process: Linux keeps it per thread, and a starved V8 GC
 * helper or libuv worker at normal priority would stall the raised main thread all the same.
 * Threads created later inherit it from the main thread.
 */
function renice(pid: number, nice: number): void {
  for (const tid of readdirSync(`/proc/${pid}/task`)) setPriority(Number(tid), nice);
  setAutogroupNice(pid, nice);
}

/** Puts every thread of a process in SCHED_FIFO at `priority` (threads created later inherit it). */
function realtime(pid: number, priority: number): void {
  execFileSync('chrt', ['--fifo', '--all-tasks', '--pid', String(priority), String(pid)]);
}

/** Sets the nice of a process's autogroup; returns the previous value (null without autogroups). */
function setAutogroupNice(pid: number, nice: number): number | null {
  const path = `/proc/${pid}/autogroup`;
  if (!existsSync(path)) return null;
  const previous = Number(/nice (-?\d+)/.exec(readFileSync(path, 'utf8'))?.[1] ?? 0);
  writeFileSync(path, String(nice));
  return previous;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const autogroupBefore = NICE === null ? null : setAutogroupNice(process.pid, NICE);
if (NICE !== null) renice(process.pid, NICE);
if (REALTIME !== null) realtime(process.pid, REALTIME);
// Above Linux's ephemeral range (32768–60999) and the media tests' ports, so no other process on a
// shared machine binds or streams into the ports under test.
const pool = new RtpPortPool(61000, 65534);
const steps: StepResult[] = [];
let failures = 0;
/** The step that gave no result in time, if one did. */
let hungAt: number | null = null;
try {
  for (const calls of STEPS) {
    if (calls * 2 > pool.size) throw new Error(`${calls} calls need more than ${pool.size} RTP ports`);
    // A step that hangs must not keep two (possibly realtime) processes busy: give up on it, and
    // still end with the JSON line of the steps measured so far (the exit below ends the step's processes).
    let watchdog: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      step(calls, pool),
      new Promise<null>((resolve) => (watchdog = setTimeout(() => resolve(null), (SECONDS + 60) * 1000))),
    ]);
    clearTimeout(watchdog);
    if (r === null) {
      console.error(`${calls} calls: no result after ${SECONDS + 60} s, giving up`);
      hungAt = calls;
      break;
    }
    steps.push(r);
    console.error(
      `${calls} calls: loss ${r.lossPct} %, jitter p99 ${r.jitterP99Ms} ms (max ${r.loadgen.jitterMaxMs}), ` +
        `transit p99 ${r.loadgen.transitP99Ms} ms, SUT CPU ${r.cpuPct} % (${r.cpuPctPerCall} %/call), ` +
        `SUT loop p99 ${r.sutLoopDelayP99Ms} ms (max ${r.sutLoopDelayMaxMs}), loadgen CPU ${r.loadgen.cpuPct} % loop p99 ${r.loadgen.loopDelayP99Ms} ms (max ${r.loadgen.loopDelayMaxMs})` +
        `${r.loadgen.kernelStamps ? `, arrivals stamped by the kernel (reached JS p99 ${r.loadgen.receiveLatenessP99Ms} ms later)` : ''} ${r.pass ? 'PASS' : 'FAIL'}`,
    );
    if (process.env.BENCH_MEDIA_DEBUG) console.error(JSON.stringify(r.loadgen));
    failures = r.pass ? 0 : failures + 1;
    // A saturated core cannot pass a bigger step; stop rather than overload the machine further.
    if (failures >= MAX_FAILURES || (!r.pass && r.cpuPct >= SATURATED_CPU_PCT)) break;
  }
} finally {
  if (autogroupBefore !== null) setAutogroupNice(process.pid, autogroupBefore);
}
const best = steps.filter((s) => s.pass).sort((a, b) => b.calls - a.calls)[0];
console.log(
  JSON.stringify({
    concurrentCalls: best?.calls ?? 0,
    lossPct: best?.lossPct ?? null,
    jitterP99Ms: best?.jitterP99Ms ?? null,
    cpuPctPerCall: best?.cpuPctPerCall ?? null,
    seconds: SECONDS,
    native: NATIVE,
    relay: NATIVE && RELAY,
    loadgenNative: process.env.BENCH_MEDIA_LOADGEN_NATIVE !== '0',
    kernelStamps: steps.every((s) => s.loadgen.kernelStamps),
    nice: NICE ?? 0,
    realtime: REALTIME ?? 0,
    hungAt,
    steps: steps.map((s) => ({
      calls: s.calls,
      lossPct: s.lossPct,
      jitterP99Ms: s.jitterP99Ms,
      cpuPct: s.cpuPct,
      cpuPctPerCall: s.cpuPctPerCall,
      sutLoopDelayP99Ms: s.sutLoopDelayP99Ms,
      sutLoopDelayMaxMs: s.sutLoopDelayMaxMs,
      loadgenCpuPct: s.loadgen.cpuPct,
      loadgenReceiveLatenessP99Ms: s.loadgen.receiveLatenessP99Ms,
      pass: s.pass,
    })),
  }),
);
// A step given up on may still hold its load generator and sockets: end them with the process.
if (hungAt !== null) process.exit(2);
