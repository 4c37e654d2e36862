/**
 * Where the SMS pipeline's time goes on PostgreSQL (or PGlite with BENCH_SMS_DB=pglite): the
 * ceiling (bare SmppBind, nothing stored) and the end-to-end run of bench/sms.ts side by side, plus
 * counts from wrapping `pg.Client.query` — statements and commits per message, time spent waiting
 * on commits — the event loop's busy share, and CPU per message: this process (Hotline and the
 * HTTP client), the simulator's own process, and PostgreSQL's (BENCH_PG_PID = its postmaster). Run under `node --cpu-prof` for a profile:
 *   DATABASE_URL=… node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/sms-profile.ts
 * Ends with one JSON line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { endToEnd, ceiling } from './sms-run.js';
import { freshPostgres } from '../test/helpers/database.js';

const ROUNDS = Number(process.env.BENCH_SMS_ROUNDS ?? 1);
const kind = process.env.BENCH_SMS_DB ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite');

interface Counts {
  statements: number;
  commits: number;
  commitMs: number;
  byVerb: Record<string, number>;
}
const counts: Counts = { statements: 0, commits: 0, commitMs: 0, byVerb: {} };
/** Statements by their first 90 characters (BENCH_SMS_STATEMENTS=1). */
const shapes = new Map<string, number>();
const original = (pg.Client.prototype as { query: unknown }).query;
// Counted at the client: every statement the pool runs, and how long each COMMIT round trip took.
(pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0];
  const text = typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '');
  const verb = text.trim().split(/\s+/, 1)[0]!.toLowerCase();
  counts.statements++;
  counts.byVerb[verb] = (counts.byVerb[verb] ?? 0) + 1;
  if (process.env.BENCH_SMS_STATEMENTS) {
    const shape = text.replace(/\s+/g, ' ').replace(/\$\d+/g, '$').slice(0, 90);
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
  }
  const result = (original as (...a: unknown[]) => unknown).apply(this, args);
  if (verb === 'commit') {
    counts.commits++;
    const started = performance.now();
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      void (result as Promise<unknown>).then(
        () => (counts.commitMs += performance.now() - started),
        () => undefined,
      );
    }
  }
  return result;
};

/**
 * CPU seconds (user + system) of the PostgreSQL server whose postmaster has pid BENCH_PG_PID, from
 * /proc: the postmaster, its live children, and the children it has reaped (a backend ends with its
 * connection); null when not given.
 */
function postgresCpuSec(): number | null {
  const root = Number(process.env.BENCH_PG_PID ?? 0);
  if (!root) return null;
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields after the name: state ppid … utime (12th) stime (13th) cutime (14th) cstime (15th).
      if (Number(pid) === root) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      else if (Number(f[1]) === root) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks / 100;
}

const results = [];
for (let round = 0; round < ROUNDS; round++) {
  const ceil = await ceiling();
  const ceilingPerSec = ceil.messagesPerSec;
  const db = kind === 'postgres' ? await freshPostgres() : null;
  try {
    let from = 0n;
    let cpu0 = process.cpuUsage();
    let pg0: number | null = null;
    const run = await endToEnd(kind, db?.url ?? null, () => {
      Object.assign(counts, { statements: 0, commits: 0, commitMs: 0, byVerb: {} });
      shapes.clear();
      from = process.hrtime.bigint() / 1000n;
      cpu0 = process.cpuUsage();
      pg0 = postgresCpuSec();
    });
    const cpu = process.cpuUsage(cpu0);

    const pg1 = postgresCpuSec();
    // The run's window on the profile's clock (µs), to cut the CPU profile to the pipeline alone.
    const window = { fromUs: Number(from), toUs: Number(process.hrtime.bigint() / 1000n) };
    const n = run.messages;
    results.push({
      ceiling: ceilingPerSec,
      ceilingCpuUsPerMessage: ceil.cpuUsPerMessage,
      ceilingSimulatorCpuUsPerMessage: ceil.simulatorCpuUsPerMessage,
      ...run,
      // CPU per message, µs: this process (Hotline and the HTTP client; the simulator has its own,
      // simulatorCpuUsPerMessage) and PostgreSQL.
      nodeCpuUsPerMessage: Math.round((cpu.user + cpu.system) / n),
      nodeSystemCpuUsPerMessage: Math.round(cpu.system / n),
      postgresCpuUsPerMessage: pg0 === null || pg1 === null ? null : Math.round(((pg1 - pg0) * 1e6) / n),
      ratio: Math.round((run.messagesPerSec / ceilingPerSec) * 1000) / 1000,
      statementsPerMessage: Math.round((counts.statements / n) * 1000) / 1000,
      commitsPerMessage: Math.round((counts.commits / n) * 1000) / 1000,
      commitMsAvg: counts.commits ? Math.round((counts.commitMs / counts.commits) * 10) / 10 : 0,
      byVerb: counts.byVerb,
      window,
    });
    console.error(JSON.stringify(results.at(-1)));
  } finally {
    await db?.drop();
  }
}
if (shapes.size) console.error([...shapes].sort((a, b) => b[1] - a[1]).slice(0, 30));
console.log(JSON.stringify({ kind, results }));
