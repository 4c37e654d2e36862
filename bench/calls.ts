/**
 * Call setup rate: Hotline as its own process (PGlite, and PostgreSQL too when DATABASE_URL is set),
 * SIPp callers at rising rates (BENCH_CALLS_RATES calls/s, BENCH_CALLS_SECONDS per step), each call
 * through the IVR menu (RFC 4733 digit 1) into a queue and on to an agent's phone (a SIPp UAS that
 * registered BENCH_CALLS_AGENTS users with digest auth), BENCH_CALLS_HOLD_MS on the line, BYE.
 * A step is clean when SIPp counts no failed call and every call has an answered agent leg (CDR).
 * Ends with one JSON line: {"callsPerSec", "failedCalls", ...} — the highest clean rate, the failed
 * calls of the first step that was not clean (0 when every step was clean).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/adapters/db/database.js';
import { freshPostgres } from '../test/helpers/database.js';
import { freeSipPort } from '../test/helpers/voice-peers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCENARIOS = join(ROOT, 'bench', 'sipp');
const SIPP = '/usr/bin/sipp';
const RATES = (process.env.BENCH_CALLS_RATES ?? '10,20,30,50,70,100').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_CALLS_SECONDS ?? 60);
const HOLD_MS = Number(process.env.BENCH_CALLS_HOLD_MS ?? 2000);
const AGENTS = Number(process.env.BENCH_CALLS_AGENTS ?? 300);
const REALM = 'bench.hotline';
const ADMIN_PASSWORD = 'bench-admin-1';

interface Step {
  rate: number;
  calls: number;
  successful: number;
  failed: number;
  /** Answered agent legs (outbound CDRs) of calls placed in this step. */
  agentLegs: number;
  /** Hotline process CPU over the step, % of one core. */
  cpuPct: number;
  clean: boolean;
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function run(cmd: string, args: string[], cwd: string): { child: ChildProcess; done: Promise<number> } {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const done = new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => {
      if (code !== 0 && code !== 1 && signal === null)
        process.stderr.write(`${cmd} exited ${code}: ${err}\n`);
      resolve(code ?? -1);
    }),
  );
  return { child, done };
}

/** Hotline as a child process (tsx, no build needed); resolves once its API answers. */
async function startHotline(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const port = await freeTcpPort();
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env, HOTLINE_PORT: String(port) };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hotline exited ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { child, base };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('hotline did not start');
    await sleep(200);
  }
}

