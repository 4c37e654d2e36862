// The browser softphone end to end: an agent signs in in headless Chromium (fake microphone: a beep
// tone), chooses the browser softphone and goes available; a SIPp caller with a 440 Hz tone presses
// 1 in the IVR and waits in Billing; the page rings, the agent answers; the stereo recording holds
// both sides' audio, a digit pressed on the page's keypad reaches the server as RFC 4733, and
// hanging up in the page sends the caller a BYE and puts the interaction into wrap-up. A ring nobody
// answers is withdrawn from the page; a refused microphone keeps the agent on the SIP phone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { InteractionRecord, RecordingRecord } from '../src/services/records.js';
import { CHROMIUM, ensureWebBuilt } from './helpers/browser.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';
import { channelRms, rtpPcap, startSipp, tone } from './helpers/voice-peers.js';

const LIMIT = { timeout: 180_000 };
const BASE = 42000 + (process.pid % 150) * 100;
const HOTLINE_RTP: [number, number] = [BASE, BASE + 29];
const CALLER_RTP = BASE + 40;

let t: TestHotline;
let dir: string;
let url: string;
let context: BrowserContext;
let queueId: string;
let alice: { id: string; token: string };

function flow(queue: string): Record<string, unknown> {
  return {
    version: 1,
    name: 'Test line',
    start: 'menu',
    nodes: {
      menu: { kind: 'menu', prompt: 'menu', options: [{ digit: '1', next: 'billing' }], timeoutSec: 10 },
      billing: { kind: 'queue', queueId: queue },
    },
  };
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium is missing (${CHROMIUM}): CI must install chromium`);
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), 'hotline-softphone-'));
  const flowFile = join(dir, 'flow.json');
  writeFileSync(flowFile, JSON.stringify(flow('00000000-0000-4000-8000-000000000000')));
  t = await startTestHotline({
    env: {
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_SIP_REALM: 'hotline.test',
      HOTLINE_RTP_PORTS: `${HOTLINE_RTP[0]}-${HOTLINE_RTP[1]}`,
      HOTLINE_IVR_FLOW_FILE: flowFile,
      HOTLINE_RECORDINGS_DIR: join(dir, 'recordings'),
    },
  });
  const skill = (await t.call('POST', '/api/skills', { name: 'billing' }, t.adminToken)).body.id as string;
  const queue = await t.call(
    'POST',
    '/api/queues',
    {
      name: 'Billing',
      requirements: [{ skillId: skill, minLevel: 1 }],
      wrapUpSec: 60,
      reservationTimeoutSec: 60,
    },
    t.adminToken,
  );
  assert.equal(queue.status, 201, JSON.stringify(queue.body));
  queueId = (queue.body as { id: string }).id;
  t.hotline.config.sip.defaultFlow = flow(queueId);
  await t.restart();
  alice = await createUserWithAgent(t, 'alice', { skills: { [skill]: 5 }, capacity: { voice: 1 } });
  // The connector rings the phone of the agent's SIP account; the account chooses no phone by itself.
  const sip = await t.call(
    'PUT',
    `/api/agents/${alice.id}/sip`,
    { username: 'alice', password: 'alice-phone-1' },
    t.adminToken,
  );
  assert.equal(sip.status, 200, JSON.stringify(sip.body));
  url = await t.hotline.listen();
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 768 },
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      '--allow-loopback-in-peer-connection',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
  context.setDefaultTimeout(60_000);
});

after(async () => {
  await context?.close().catch(() => undefined);
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function voice() {
  const v = t.hotline.voice;
  assert.ok(v, 'SIP is enabled');
  return v;
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what} (${JSON.stringify(t.hotline.voice?.browserPhones())})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function latestCall(): Promise<InteractionRecord | undefined> {
  const all = await t.hotline.services.store.interactions.list({ queueId, limit: 100, offset: 0 });
  return all.filter((i) => i.channel === 'voice').sort((a, b) => b.seq - a.seq)[0];
}

async function signIn(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  // The profile keeps the session of an earlier test.
  const login = page.getByLabel('Username');
  const topbar = page.locator('header.topbar');
  await Promise.race([login.waitFor(), topbar.waitFor()]);
  if (await login.isVisible()) {
    await login.fill('alice');
    await page.getByLabel('Password').fill('agent-pass-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await topbar.waitFor();
  return page;
}

test(
  'the agent answers a caller in the browser: audio both ways, a digit, hang up to wrap-up',
  LIMIT,
  async () => {
    const page = await signIn();
    await page.getByTestId('phone-kind').selectOption('browser');
    await until('the browser phone to be chosen', async () => {
      const r = await t.call('GET', '/api/agents/me/phone', undefined, alice.token);
      return (r.body as { kind: string }).kind === 'browser';
    });
    await page.getByRole('button', { name: 'Go available' }).click();
    await page.getByTestId('agent-state').filter({ hasText: 'Available' }).waitFor();

    const caller = startSipp('agent-call.xml', `127.0.0.1:${voice().sipPort}`, {
      mediaPort: CALLER_RTP,
      files: { 'caller.pcap': rtpPcap(tone(440, 30)) },
    });
    try {
      const ringing = page.getByTestId('incoming-call');
      await ringing.filter({ hasText: '12025550143' }).waitFor();
      await ringing.getByRole('button', { name: 'Answer' }).click();
      await page.getByTestId('call-status').filter({ hasText: 'On a call with 12025550143' }).waitFor();
      await until('the call to be connected', async () => (await latestCall())?.status === 'active');
      const call = (await latestCall())!;
      assert.equal(call.agentId, alice.id);
      await until('audio both ways', () => {
        const s = voice().browserPhones();
        return s.activeCalls === 1 && s.packetsFromBrowsers > 100 && s.packetsToBrowsers > 100;
      });

      await page.locator('.softphone .keypad').getByRole('button', { name: '5', exact: true }).click();
      await until('the digit from the browser', () => voice().browserPhones().recentDigits.includes('5'));

      const recs = await t.call<RecordingRecord[]>(
        'GET',
        `/api/interactions/${call.id}/recordings`,
        undefined,
        alice.token,
      );
      assert.equal(recs.status, 200);
      assert.equal(recs.body.length, 1);
      // Two seconds of recording (stereo, 16-bit, 8 kHz) before the agent hangs up.
      await until('two seconds of recorded audio', async () => {
        const { size } = await import('node:fs/promises').then((fs) => fs.stat(recs.body[0]!.filePath));
        return size > 44 + 2 * 8000 * 4;
      });

      await page.locator('.softphone').getByRole('button', { name: 'Hang up' }).click();
      assert.equal(await caller.exited, 0, `the caller gets a BYE:\n${caller.log().slice(-3000)}`);
      await until('wrap-up', async () => (await latestCall())?.status === 'wrap_up');
      await page.getByTestId('incoming-call').waitFor({ state: 'detached' });

      const [rec] = (
        await t.call<RecordingRecord[]>(
          'GET',
          `/api/interactions/${call.id}/recordings`,
          undefined,
          t.adminToken,
        )
      ).body;
      assert.ok(rec?.endedAt, JSON.stringify(rec));
      const audio = await t.hotline.app.inject({
        method: 'GET',
        url: `/api/recordings/${rec.id}/audio`,
        headers: { authorization: `Bearer ${alice.token}` },
      });
      assert.equal(audio.statusCode, 200);
      const stats = channelRms(audio.rawPayload);
      assert.equal(stats.channels, 2);
      // The caller's tone on the left; Chromium's fake microphone (a beep) on the right.
      assert.ok(stats.rms[0]! > 1000, `caller channel RMS ${stats.rms[0]}`);
      assert.ok(stats.rms[1]! > 100, `browser channel RMS ${stats.rms[1]}`);
      await until('the browser leg to be cleaned up', () => voice().browserPhones().activeCalls === 0);
    } finally {
      await caller.stop();
      await page.close();
      // Leave the agent out of wrap-up and not ready for the next test.
      const last = await latestCall();
      if (last) await t.call('POST', `/api/interactions/${last.id}/wrap-up`, {}, alice.token);
      await t.call('POST', `/api/agents/${alice.id}/presence`, { presence: 'not_ready' }, alice.token);
    }
  },
);

test(
  'a browser that rings past the reservation time-out is told the ringing ended; the agent is not ready',
  LIMIT,
  async () => {
    const short = await t.call('PATCH', `/api/queues/${queueId}`, { reservationTimeoutSec: 3 }, t.adminToken);
    assert.equal(short.status, 200, JSON.stringify(short.body));
    const page = await signIn();
    const caller = startSipp('agent-call.xml', `127.0.0.1:${voice().sipPort}`, {
      mediaPort: CALLER_RTP,
      files: { 'caller.pcap': rtpPcap(tone(440, 30)) },
    });
    try {
      await page.getByTestId('phone-kind').selectOption('browser');
      await until('the browser phone to be chosen', async () => {
        const r = await t.call('GET', '/api/agents/me/phone', undefined, alice.token);
        return (r.body as { kind: string }).kind === 'browser';
      });
      await page.getByRole('button', { name: 'Go available' }).click();
      const ringing = page.getByTestId('incoming-call');
      await ringing.filter({ hasText: '12025550143' }).waitFor();
      // Nobody answers: the offer times out and the page stops ringing.
      await ringing.waitFor({ state: 'detached' });
      const call = (await latestCall())!;
      await until('the offer to come back', async () =>
        (await t.hotline.services.store.interactions.events(call.id)).some((e) => e.type === 'requeued'),
      );
      await page.getByTestId('agent-state').filter({ hasText: 'Not ready' }).waitFor();
      const cdrs = (
        await t.call<{ direction: string; endCause: string; sipStatus: number | null }[]>(
          'GET',
          `/api/interactions/${call.id}/cdrs`,
          undefined,
          t.adminToken,
        )
      ).body;
      const leg = cdrs.find((c) => c.direction === 'outbound');
      assert.equal(leg?.endCause, 'no_answer', JSON.stringify(cdrs));
      assert.equal(leg?.sipStatus, 487);
    } finally {
      await caller.stop();
      await page.close();
      await t.call('PATCH', `/api/queues/${queueId}`, { reservationTimeoutSec: 60 }, t.adminToken);
    }
  },
);

test('the phone choice: SIP by default, browser or SIP only, for agents only', LIMIT, async () => {
  // The phone choice is per agent and kept by the server; SIP is the default.
  const me = await t.call('PUT', '/api/agents/me/phone', { kind: 'sip' }, alice.token);
  assert.deepEqual(me.body, { kind: 'sip' });
  const bad = await t.call('PUT', '/api/agents/me/phone', { kind: 'fax' }, alice.token);
  assert.equal(bad.status, 400);
  const admin = await t.call('GET', '/api/agents/me/phone', undefined, t.adminToken);
  assert.equal(admin.status, 404);
});

test(
  'a refused microphone: the panel says why, going available waits, the phone falls back to SIP',
  LIMIT,
  async () => {
    // A browser whose permission prompts are answered "no" (no fake UI that grants them).
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--use-fake-device-for-media-stream',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      ],
    });
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(url);
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('agent-pass-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('header.topbar').waitFor();
      await page.getByTestId('phone-kind').selectOption('browser');
      await page.getByTestId('mic-error').filter({ hasText: 'needs your microphone' }).waitFor();
      assert.equal(await page.getByTestId('phone-kind').inputValue(), 'sip');
      const me = await t.call('GET', '/api/agents/me/phone', undefined, alice.token);
      assert.deepEqual(me.body, { kind: 'sip' });
    } finally {
      await browser.close();
    }
  },
);
