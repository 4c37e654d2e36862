// Trunk health follows the console: a trunk added over the API is pinged (OPTIONS) and registers
// with its proxy at once, its state shown in GET /api/trunks; moved to a proxy that never answers
// it raises "SIP trunk unreachable"; deleted, its alarm clears — all without a restart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { until } from './helpers/sipp.js';
import { freeSipPort } from './helpers/voice-peers.js';

const BASE = 33000 + (process.pid % 50) * 20;

let t: TestHotline;
/** A carrier's proxy: answers every request 200 (REGISTER with its binding). */
let proxy: Socket;
const seen: string[] = [];

before(async () => {
  proxy = createSocket('udp4');
  proxy.on('message', (m, from) => {
    const text = m.toString('latin1');
    seen.push(text.split(' ', 1)[0]!);
    const header = (name: string) => new RegExp(`^${name}:.*$`, 'mi').exec(text)?.[0] ?? '';
    const contact = /^Contact:\s*<([^>]+)>/im.exec(text)?.[1];
    const answer =
      `SIP/2.0 200 OK\r\n${header('Via')}\r\n${header('From')}\r\n${header('To')};tag=p\r\n` +
      `${header('Call-ID')}\r\n${header('CSeq')}\r\n` +
      (contact ? `Contact: <${contact}>;expires=300\r\n` : '') +
      'Content-Length: 0\r\n\r\n';
    proxy.send(answer, from.port, from.address);
  });
  await new Promise<void>((r) => proxy.bind(0, '127.0.0.1', () => r()));
  t = await startTestHotline({
    env: {
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_SIP_TCP: 'false',
      HOTLINE_RTP_PORTS: `${BASE}-${BASE + 9}`,
      HOTLINE_TRUNK_PING_SEC: '1',
      HOTLINE_ALARM_INTERVAL_SEC: '1',
    },
  });
});

after(async () => {
  await t?.stop();
  proxy.close();
});

interface TrunkView {
  name: string;
  health: { reachable: boolean | null; registration: string | null };
}

async function trunk(name: string): Promise<TrunkView | undefined> {
  const r = await t.call<TrunkView[]>('GET', '/api/trunks', undefined, t.adminToken);
  assert.equal(r.status, 200);
  return r.body.find((x) => x.name === name);
}

interface AlarmsView {
  open: { key: string; detail: string }[];
  recent: { key: string; kind: string }[];
}

async function alarms(): Promise<AlarmsView> {
  return (await t.call<AlarmsView>('GET', '/api/alarms', undefined, t.adminToken)).body;
}

test(
  'pings and registration follow trunks added, moved and deleted over the API',
  { timeout: 90_000 },
  async () => {
    const body = {
      sources: ['198.51.100.20'],
      dids: ['*'],
      outboundProxy: `127.0.0.1:${proxy.address().port}`,
      domain: 'carrier.test',
      username: 'hotline',
      password: 'reg-secret',
      registerExpires: 300,
    };
    const created = await t.call('POST', '/api/trunks', { name: 'probe', ...body }, t.adminToken);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await until('the trunk to answer pings and be registered', async () => {
      const v = await trunk('probe');
      return v?.health.reachable === true && v.health.registration === 'registered';
    });
    assert.ok(seen.includes('OPTIONS') && seen.includes('REGISTER'), seen.join());

    const dead = await freeSipPort();
    const moved = await t.call(
      'PUT',
      '/api/trunks/probe',
      { ...body, outboundProxy: `127.0.0.1:${dead}`, registerExpires: 0 },
      t.adminToken,
    );
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const key = 'sip.trunk:probe';
    await until(
      'the unreachable alarm',
      async () => (await alarms()).open.some((a) => a.key === key),
      30_000,
    );
    assert.match((await alarms()).open.find((a) => a.key === key)!.detail, /SIP trunk probe unreachable/);
    assert.equal((await trunk('probe'))?.health.reachable, false);
    assert.equal((await trunk('probe'))?.health.registration, null, 'no longer registering');

    assert.equal((await t.call('DELETE', '/api/trunks/probe', undefined, t.adminToken)).status, 204);
    await until('the alarm to clear', async () => {
      const a = await alarms();
      return !a.open.some((x) => x.key === key) && a.recent.some((x) => x.key === key && x.kind === 'clear');
    });
  },
);
