// The browser softphone when things go wrong, in headless Chromium against a real Hotline and a
// SIPp caller. The agent has no SIP account: the browser phone needs none.
// (a) The agent's page goes away mid-call (reloaded): the caller is held on hold music (hold state
//     "connection", supervisors get call.reconnecting), the page comes back within the grace
//     period, the server offers the call again and it is re-bridged: the same recording goes on
//     with the agent's audio after the reconnect.
// (b) The page does not come back: after the grace period (2 s here) the caller waits in the queue
//     again, in their old place, as an interaction linked to the first; the agent is not ready
//     with the reason connection_lost and the agent leg's CDR says connection_lost.
// (e) The supervisor's wallboard shows the agent's phone reconnecting, with the grace time left,
//     also when opened during the grace; the notice goes when the phone is back, or (in (b)) when
//     the caller goes back to the queue.
// (c) A refused microphone: the panel says so, Go available stays disabled, and the agent is
//     offered the SIP phone instead.
// (d) The microphone is unplugged mid-call (its track ends): the panel says so, the caller hears
//     hold music and the call stays up; a microphone back replaces it and the call talks again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { InteractionRecord, RecordingRecord } from '../src/services/records.js';
import type { HubEvent } from '../src/services/events/event-hub.js';
import { CHROMIUM, ensureWebBuilt, launchChromium, screenshot } from './helpers/browser.js';
import { ADMIN_PASSWORD, startTestHotline, type TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';
import { channelRms, rtpPcap, startSipp, tone, type Peer } from './helpers/voice-peers.js';

const LIMIT = { timeout: 240_000 };
const BASE = 20000 + (process.pid % 40) * 60;
const HOTLINE_RTP: [number, number] = [BASE, BASE + 29];
const CALLER_RTP = BASE + 40;
const CHROMIUM_ARGS = [
  '--use-fake-device-for-media-stream',
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
];

let t: TestHotline;
let dir: string;
let url: string;
let context: BrowserContext;
/** The supervisor's browser (its own storage: the agent's profile keeps alice signed in). */
let supervisorBrowser: Browser | undefined;
let queueId: string;
let alice: { id: string; token: string };
const events: HubEvent[] = [];

function flow(queue: string): Record<string, unknown> {
  return {
    version: 1,
    name: 'Test line',
    start: 'menu',
    nodes: {
      menu: { kind: 'menu', prompt: 'menu', options: [{ digit: '1', next: 'billing' }], timeoutSec: 10 },
      billing: { kind: 'queue', queueId: queue, priority: 3 },
    },
  };
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium is missing (${CHROMIUM}): CI must install chromium`);
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), 'hotline-softphone-grace-'));
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
      HOTLINE_WEBRTC_RECONNECT_GRACE_SECONDS: '60',
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
  // No SIP account: the browser softphone must not need one.
  alice = await createUserWithAgent(t, 'alice', { skills: { [skill]: 5 }, capacity: { voice: 1 } });
  await listen();
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 768 },
    args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream'],
  });
  context.setDefaultTimeout(60_000);
});

after(async () => {
  await context?.close().catch(() => undefined);
  await supervisorBrowser?.close().catch(() => undefined);
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function listen(): Promise<void> {
  url = await t.hotline.listen();
  t.hotline.services.hub.subscribe((e) => {
    if (e.type.startsWith('call.')) events.push(e);
  });
}

function voice() {
  const v = t.hotline.voice;
  assert.ok(v, 'SIP is enabled');
  return v;
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what} (${JSON.stringify(t.hotline.voice?.browserPhones())})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function voiceCalls(): Promise<InteractionRecord[]> {
  const all = await t.hotline.services.store.interactions.list({ queueId, limit: 100, offset: 0 });
  return all.filter((i) => i.channel === 'voice').sort((a, b) => b.seq - a.seq);
}

async function heldBy(interactionId: string): Promise<string[]> {
  const r = await t.call<{ heldBy: string[] }>(
    'GET',
    `/api/interactions/${interactionId}/hold`,
    undefined,
    t.adminToken,
  );
  return r.status === 200 ? r.body.heldBy : [];
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

/** An admin's wallboard in its own browser, showing alice's row; answers the page and that row. */
async function wallboard(): Promise<{ sup: Page; row: ReturnType<Page['locator']> }> {
  supervisorBrowser ??= await launchChromium();
  const c = await supervisorBrowser.newContext({ viewport: { width: 1366, height: 768 } });
  c.setDefaultTimeout(60_000);
  const sup = await c.newPage();
  await sup.goto(`${url}/wallboard`);
  await sup.getByLabel('Username').fill('admin');
  await sup.getByLabel('Password').fill(ADMIN_PASSWORD);
  await sup.getByRole('button', { name: 'Sign in' }).click();
  const row = sup.locator('[data-testid="agent-row"][data-agent="alice"]');
  await row.waitFor();
  return { sup, row };
}

/** Signs in on the browser phone, goes available, takes a SIPp caller's call: the connected call. */
async function answeredCall(): Promise<{ page: Page; caller: Peer; call: InteractionRecord }> {
  const page = await signIn();
  await page.getByTestId('phone-kind').selectOption('browser');
  await until('the browser phone to be chosen', async () => {
    const r = await t.call('GET', '/api/agents/me/phone', undefined, alice.token);
    return (r.body as { kind: string }).kind === 'browser';
  });
  await page.getByRole('button', { name: 'Go available' }).click();
  await page.getByTestId('agent-state').filter({ hasText: 'Available' }).waitFor();
  const caller = startSipp('agent-call-long.xml', `127.0.0.1:${voice().sipPort}`, {
    mediaPort: CALLER_RTP,
    files: { 'caller.pcap': rtpPcap(tone(440, 120)) },
    extra: ['-timeout', '200s'],
  });
  const ringing = page.getByTestId('incoming-call');
  await ringing.filter({ hasText: '12025550143' }).waitFor();
  await ringing.getByRole('button', { name: 'Answer' }).click();
  await page.getByTestId('call-status').filter({ hasText: 'On a call with 12025550143' }).waitFor();
  await until('the call to be connected', async () => (await voiceCalls())[0]?.status === 'active');
  const call = (await voiceCalls())[0]!;
  assert.equal(call.agentId, alice.id);
  await until('audio both ways', () => {
    const s = voice().browserPhones();
    return s.activeCalls === 1 && s.packetsFromBrowsers > 50 && s.packetsToBrowsers > 50;
  });
  return { page, caller, call };
}

test(
  'the page goes away mid-call: the caller is held, the page comes back, the call is re-bridged',
  LIMIT,
  async () => {
    const { page, caller, call } = await answeredCall();
    try {
      const recs = await t.call<RecordingRecord[]>(
        'GET',
        `/api/interactions/${call.id}/recordings`,
        undefined,
        t.adminToken,
      );
      assert.equal(recs.body.length, 1);
      const file = recs.body[0]!.filePath;

      // The network of the page drops: its event stream and peer connection go with the reload.
      await page.reload();
      await until('the caller to be held for the connection', async () =>
        (await heldBy(call.id)).includes('connection'),
      );
      assert.ok(
        events.some(
          (e) =>
            e.type === 'call.reconnecting' && (e.data as { interactionId: string }).interactionId === call.id,
        ),
        'supervisors are told the call waits for the agent',
      );
      assert.equal((await voiceCalls())[0]?.status, 'active', 'the call is not dropped');

      // The page is back (same session): the server offers the call again and it connects.
      await page.locator('header.topbar').waitFor();
      await page.getByTestId('call-status').filter({ hasText: 'On a call with 12025550143' }).waitFor();
      await until('the call to be re-bridged', async () => (await heldBy(call.id)).length === 0);
      assert.ok(events.some((e) => e.type === 'call.reconnected'));
      assert.equal(voice().browserPhones().lostCalls, 0);
      const reconnectedAt = statSync(file).size;
      const before = voice().browserPhones().packetsFromBrowsers;
      await until(
        'audio from the page again',
        () => voice().browserPhones().packetsFromBrowsers > before + 100,
      );
      // Two more seconds of recording after the reconnect (stereo, 16-bit, 8 kHz).
      await until(
        'two seconds recorded after the reconnect',
        () => statSync(file).size > reconnectedAt + 2 * 8000 * 4,
      );

      await page.locator('.softphone').getByRole('button', { name: 'Hang up' }).click();
      assert.equal(await caller.exited, 0, `the caller gets a BYE:\n${caller.log().slice(-3000)}`);
      await until('wrap-up', async () => (await voiceCalls())[0]?.status === 'wrap_up');
      const [rec] = (
        await t.call<RecordingRecord[]>(
          'GET',
          `/api/interactions/${call.id}/recordings`,
          undefined,
          t.adminToken,
        )
      ).body;
      assert.ok(rec?.endedAt, 'one recording, closed at the hang-up');
      const wav = readFileSync(rec.filePath);
      const afterMs = ((reconnectedAt - 44) / (8000 * 4)) * 1000;
      const tail = channelRms(wav, { fromMs: afterMs, toMs: afterMs + 2000 });
      // Chromium's fake microphone (a beep) on the agent's channel after the reconnect.
      assert.ok(tail.rms[1]! > 100, `agent channel RMS after the reconnect ${tail.rms[1]}`);
      const cdrs = (
        await t.call<{ direction: string; endCause: string }[]>(
          'GET',
          `/api/interactions/${call.id}/cdrs`,
          undefined,
          t.adminToken,
        )
      ).body;
      assert.equal(
        cdrs.find((c) => c.direction === 'outbound')?.endCause,
        'agent_hangup',
        JSON.stringify(cdrs),
      );
    } finally {
      await caller.stop();
      await page.close();
      const last = (await voiceCalls())[0];
      if (last) await t.call('POST', `/api/interactions/${last.id}/wrap-up`, {}, alice.token);
      await t.call('POST', `/api/agents/${alice.id}/presence`, { presence: 'not_ready' }, alice.token);
    }
  },
);

test(
  'the microphone is unplugged mid-call: the caller hears hold music, the call stays up until a microphone is back',
  LIMIT,
  async () => {
    // The page's microphone streams are kept where the test can end their tracks as an unplugged
    // device does (the track ends and fires "ended").
    await context.addInitScript({
      content: `(() => {
        const md = navigator.mediaDevices;
        const open = md.getUserMedia.bind(md);
        window.mics = [];
        md.getUserMedia = async (c) => {
          const stream = await open(c);
          window.mics.push(stream);
          return stream;
        };
      })();`,
    });
    const { page, caller, call } = await answeredCall();
    try {
      await page.evaluate(`(() => {
        for (const s of window.mics) {
          for (const track of s.getAudioTracks()) {
            track.stop();
            track.dispatchEvent(new Event('ended'));
          }
        }
      })()`);
      await page.getByTestId('mic-unplugged').waitFor();
      await until('the caller to be held', async () => (await heldBy(call.id)).includes('agent'));
      assert.equal((await voiceCalls())[0]?.status, 'active', 'the call stays up');
      assert.equal(voice().browserPhones().activeCalls, 1);

      // A microphone is back: it replaces the lost one, the hold ends and the page's audio flows.
      await page
        .getByTestId('mic-unplugged')
        .getByRole('button', { name: 'Try the microphone again' })
        .click();
      await page.getByTestId('mic-unplugged').waitFor({ state: 'detached' });
      await until('the hold to end', async () => (await heldBy(call.id)).length === 0);
      const before = voice().browserPhones().packetsFromBrowsers;
      await until(
        'audio from the page again',
        () => voice().browserPhones().packetsFromBrowsers > before + 100,
      );
      assert.equal(voice().browserPhones().lostCalls, 0);

      await page.locator('.softphone').getByRole('button', { name: 'Hang up' }).click();
      assert.equal(await caller.exited, 0, `the caller gets a BYE:\n${caller.log().slice(-3000)}`);
    } finally {
      await caller.stop();
      await page.close();
      const last = (await voiceCalls())[0];
      if (last) await t.call('POST', `/api/interactions/${last.id}/wrap-up`, {}, alice.token);
      await t.call('POST', `/api/agents/${alice.id}/presence`, { presence: 'not_ready' }, alice.token);
    }
  },
);

test(
  'the wallboard shows the agent whose phone is reconnecting, with the time left, until the phone is back',
  LIMIT,
  async () => {
    const { sup, row } = await wallboard();
    const { page, caller, call } = await answeredCall();
    let back: Page | undefined;
    try {
      await row.getByTestId('agent-row-state').filter({ hasText: 'Busy' }).waitFor();
      const badge = row.getByTestId('agent-reconnecting');
      assert.equal(await badge.count(), 0, 'nothing to say while the phone is connected');

      // The agent's page goes away: the wallboard says so at once, with the grace (60 s) counting down.
      await page.close();
      await badge.waitFor();
      const first = (await badge.textContent()) ?? '';
      assert.match(first, /^Phone reconnecting… (1:00|0:[0-5]\d)$/, first);
      await until('the countdown to run', async () => ((await badge.textContent()) ?? '') < first);
      assert.ok((await heldBy(call.id)).includes('connection'));

      // A wallboard opened during the grace reads it from the call's timeline.
      await sup.reload();
      await row
        .getByTestId('agent-reconnecting')
        .filter({ hasText: /^Phone reconnecting… 0:[0-5]\d$/ })
        .waitFor();
      await screenshot(sup, 'wallboard-reconnecting');
      // And in Chinese.
      await sup.getByRole('combobox', { name: 'Language / 语言' }).selectOption('zh');
      await row.getByTestId('agent-reconnecting').filter({ hasText: '话机重新连接中' }).waitFor();
      await sup.getByRole('combobox', { name: 'Language / 语言' }).selectOption('en');

      // The agent's page is back: the call is re-bridged and the notice goes; the agent is still busy.
      back = await signIn();
      await back.getByTestId('call-status').filter({ hasText: 'On a call with 12025550143' }).waitFor();
      await badge.waitFor({ state: 'detached' });
      await until('the call to be re-bridged', async () => (await heldBy(call.id)).length === 0);
      await row.getByTestId('agent-row-state').filter({ hasText: 'Busy' }).waitFor();

      await back.locator('.softphone').getByRole('button', { name: 'Hang up' }).click();
      assert.equal(await caller.exited, 0, `the caller gets a BYE:\n${caller.log().slice(-3000)}`);
    } catch (err) {
      await screenshot(sup, 'failure-wallboard-reconnecting');
      throw err;
    } finally {
      await caller.stop();
      await back?.close();
      await sup.context().close();
      const last = (await voiceCalls())[0];
      if (last) await t.call('POST', `/api/interactions/${last.id}/wrap-up`, {}, alice.token);
      await t.call('POST', `/api/agents/${alice.id}/presence`, { presence: 'not_ready' }, alice.token);
    }
  },
);

test(
  'the page does not come back: after the grace the caller waits in the queue again and the agent is not ready',
  LIMIT,
  async () => {
    t.hotline.config.webrtc.reconnectGraceSeconds = 8;
    await t.restart();
    await listen();
    const { sup, row } = await wallboard();
    const { page, caller, call } = await answeredCall();
    try {
      await page.close();
      // The wallboard shows the phone reconnecting, then the caller waiting in the queue again.
      const badge = row.getByTestId('agent-reconnecting');
      await badge.waitFor();
      await sup.locator('[data-testid="waiting-row"][data-queue="Billing"]').waitFor();
      await badge.waitFor({ state: 'detached' });
      await until('the caller to be queued again', async () => {
        const [next] = await voiceCalls();
        return next !== undefined && next.id !== call.id && next.status === 'queued';
      });
      const [next] = await voiceCalls();
      assert.equal(next!.metadata.transferredFrom, call.id);
      assert.equal(next!.metadata.requeueReason, 'connection_lost');
      assert.equal(next!.priority, 3, 'the caller keeps their priority');
      assert.equal(next!.queuedAt?.getTime(), call.queuedAt?.getTime(), 'and their place');
      const waiting = await t.call<{ interactionId: string }[]>(
        'GET',
        `/api/queues/${queueId}/waiting`,
        undefined,
        t.adminToken,
      );
      assert.equal(waiting.body[0]?.interactionId, next!.id, JSON.stringify(waiting.body));
      const state = await t.call<{ state: string; reason: string | null }>(
        'GET',
        `/api/agents/${alice.id}/state`,
        undefined,
        t.adminToken,
      );
      assert.equal(state.body.reason, 'connection_lost', JSON.stringify(state.body));
      const cdrs = (
        await t.call<{ direction: string; endCause: string }[]>(
          'GET',
          `/api/interactions/${call.id}/cdrs`,
          undefined,
          t.adminToken,
        )
      ).body;
      assert.equal(
        cdrs.find((c) => c.direction === 'outbound')?.endCause,
        'connection_lost',
        JSON.stringify(cdrs),
      );
      assert.ok(events.some((e) => e.type === 'call.reconnect_failed'));
      assert.equal(caller.child.exitCode, null, 'the caller is still on the line');
      await until('the browser leg to be cleaned up', () => voice().browserPhones().activeCalls === 0);

      // Once the agent has wrapped the cut call up, their desk says why they are not ready.
      const wrapped = await t.call('POST', `/api/interactions/${call.id}/wrap-up`, {}, alice.token);
      assert.equal(wrapped.status, 200, JSON.stringify(wrapped.body));
      const desk = await signIn();
      await desk.getByTestId('agent-state').filter({ hasText: 'connection lost' }).waitFor();
      await desk.close();
    } finally {
      await caller.stop();
      await sup.context().close();
    }
  },
);

test(
  'a refused microphone: the panel says so, the browser phone cannot go available, the SIP phone is offered',
  LIMIT,
  async () => {
    // The agent chose the browser phone earlier (kept by the server); this browser refuses the microphone.
    const chose = await t.call('PUT', '/api/agents/me/phone', { kind: 'browser' }, alice.token);
    assert.equal(chose.status, 200);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(url);
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('agent-pass-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('header.topbar').waitFor();
      const notice = page.getByTestId('mic-error');
      await notice.filter({ hasText: 'needs your microphone' }).waitFor();
      assert.equal(await page.getByTestId('phone-kind').inputValue(), 'browser');
      assert.equal(await page.getByRole('button', { name: 'Go available' }).isDisabled(), true);
      // The way out: the SIP phone.
      await notice.getByRole('button', { name: 'Use the SIP phone' }).click();
      await until('the SIP phone to be chosen', async () => {
        const r = await t.call('GET', '/api/agents/me/phone', undefined, alice.token);
        return (r.body as { kind: string }).kind === 'sip';
      });
      await until('Go available to be enabled on the SIP phone', async () =>
        page.getByRole('button', { name: 'Go available' }).isEnabled(),
      );
    } finally {
      await browser.close();
    }
  },
);
