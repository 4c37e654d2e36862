/**
 * SMS throughput end to end: messages accepted by POST /api/sms/bulk → stored → submitted over
 * SMPP → receipt recorded (status delivered), against the SMSC simulator with 10 ms latency and a
 * window of 50, on PGlite and (when DATABASE_URL is set) PostgreSQL. Side by side, the ceiling: a
 * plain SmppBind blasting the same number of submits with no persistence. Last, how long a
 * 100,000-recipient campaign takes to be queued (PGlite). Ends with one JSON line:
 * {"pglite": {"messagesPerSec"}, "postgres": {"messagesPerSec"} | null, "ceilingRatio", "campaign100kSec"}
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/index.js';
import { createHotline, type Hotline } from '../src/main.js';
import { SmppBind, SmscSimulator } from '../src/adapters/smpp/index.js';
import { freshPostgres } from '../test/helpers/database.js';

const MESSAGES = Number(process.env.BENCH_SMS_MESSAGES ?? 5000);
const CAMPAIGN = Number(process.env.BENCH_SMS_CAMPAIGN ?? 100_000);
const LATENCY_MS = 10;
const WINDOW = 50;
const BATCH = 500;

/** Distinct numbers whose last four digits stay clear of the simulator's fault numbers (…0001 …0999). */
const numberOf = (i: number) => `+1202${5_000_000 + 1000 + (i % 9000) + 10_000 * Math.floor(i / 9000)}`;

async function json(base: string, method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, any>;
}

async function withHotline<T>(
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
    HOTLINE_LOG_LEVEL: 'silent',
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

/** Posts MESSAGES messages in bulk batches and waits until every one has its receipt. */
async function endToEnd(kind: string, databaseUrl: string | null): Promise<{ messagesPerSec: number }> {
  const smsc = new SmscSimulator({ latencyMs: LATENCY_MS, receiptDelayMs: 5, keepSubmits: 0 });
  const port = await smsc.start();
  try {
    return await withHotline(databaseUrl, port, async (h, base, token) => {
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
      const elu0 = performance.eventLoopUtilization();
      const progress = setInterval(
        () =>
          console.error(`${kind}: ${delivered} of ${MESSAGES} delivered, ${smsc.counts.submits} submitted`),
        5000,
      );
      await all.finally(() => clearInterval(progress));
      const sec = (performance.now() - started) / 1000;
      const result = {
        messagesPerSec: Math.round(MESSAGES / sec),
        acceptSec: Math.round(accepted - started) / 1000,
        totalSec: Math.round(sec * 1000) / 1000,
        simulatorSubmits: smsc.counts.submits,
        eventLoopUtilisation: Math.round(performance.eventLoopUtilization(elu0).utilization * 100) / 100,
      };
      console.log(`${kind}: ${JSON.stringify(result)}`);
      return { messagesPerSec: result.messagesPerSec };
    });
  } finally {
    await smsc.stop();
  }
}

/** The same number of submits from a bare SmppBind, nothing stored: the simulator's ceiling. */
async function ceiling(): Promise<number> {
  const smsc = new SmscSimulator({ latencyMs: LATENCY_MS, receiptDelayMs: 5, keepSubmits: 0 });
  const port = await smsc.start();
  const bind = new SmppBind({
    host: '127.0.0.1',
    port,
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
    const started = performance.now();
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
    const perSec = Math.round(MESSAGES / ((performance.now() - started) / 1000));
    console.log(`ceiling (bare SmppBind): ${JSON.stringify({ messagesPerSec: perSec })}`);
    return perSec;
  } finally {
    await bind.close();
    await smsc.stop();
  }
}

/** Seconds from POST /api/sms/campaigns with CAMPAIGN recipients to its answer (all queued). */
async function campaign100k(): Promise<number> {
  const smsc = new SmscSimulator({ keepSubmits: 0 });
  const port = await smsc.start();
  try {
    return await withHotline(null, port, async (_h, base, token) => {
      const recipients = Array.from({ length: CAMPAIGN }, (_, i) => ({
        to: numberOf(i),
        variables: { name: `Customer ${i}` },
      }));
      const started = performance.now();
      const r = await json(base, 'POST', '/api/sms/campaigns', token, {
        name: 'Bench campaign',
        template: 'Dear {{name}}, our offices close on Friday.',
        audience: { recipients },
      });
      const sec = Math.round(performance.now() - started) / 1000;
      if (r.campaign.total !== CAMPAIGN) throw new Error(`campaign: ${r.campaign.total} queued`);
      console.log(`campaign of ${CAMPAIGN}: queued in ${sec} s`);
      return sec;
    });
  } finally {
    await smsc.stop();
  }
}

const ceilingPerSec = await ceiling();
const pglite = await endToEnd('pglite', null);
let postgres: { messagesPerSec: number } | null = null;
if (process.env.DATABASE_URL) {
  const db = await freshPostgres();
  try {
    postgres = await endToEnd('postgres', db.url);
  } finally {
    await db.drop();
  }
}
const campaign100kSec = await campaign100k();
console.log(
  JSON.stringify({
    pglite,
    postgres,
    ceilingRatio: Math.round((pglite.messagesPerSec / ceilingPerSec) * 1000) / 1000,
    campaign100kSec,
  }),
);
