/**
 * API throughput: creating interactions and changing agent states over HTTP with autocannon on
 * loopback, on PGlite and (when DATABASE_URL is set) on PostgreSQL. Ends with one JSON line:
 * {"pglite": {"rps", "p99Ms", ...}, "postgres": {...}}
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/index.js';
import { createHotline } from '../src/main.js';
import { freshPostgres } from '../test/helpers/database.js';

const DURATION_SEC = Number(process.env.BENCH_DURATION_SEC ?? 10);

async function json(base: string, method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : ((await res.json()) as Record<string, any>);
}

async function run(kind: 'pglite' | 'postgres', databaseUrl: string | null) {
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-bench-'));
  const config = loadConfig({
    HOTLINE_HOST: '127.0.0.1',
    HOTLINE_PORT: '0',
    HOTLINE_DATA_DIR: dataDir,
    HOTLINE_ADMIN_PASSWORD: 'bench-admin-1',
    HOTLINE_LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const h = await createHotline(config, { logger: false });
  const base = await h.listen();
  try {
    const { token } = (await json(base, 'POST', '/api/auth/login', null, {
      username: 'admin',
      password: 'bench-admin-1',
    }))!;
    const skill = (await json(base, 'POST', '/api/skills', token, { name: 'bench' }))!;
    const queue = (await json(base, 'POST', '/api/queues', token, {
      name: 'Bench',
      requirements: [{ skillId: skill.id, minLevel: 1 }],
    }))!;
    const user = (await json(base, 'POST', '/api/users', token, {
      username: 'b1',
      displayName: 'B',
      role: 'agent',
      password: 'bench-pass-1',
    }))!;
    const agent = (await json(base, 'POST', '/api/agents', token, {
      userId: user.id,
      skills: { [skill.id]: 5 },
    }))!;
    await json(base, 'POST', `/api/agents/${agent.id}/login`, token, { presence: 'not_ready' });

    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const create = await autocannon({
      url: `${base}/api/interactions`,
      method: 'POST',
      headers,
      body: JSON.stringify({ channel: 'email', queueId: queue.id, subject: 'bench' }),
      connections: 16,
      duration: DURATION_SEC,
    });
    let flip = 0;
    const presence = await autocannon({
      url: `${base}/api/agents/${agent.id}/presence`,
      method: 'POST',
      headers,
      connections: 8,
      duration: DURATION_SEC,
      setupClient: (client) => {
        client.setBody(JSON.stringify({ presence: flip++ % 2 ? 'available' : 'not_ready', reason: null }));
      },
    });
    const failed = create.non2xx + create.errors + presence.non2xx + presence.errors;
    const result = {
      rps: Math.round(create.requests.average + presence.requests.average),
      p99Ms: Math.max(create.latency.p99, presence.latency.p99),
      createRps: Math.round(create.requests.average),
      createP99Ms: create.latency.p99,
      presenceRps: Math.round(presence.requests.average),
      presenceP99Ms: presence.latency.p99,
      failed,
    };
    console.log(`${kind}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await h.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const out: Record<string, unknown> = { durationSec: DURATION_SEC };
out.pglite = await run('pglite', null);
if (process.env.DATABASE_URL) {
  const db = await freshPostgres();
  try {
    out.postgres = await run('postgres', db.url);
  } finally {
    await db.drop();
  }
}
console.log(JSON.stringify(out));
