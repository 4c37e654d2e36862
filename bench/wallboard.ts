/**
 * Wallboard fan-out: 500 WebSocket clients on /api/events over loopback (450 supervisors/admins
 * watching the whole floor, 50 agents watching themselves) while agent states are driven through the
 * HTTP API. Measures events delivered per second across all clients and the p99 delay from the state
 * change (the event's server timestamp) to receipt. The clients run in a worker thread so their
 * parsing does not share the server's event loop. Ends with one JSON line {"clients","eventsPerSec","p99Ms"}.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadConfig } from '../src/config/index.js';
import { createHotline } from '../src/main.js';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 50);
const STAFF_CLIENTS = Number(process.env.BENCH_STAFF_CLIENTS ?? 450);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const IN_FLIGHT = 8;

async function json(base: string, method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : ((await res.json()) as Record<string, any>);
}

// Plain JavaScript for the worker: connect every client, wait for all "hello"s, then record the delay
// of every agent.state event until told to stop.
const CLIENTS_JS = `
const { parentPort, workerData } = require('node:worker_threads');
const WebSocket = require('ws');
const delays = [];
let received = 0, first = 0, last = 0;
const sockets = [];
let ready = 0;
for (const token of workerData.tokens) {
  const ws = new WebSocket(workerData.url + '?token=' + encodeURIComponent(token));
  sockets.push(ws);
  ws.on('message', (raw) => {
    const now = Date.now();
    const m = JSON.parse(raw.toString());
    if (m.type === 'hello') { if (++ready === workerData.tokens.length) parentPort.postMessage({ ready: true }); return; }
    if (m.type !== 'agent.state') return;
    received++;
    if (!first) first = now;
    last = now;
    delays.push(now - m.data.at);
  });
  ws.on('error', (e) => parentPort.postMessage({ error: String(e) }));
}
parentPort.on('message', (msg) => {
  if (msg === 'count') parentPort.postMessage({ count: received });
  if (msg === 'stop') {
    for (const s of sockets) s.close();
    parentPort.postMessage({ done: true, received, first, last, delays });
  }
});
`;

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-bench-'));
  const config = loadConfig({
    HOTLINE_HOST: '127.0.0.1',
    HOTLINE_PORT: '0',
    HOTLINE_DATA_DIR: dataDir,
    HOTLINE_ADMIN_PASSWORD: 'bench-admin-1',
    HOTLINE_LOG_LEVEL: 'silent',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  });
  const h = await createHotline(config, { logger: false });
  const base = await h.listen();
  try {
    const login = async (username: string, password: string) =>
      (await json(base, 'POST', '/api/auth/login', null, { username, password }))!.token as string;
    const admin = await login('admin', 'bench-admin-1');
    const sup = await json(base, 'POST', '/api/users', admin, {
      username: 'sup',
      displayName: 'Sup',
      role: 'supervisor',
      password: 'bench-pass-1',
    });
    const team = await json(base, 'POST', '/api/teams', admin, { name: 'Floor', supervisorIds: [sup!.id] });
    const agents: { id: string; token: string }[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const u = await json(base, 'POST', '/api/users', admin, {
        username: `a${i}`,
        displayName: `Agent ${i}`,
        role: 'agent',
        password: 'bench-pass-1',
      });
      const a = await json(base, 'POST', '/api/agents', admin, { userId: u!.id, teamId: team!.id });
      agents.push({ id: a!.id, token: await login(`a${i}`, 'bench-pass-1') });
    }
    // Supervisors and admins share a handful of sessions; each socket is its own subscriber.
    const staffTokens = [await login('sup', 'bench-pass-1'), admin];
    const tokens = [
      ...Array.from({ length: STAFF_CLIENTS }, (_, i) => staffTokens[i % staffTokens.length]!),
      ...agents.map((a) => a.token),
    ];
    const worker = new Worker(CLIENTS_JS, {
      eval: true,
      workerData: { url: `${base.replace(/^http/, 'ws')}/api/events`, tokens },
    });
    const fromWorker = (pred: (m: any) => boolean) =>
      new Promise<any>((resolve, reject) => {
        const on = (m: any) => {
          if (m.error) reject(new Error(m.error));
          if (pred(m)) {
            worker.off('message', on);
            resolve(m);
          }
        };
        worker.on('message', on);
      });
    await fromWorker((m) => m.ready);

    // Every change is one agent.state event for the agent's own client and every staff client.
    const changes: (() => Promise<unknown>)[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const a of agents) {
        const body = r === 0 ? { presence: 'available' } : { presence: r % 2 ? 'not_ready' : 'available' };
        const path = r === 0 ? `/api/agents/${a.id}/login` : `/api/agents/${a.id}/presence`;
        changes.push(() => json(base, 'POST', path, a.token, body));
      }
    }
    const expected = changes.length * (STAFF_CLIENTS + 1);
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < changes.length) await changes[next++]!();
      }),
    );
    // Wait until every client has every event (or give up after a while and report what arrived).
    for (let i = 0; i < 600; i++) {
      worker.postMessage('count');
      const { count } = await fromWorker((m) => typeof m.count === 'number');
      if (count >= expected) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    worker.postMessage('stop');
    const res = await fromWorker((m) => m.done);
    await worker.terminate();
    const delays = (res.delays as number[]).sort((x, y) => x - y);
    const p = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? 0;
    const seconds = Math.max(1, res.last - res.first) / 1000;
    console.log(
      `${tokens.length} clients, ${changes.length} state changes, ${res.received}/${expected} events delivered, ` +
        `p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${delays[delays.length - 1]} ms`,
    );
    console.log(
      JSON.stringify({
        clients: tokens.length,
        stateChanges: changes.length,
        eventsDelivered: res.received,
        eventsExpected: expected,
        eventsPerSec: Math.round(res.received / seconds),
        p50Ms: p(0.5),
        p99Ms: p(0.99),
      }),
    );
  } finally {
    await h.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
