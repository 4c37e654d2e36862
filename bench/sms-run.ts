/**
 * The SMS benchmark's runs, shared by bench/sms.ts and bench/sms-profile.ts: end to end through
 * Hotline (POST /api/sms/bulk → stored → submitted → receipt), and the simulator's ceiling. The
 * SMSC simulator runs in a process of its own (bench/smsc-process.ts), as an SMS center would.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/index.js';
import { createHotline, type Hotline } from '../src/main.js';
import { SmppBind, type SimulatorCounts, type SmscSimulatorOptions } from '../src/adapters/smpp/index.js';

export const MESSAGES = Number(process.env.BENCH_SMS_MESSAGES ?? 5000);
const LATENCY_MS = 10;
const WINDOW = 50;
const BATCH = 500;

/** Distinct numbers whose last four digits stay clear of the simulator's fault numbers (…0001 …0999). */
export const numberOf = (i: number) =>
  `+1202${5_000_000 + 1000 + (i % 9000) + 10_000 * Math.floor(i / 9000)}`;

/** The simulator's process, as seen from the bench. */
export interface SmscProcess {
  port: number;
  /** Its counts and the CPU time (µs) its process has used so far. */
  stats(): Promise<{ counts: SimulatorCounts; cpuUs: number }>;
  stop(): Promise<void>;
}

/** Forks bench/smsc-process.ts with these simulator options; resolves once it listens. */
export async function startSmscProcess(options: SmscSimulatorOptions): Promise<SmscProcess> {
  const child = fork(new URL('./smsc-process.ts', import.meta.url), [JSON.stringify(options)], {
    // Its own loader only: not the parent's flags (a --cpu-prof of the bench would profile it too).
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (!(key in m)) return;
        child.off('message', onMessage);
        resolve(m[key] as T);
      };
      child.on('message', onMessage);
      void exited.then(() => reject(new Error('the SMSC simulator process ended')));
    });
  const port = await next<number>('port');
  return {
    port,
    stats: () => {
      const answer = next<{ counts: SimulatorCounts; cpuUs: number }>('stats');
      child.send({ ask: 'stats' });
      return answer;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ ask: 'stop' });
      await exited;
    },
  };
}

/** One JSON request; throws on a status of 300 or more. */
export async function json(base: string, method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, any>;
}