async function stopHotline(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function json(base: string, method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : ((await res.json()) as Record<string, any>);
}

async function login(base: string): Promise<string> {
  return (await json(base, 'POST', '/api/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD }))!
    .token as string;
}

/** In batches: the API hashes every password. */
async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/** The floor: a skill, a queue without wrap-up and AGENTS agents with SIP credentials. */
async function buildFloor(
  base: string,
): Promise<{ queueId: string; agents: { id: string; user: string }[] }> {
  const token = await login(base);
  const skill = (await json(base, 'POST', '/api/skills', token, { name: 'bench' }))!;
  const queue = (await json(base, 'POST', '/api/queues', token, {
    name: 'Bench',
    requirements: [{ skillId: skill.id, minLevel: 1 }],
    wrapUpSec: 0,
    reservationTimeoutSec: 30,
  }))!;
  const agents: { id: string; user: string }[] = [];
  const names = Array.from({ length: AGENTS }, (_, i) => `a${i + 1}`);
  await inBatches(names, 8, async (user) => {
    const u = (await json(base, 'POST', '/api/users', token, {
      username: user,
      displayName: user,
      role: 'agent',
      password: 'bench-pass-1',
    }))!;
    const a = (await json(base, 'POST', '/api/agents', token, { userId: u.id, skills: { [skill.id]: 5 } }))!;
    await json(base, 'PUT', `/api/agents/${a.id}/sip`, token, {
      username: user,
      password: `${user}-phone-1`,
    });
    agents.push({ id: a.id as string, user });
  });
  return { queueId: queue.id as string, agents };
}

async function available(base: string, agents: { id: string }[]): Promise<void> {
  const token = await login(base);
  await inBatches(agents, 16, async (a) => {
    try {
      await json(base, 'POST', `/api/agents/${a.id}/login`, token, { presence: 'available' });
    } catch {
      await json(base, 'POST', `/api/agents/${a.id}/presence`, token, {
        presence: 'available',
        reason: null,
      });
    }
  });
}

/** The last line of a SIPp -trace_stat file: cumulative counters by column name. */
function sippStats(file: string): Record<string, number> {
  if (!existsSync(file)) return {};
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const head = lines[0]!.split(';');
  const last = lines[lines.length - 1]!.split(';');
  return Object.fromEntries(head.map((h, i) => [h, Number(last[i])]));
}

/** SIPp's error log boiled down: how often each kind of failure happened. */
function failureReasons(file: string): string {
  if (!existsSync(file)) return 'no error log';
  const counts = new Map<string, number>();
  for (const m of readFileSync(file, 'utf8').matchAll(
    /: (Aborting call[^']*'[^']*'[^']*'[^'\n]{0,40}|[A-Z][^\n']{10,80}(?:timeout|Timeout)[^\n']{0,40})/g,
  )) {
    const key = m[1]!.replace(/'[^']*@[^']*'/, "'…'").replace(/\d+/g, 'N');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return JSON.stringify(Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).slice(0, 5)));
}

async function bench(kind: 'pglite' | 'postgres', databaseUrl: string | null) {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-calls-'));
  const sipPort = await freeSipPort();
  const env: Record<string, string> = {
    HOTLINE_HOST: '127.0.0.1',
    HOTLINE_DATA_DIR: join(dir, 'data'),
    HOTLINE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    HOTLINE_LOG_LEVEL: 'warn',
    HOTLINE_SIP_ENABLED: 'true',
    HOTLINE_SIP_HOST: '127.0.0.1',
    HOTLINE_SIP_PORT: String(sipPort),
    HOTLINE_SIP_TCP: 'false',
    HOTLINE_SIP_REALM: REALM,
    HOTLINE_RECORDINGS_DIR: join(dir, 'recordings'),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const sipConfig = (queueId: string | null) => ({
    sip: {
      rtpPortMin: 24000,
      rtpPortMax: 31999,
      // The SIPp caller is a trunk: its calls are admitted and its rate is not limited.
      trunks: [{ name: 'bench', sources: ['127.0.0.1'], dids: ['*'] }],
      defaultFlow:
        queueId === null
          ? null
          : {
              version: 1,
              name: 'Bench line',
              start: 'menu',
              nodes: {
                menu: {
                  kind: 'menu',
                  prompt: 'please-wait',
                  options: [{ digit: '1', next: 'queue' }],
                  timeoutSec: 10,
                },
                queue: { kind: 'queue', queueId },
              },
            },
    },
  });
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(sipConfig(null)));
  env.HOTLINE_CONFIG = configFile;
  let hotline = await startHotline(env);
  const floor = await buildFloor(hotline.base);
  await stopHotline(hotline.child);
  writeFileSync(configFile, JSON.stringify(sipConfig(floor.queueId)));
  hotline = await startHotline(env);
  const steps: Step[] = [];
  const windows: [number, number][] = [];
  let uas: ReturnType<typeof run> | null = null;
  try {
    await available(hotline.base, floor.agents);
    // The agents' phones: register every user from one SIPp port, then answer there.
    const phonePort = await freeSipPort();
    writeFileSync(
      join(dir, 'agents.csv'),
      [
        'SEQUENTIAL',
        ...floor.agents.map(
          (a) => `${a.user};[authentication username=${a.user} password=${a.user}-phone-1];${REALM}`,
        ),
      ].join('\n') + '\n',
    );
    const register = run(
      SIPP,
      [
        '-sf',
        join(SCENARIOS, 'register.xml'),
        `127.0.0.1:${sipPort}`,
        '-inf',
        join(dir, 'agents.csv'),
        '-i',
        '127.0.0.1',
        '-p',
        String(phonePort),
        '-r',
        '50',
        '-m',
        String(floor.agents.length),
        '-nostdin',
        '-timeout',
        '120s',
        '-trace_err',
        '-trace_msg',
      ],
      dir,
    );
    if ((await register.done) !== 0) {
      const logs = readdirSync(dir).filter((f) => f.startsWith('register_'));
      const tail = logs.map((f) => readFileSync(join(dir, f), 'utf8').slice(-3000)).join('\n');
      throw new Error(`the agents' phones did not all register:\n${tail}`);
    }
    uas = run(
      SIPP,
      [
        '-sf',
        join(SCENARIOS, 'agent-uas.xml'),
        '-i',
        '127.0.0.1',
        '-p',
        String(phonePort),
        '-mp',
        String(await freeSipPort()),
        '-nostdin',
      ],
      dir,
    );
    await sleep(500);

    for (const rate of RATES) {
      const statFile = join(dir, `caller-${rate}.csv`);
      const startedAt = Date.now();
      const cpu0 = cpuSeconds(hotline.child.pid!);
      const caller = run(
        SIPP,
        [
          '-sf',
          join(SCENARIOS, 'caller.xml'),
          `127.0.0.1:${sipPort}`,
          '-i',
          '127.0.0.1',
          '-p',
          String(await freeSipPort()),
          '-mp',
          String(await freeSipPort()),
          '-r',
          String(rate),
          '-m',
          String(rate * SECONDS),
          '-d',
          String(HOLD_MS),
          '-recv_timeout',
          '15000',
          '-nostdin',
          '-timeout',
          `${SECONDS + 120}s`,
          '-trace_stat',
          '-stf',
          statFile,
          '-trace_err',
          '-error_file',
          join(dir, `caller-${rate}-errors.log`),
          '-fd',
          '1',
        ],
        dir,
      );
      await caller.done;
      const wall = (Date.now() - startedAt) / 1000;
      const cpuPct = ((cpuSeconds(hotline.child.pid!) - cpu0) / wall) * 100;
      const stats = sippStats(statFile);
      const successful = stats['SuccessfulCall(C)'] ?? 0;
      const failed = stats['FailedCall(C)'] ?? rate * SECONDS;
      // Let the last agent legs end before the next step.
      await sleep(3000);
      windows.push([startedAt, Date.now()]);
      steps.push({
        rate,
        calls: stats['OutgoingCall(C)'] ?? 0,
        successful,
        failed,
        agentLegs: 0,
        cpuPct: Math.round(cpuPct),
        clean: failed === 0,
      });
      process.stderr.write(
        `[${kind}] ${rate} calls/s: ${successful} ok, ${failed} failed, CPU ${Math.round(cpuPct)} %\n`,
      );
      if (failed > 0) {
        process.stderr.write(
          `[${kind}] why calls failed at ${rate} calls/s: ${failureReasons(join(dir, `caller-${rate}-errors.log`))}\n`,
        );
        break;
      }
    }
  } finally {
    uas?.child.kill('SIGTERM');
    await uas?.done;
    await stopHotline(hotline.child);
  }
  // The CDRs tell whether the calls really reached agents: answered agent legs per step.
  const database = await openDatabase({ url: databaseUrl, dataDir: env.HOTLINE_DATA_DIR! });
  try {
    for (const [i, [from, to]] of windows.entries()) {
      const r: unknown = await database.db.execute(
        sql`select count(*)::int as n from cdrs where direction = 'outbound' and answered_at is not null
            and started_at >= ${new Date(from).toISOString()} and started_at < ${new Date(to).toISOString()}`,
      );
      const step = steps[i]!;
      step.agentLegs = Number((r as { rows: { n: number }[] }).rows[0]!.n);
      step.clean = step.failed === 0 && step.agentLegs >= step.successful && step.successful > 0;
    }
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const clean = steps.filter((s) => s.clean);
  const best = clean.length ? Math.max(...clean.map((s) => s.rate)) : 0;
  const firstDirty = steps.find((s) => !s.clean);
  return {
    callsPerSec: best,
    failedCalls: firstDirty
      ? firstDirty.failed + Math.max(0, firstDirty.successful - firstDirty.agentLegs)
      : 0,
    steps,
  };
}

if (!existsSync(SIPP)) throw new Error('SIPp is missing: install the Debian package sip-tester');
const pglite = await bench('pglite', null);
let postgres: Awaited<ReturnType<typeof bench>> | null = null;
if (process.env.DATABASE_URL) {
  const pg = await freshPostgres();
  try {
    postgres = await bench('postgres', pg.url);
  } finally {
    await pg.drop();
  }
}
console.log(
  JSON.stringify({
    callsPerSec: pglite.callsPerSec,
    failedCalls: pglite.failedCalls,
    stepSeconds: SECONDS,
    holdMs: HOLD_MS,
    agents: AGENTS,
    pglite,
    ...(postgres ? { postgres } : {}),
  }),
);
