// SIP trunk health: Hotline pings the trunk's outbound proxy with OPTIONS. Nothing answers there →
// the alarm "SIP trunk unreachable" opens (once); SIPp answers as the carrier's proxy → all clear.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { freeSipPort, startSipp, type Peer } from './helpers/voice-peers.js';

const BASE = 10000 + (process.pid % 40) * 60;

let t: TestHotline;
let dir: string;
let proxyPort: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-trunk-health-'));
  proxyPort = await freeSipPort();
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      sip: {
        trunks: [
          { name: 'carrier', sources: ['192.0.2.1'], dids: ['*'], outboundProxy: `127.0.0.1:${proxyPort}` },
        ],
      },
      voice: { trunkPingSec: 1 },
    }),
  );
  t = await startTestHotline({
    env: {
      HOTLINE_CONFIG: configFile,
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_SIP_TCP: 'false',
      HOTLINE_RTP_PORTS: `${BASE + 50}-${BASE + 59}`,
      HOTLINE_ALARM_INTERVAL_SEC: '1',
    },
  });
});

after(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface AlarmsView {
  open: { key: string; detail: string }[];
  recent: { key: string; kind: string }[];
}

async function alarms(): Promise<AlarmsView> {
  const res = await t.call<AlarmsView>('GET', '/api/alarms', undefined, t.adminToken);
  assert.equal(res.status, 200);
  return res.body;
}

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test(
  'a trunk that does not answer OPTIONS raises an alarm, cleared once it answers',
  { timeout: 90_000 },
  async () => {
    const key = 'sip.trunk:carrier';
    await until('the trunk alarm', async () => (await alarms()).open.some((a) => a.key === key));
    const open = (await alarms()).open.find((a) => a.key === key)!;
    assert.match(open.detail, /SIP trunk carrier unreachable/);
    let proxy: Peer | null = null;
    try {
      proxy = startSipp('carrier-options.xml', '127.0.0.1:5060', {
        mediaPort: BASE + 45,
        extra: ['-p', String(proxyPort), '-m', '1000'],
      });
      await until('the all clear', async () => !(await alarms()).open.some((a) => a.key === key));
      const notices = (await alarms()).recent.filter((n) => n.key === key).map((n) => n.kind);
      // One notice when it went down, one when it came back: not one per ping.
      assert.equal(notices.length, 2, JSON.stringify(notices));
      assert.ok(notices.includes('problem'));
    } finally {
      await proxy?.stop();
    }
  },
);