export async function withHotline<T>(
  databaseUrl: string | null,
  smscPort: number,
  fn: (h: Hotline, base: string, token: string) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-bench-sms-'));
  const config = loadConfig({
    HOTLINE_HOST: '127.0.0.1',
    HOTLINE_PORT: '0',
    HOTLINE_DATA_DIR: dataDir,
    HOTLINE_ADMIN_PASSWORD: 'bench-admin-1',
    HOTLINE_LOG_LEVEL: process.env.BENCH_SMS_LOG ?? 'silent',
    HOTLINE_SMSC_URL: `smpp://bench:secret@127.0.0.1:${smscPort}`,
    HOTLINE_SMSC_WINDOW: String(WINDOW),
    HOTLINE_SMSC_RATE: '1000000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const h = await createHotline(config, { logger: false });
  const base = await h.listen();
  try {
    const { token } = await json(base, 'POST', '/api/auth/login', null, {
      username: 'admin',
      password: 'bench-admin-1',
    });
    return await fn(h, base, token as string);
  } finally {
    await h.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What one end-to-end run measured. */
export interface EndToEnd {
  messagesPerSec: number;
  messages: number;
  acceptSec: number;
  /** Messages delivered by the time the last bulk request was answered. */
  deliveredAtAccept: number;
  totalSec: number;
  /** The event loop's busy share from the last accept to the last receipt. */
  eventLoopUtilisation: number;
  /** The simulator process's CPU per message (µs): not part of Hotline's. */
  simulatorCpuUsPerMessage: number;
}

/**
 * Posts MESSAGES messages in bulk batches and waits until every one has its receipt; `onStart` is
 * called just before the first request (after start-up and migrations).
 */
export async function endToEnd(
  kind: string,
  databaseUrl: string | null,
  onStart?: () => void,
): Promise<EndToEnd> {
  const smsc = await startSmscProcess({ latencyMs: LATENCY_MS, receiptDelayMs: 5, keepSubmits: 0 });
  try {
    return await withHotline(databaseUrl, smsc.port, async (h, base, token) => {
      let delivered = 0;
      let resolveAll!: () => void;
      const all = new Promise<void>((r) => (resolveAll = r));
      h.services.hub.subscribe((e) => {
        if (e.type !== 'sms.updated') return;
        const s = (e.data as { status: string }).status;
        if (s === 'queued' || s === 'submitted') return;
        if (s !== 'delivered') throw new Error(`a message ended ${s}`);
        if (++delivered === MESSAGES) resolveAll();
      });
      const sim0 = (await smsc.stats()).cpuUs;
      onStart?.();
      const started = performance.now();
      for (let i = 0; i < MESSAGES; i += BATCH) {
        const recipients = [];
        for (let j = i; j < Math.min(MESSAGES, i + BATCH); j++) {
          recipients.push({ to: numberOf(j), variables: { n: String(j) } });
        }
        const r = await json(base, 'POST', '/api/sms/bulk', token, { template: 'Bench {{n}}', recipients });
        if (r.accepted !== recipients.length) throw new Error(`bulk: ${JSON.stringify(r.rejected)}`);
      }
      const accepted = performance.now();
      const deliveredAtAccept = delivered;
      const elu0 = performance.eventLoopUtilization();
      const progress = setInterval(
        () =>
          void smsc
            .stats()
            .then((s) =>
              console.error(`${kind}: ${delivered} of ${MESSAGES} delivered, ${s.counts.submits} submitted`),
            ),
        5000,
      );
      await all.finally(() => clearInterval(progress));
      const sec = (performance.now() - started) / 1000;
      const sim = await smsc.stats();
      const result = {
        messagesPerSec: Math.round(MESSAGES / sec),
        messages: MESSAGES,
        acceptSec: Math.round(accepted - started) / 1000,
        deliveredAtAccept,
        totalSec: Math.round(sec * 1000) / 1000,
        simulatorSubmits: sim.counts.submits,
        eventLoopUtilisation: Math.round(performance.eventLoopUtilization(elu0).utilization * 100) / 100,
        simulatorCpuUsPerMessage: Math.round((sim.cpuUs - sim0) / MESSAGES),
      };
      console.log(`${kind}: ${JSON.stringify(result)}`);
      return result;
    });
  } finally {
    await smsc.stop();
  }
}

/**
 * The same number of submits from a bare SmppBind in this process (where Hotline's binds run),
 * nothing stored, to the simulator's process: the ceiling.
 */
export async function ceiling(): Promise<{
  messagesPerSec: number;
  cpuUsPerMessage: number;
  simulatorCpuUsPerMessage: number;
}> {
  const smsc = await startSmscProcess({ latencyMs: LATENCY_MS, receiptDelayMs: 5, keepSubmits: 0 });
  const bind = new SmppBind({
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'bench',
    password: 'secret',
    submitsPerSecond: 1_000_000,
    windowSize: WINDOW,
    maxQueued: MESSAGES + 1,
  });
  try {
    let receipts = 0;
    let resolveAll!: () => void;
    const all = new Promise<void>((r) => (resolveAll = r));
    bind.on('deliver', (e) => {
      if (e.kind === 'receipt' && e.receipt.final && ++receipts === MESSAGES) resolveAll();
    });
    bind.start();
    await new Promise<void>((resolve) => {
      const check = () => (bind.state === 'bound' ? resolve() : setTimeout(check, 10));
      check();
    });
    const sim0 = (await smsc.stats()).cpuUs;
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const submits = [];
    for (let i = 0; i < MESSAGES; i++) {
      submits.push(
        bind.submit({
          source: 'Hotline',
          destination: numberOf(i),
          dataCoding: 0,
          shortMessage: Buffer.from(`Bench ${i}`),
          registeredDelivery: 1,
          reference: String(i),
        }),
      );
    }
    const results = await Promise.all(submits);
    const refused = results.filter((r) => r.status !== 'accepted').length;
    if (refused) throw new Error(`${refused} submits not accepted`);
    await all;
    const cpu = process.cpuUsage(cpu0);
    const sec = (performance.now() - started) / 1000;
    const sim = await smsc.stats();
    const result = {
      messagesPerSec: Math.round(MESSAGES / sec),
      // The bind's CPU per message (this process): part of every end-to-end run's Hotline CPU too.
      cpuUsPerMessage: Math.round((cpu.user + cpu.system) / MESSAGES),
      simulatorCpuUsPerMessage: Math.round((sim.cpuUs - sim0) / MESSAGES),
    };
    console.log(`ceiling (bare SmppBind): ${JSON.stringify(result)}`);
    return result;
  } finally {
    await bind.close();
    await smsc.stop();
  }
}
