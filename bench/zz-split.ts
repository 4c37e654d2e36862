import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { RoutingEngine, type RoutingEvent } from '../src/domain/routing/index.js';
import { Arrivals, buildScenario, WAITING } from './routing-scenario.js';
const sc = buildScenario();
const e = new RoutingEngine();
const arr = new Arrivals(sc);
let now = 1_700_000_000_000;
for (const q of sc.queues) e.upsertQueue(q, now);
for (const a of sc.agents) e.upsertAgent(a, now);
for (const a of sc.agents) e.login(a.id, now, 'available');
const busy: { a: string; i: string }[] = [];
const offer = (ev: RoutingEvent[]) =>
  ev.find((x) => x.type === 'offer') as Extract<RoutingEvent, { type: 'offer' }> | undefined;
let waiting = 0;
while (waiting < WAITING) {
  const o = offer(e.enqueue(arr.next(now - Math.floor(arr.random() * 300_000)), now));
  if (o) {
    e.accept(o.reservationId, now);
    busy.push({ a: o.agentId, i: o.interactionId });
  } else waiting++;
}
(globalThis as any).__T = { change: 0, drain: 0, stats: 0 };
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const cpu0 = process.cpuUsage();
const t: Record<string, number> = {
  complete: 0,
  accept: 0,
  enqueueMain: 0,
  enqueueExpress: 0,
  acceptX: 0,
  completeX: 0,
  tick: 0,
};
const c: Record<string, number> = {};
const time = <T>(k: string, f: () => T): T => {
  const s = process.hrtime.bigint();
  const r = f();
  t[k]! += Number(process.hrtime.bigint() - s) / 1e6;
  c[k] = (c[k] ?? 0) + 1;
  return r;
};
for (let it = 0; it < Number(process.env.N ?? 100000); it++) {
  now++;
  if (it % 100 === 0) time('tick', () => e.tick(now));
  if (arr.random() >= 0.2) {
    const k = Math.floor(arr.random() * busy.length);
    const j = busy[k]!;
    busy[k] = busy[busy.length - 1]!;
    busy.pop();
    const o = offer(time('complete', () => e.complete(j.i, now)));
    if (o) {
      time('accept', () => e.accept(o.reservationId, now));
      busy.push({ a: o.agentId, i: o.interactionId });
    }
    const o2 = offer(time('enqueueMain', () => e.enqueue(arr.next(now), now)));
    if (o2) {
      time('accept', () => e.accept(o2.reservationId, now));
      busy.push({ a: o2.agentId, i: o2.interactionId });
    }
  } else {
    const o = offer(time('enqueueExpress', () => e.enqueue(arr.next(now, true), now)));
    if (o) {
      time('acceptX', () => e.accept(o.reservationId, now));
      time('completeX', () => e.complete(o.interactionId, now));
    }
  }
}
const cpu = process.cpuUsage(cpu0);
console.log('cpu user ms', (cpu.user / 1000).toFixed(0), 'sys', (cpu.system / 1000).toFixed(0));
const { profile } = await session.post('Profiler.stop');
writeFileSync('/tmp/steady.cpuprofile', JSON.stringify(profile));
let total = 0;
for (const k in t) total += t[k]!;
for (const k in t)
  console.log(
    k.padEnd(15),
    `${t[k]!.toFixed(0)} ms`.padStart(8),
    `${((1000 * t[k]!) / (c[k] ?? 1)).toFixed(2)} µs/op`.padStart(14),
    `${((100 * t[k]!) / total).toFixed(1)}%`,
  );
console.log('total', total.toFixed(0));
{
  const s = (e as any).s;
  console.log('deadlines', s.deadlines.size);
  const sizes: number[] = [];
  for (const q of sc.queues) for (const l of s.queues.get(q.id).lanes.values()) sizes.push(l.waiting.size);
  sizes.sort((a, b) => b - a);
  console.log('lanes', sizes.length, 'top sizes', sizes.slice(0, 10), 'median', sizes[sizes.length >> 1]);
}
const T = (globalThis as any).__T; for (const k in T) console.log(k, k.startsWith('serves') || k === 'ok' ? T[k] : (T[k] / 1e6).toFixed(0) + ' ms');
