// A carrier's trunk sends every call from one address, far above the per-source rate limit that
// keeps scanners and password crackers out (16 requests in 2 s): trunk sources are exempt, other
// sources are still banned.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { runSipp } from './helpers/sipp.js';

const LIMIT = { timeout: 90_000 };
const RTP_BASE = 46000 + (process.pid % 400) * 10;

let t: TestHotline;

before(async () => {
  t = await startTestHotline({
    env: {
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_RTP_PORTS: `${RTP_BASE}-${RTP_BASE + 9}`,
    },
  });
  t.hotline.config.sip.trunks = [
    { name: 'lab', sources: ['127.0.0.1/32'], dids: ['*'], transport: 'udp', registerExpires: 0 },
  ];
  await t.restart();
});

after(async () => {
  await t.stop();
});

function sipPort(): number {
  const v = t.hotline.voice;
  assert.ok(v, 'SIP is enabled');
  return v.sipPort;
}

test('60 requests in a few hundred ms from the trunk are all answered', LIMIT, async () => {
  const run = await runSipp({
    scenario: 'options.xml',
    port: sipPort(),
    mediaPort: RTP_BASE + 8,
    calls: 60,
    rate: 200,
  });
  assert.equal(run.code, 0, run.out.slice(-2000));
});

test('the same burst from an address outside every trunk gets it banned', LIMIT, async () => {
  const run = await runSipp({
    scenario: 'options.xml',
    port: sipPort(),
    localIp: '127.0.0.2',
    mediaPort: RTP_BASE + 9,
    calls: 60,
    rate: 200,
    timeoutSec: 8,
  });
  assert.notEqual(run.code, 0, 'some OPTIONS go unanswered');
});
