// The agent desktop's headline call, end to end in headless Chromium with fake media: an agent
// chooses the browser phone and goes available; a SIPp caller (a 440 Hz tone) presses 1 in the IVR
// and waits in Billing; the agent sees the screen pop, answers with the A key, audio flows both
// ways, a digit goes out from the keypad, hold (the server holds the call: the caller hears music)
// and resume; a supervisor in a second browser context, on their own browser phone, sees the
// wallboard change and barges in (switching to whisper and back on the way); the agent hangs up and
// sets a wrap-up code. The stereo recording holds non-silent audio on both channels. Then the same
// panel on a SIP phone (baresip): hold read back after a reload and pushed live, digits through the
// server, recording pause, a blind transfer to a queue; and a supervisor without a phone told why.
// Screenshots go to test-results/; the best are copied to docs/screenshots/ for the README.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { InteractionRecord, RecordingRecord } from '../src/services/records.js';
import { CHROMIUM, ensureWebBuilt, screenshot } from './helpers/browser.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';
import { channelRms, rtpPcap, startBaresip, startSipp, tone } from './helpers/voice-peers.js';

const LIMIT = { timeout: 300_000 };
const BASE = 15000 + (process.pid % 40) * 60;
const HOTLINE_RTP: [number, number] = [BASE, BASE + 39];
const CALLER_RTP = BASE + 50;
const ALICE_SIP_RTP: [number, number] = [BASE + 52, BASE + 59];
const CALLER = '12025550143';

let t: TestHotline;
let dir: string;
let url: string;
let browser: Browser;
let queueId: string;
let supportId: string;
let alice: { id: string; token: string };
let sue: { id: string; userId: string; token: string };

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

async function ok(r: Promise<{ status: number; body: unknown }>, status = 201): Promise<{ id: string }> {
  const res = await r;
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body as { id: string };
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium is missing (${CHROMIUM}): CI must install chromium`);
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), 'hotline-desk-calls-'));
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
  const admin = t.adminToken;
  const skill = (await ok(t.call('POST', '/api/skills', { name: 'billing' }, admin))).id;
  queueId = (
    await ok(
      t.call(
        'POST',
        '/api/queues',
        {
          name: 'Billing',
          requirements: [{ skillId: skill, minLevel: 1 }],
          wrapUpSec: 120,
          reservationTimeoutSec: 60,
        },
        admin,
      ),
    )
  ).id;
  // Transfers go to Support, which nobody here serves: the caller waits there.
  const nobody = (await ok(t.call('POST', '/api/skills', { name: 'support' }, admin))).id;
  supportId = (
    await ok(
      t.call(
        'POST',
        '/api/queues',
        { name: 'Support', requirements: [{ skillId: nobody, minLevel: 1 }] },
        admin,
      ),
    )
  ).id;
  t.hotline.config.sip.defaultFlow = flow(queueId);
  await t.restart();
  await ok(
    t.call('POST', '/api/reason-codes', { kind: 'wrap_up', code: 'resolved', label: 'Resolved' }, admin),
  );
  await ok(t.call('POST', '/api/customers', { name: 'Grace Hopper', phones: [`+${CALLER}`] }, admin));
  // Sue supervises the team Alice works in; her own agent profile carries her phone.
  const sueUser = await ok(
    t.call(
      'POST',
      '/api/users',
      { username: 'sue', displayName: 'Sue', role: 'supervisor', password: 'super-pass-1' },
      admin,
    ),
  );
  const team = await ok(
    t.call('POST', '/api/teams', { name: 'Billing team', supervisorIds: [sueUser.id] }, admin),
  );
  alice = await createUserWithAgent(t, 'alice', {
    teamId: team.id,
    skills: { [skill]: 5 },
    capacity: { voice: 1 },
  });
  const sueAgent = await ok(
    t.call('POST', '/api/agents', { userId: sueUser.id, teamId: team.id, capacity: { voice: 1 } }, admin),
  );
  sue = { id: sueAgent.id, userId: sueUser.id, token: await t.login('sue', 'super-pass-1') };
  for (const [agentId, username] of [
    [alice.id, 'alice'],
    [sue.id, 'sue'],
  ] as const) {
    await ok(
      t.call('PUT', `/api/agents/${agentId}/sip`, { username, password: `${username}-phone-1` }, admin),
      200,
    );
  }
  url = await t.hotline.listen();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
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
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

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

async function latestCall(): Promise<InteractionRecord | undefined> {
  const all = await t.hotline.services.store.interactions.list({ queueId, limit: 100, offset: 0 });
  return all.filter((i) => i.channel === 'voice').sort((a, b) => b.seq - a.seq)[0];
}

async function signIn(username: string, password: string, path: string): Promise<Page> {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.grantPermissions(['microphone'], { origin: url });
  context.setDefaultTimeout(90_000);
  const page = await context.newPage();
  await page.goto(url + path);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header.topbar').waitFor();
  return page;
}

/** A screenshot in test-results/ (CI keeps them; the README's come from there, docs/screenshots/). */
async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
}

async function choosePhone(page: Page, token: string): Promise<void> {
  await page.getByTestId('phone-kind').selectOption('browser');
  await until('the browser phone to be chosen', async () => {
    const r = await t.call('GET', '/api/agents/me/phone', undefined, token);
    return (r.body as { kind: string }).kind === 'browser';
  });
}

test(
  'an agent takes a call in the browser: pop, answer, digit, hold, resume, a supervisor barges in, hang up, wrap-up',
  LIMIT,
  async () => {
    // The supervisor's wallboard, with her own browser phone.
    const board = await signIn('sue', 'super-pass-1', '/wallboard');
    await board.getByRole('heading', { name: 'Agents' }).waitFor();
    await choosePhone(board, sue.token);
    const aliceRow = board.locator('[data-testid="agent-row"][data-agent="alice"]');
    await aliceRow.getByTestId('agent-row-state').filter({ hasText: 'Logged out' }).waitFor();

    const desk = await signIn('alice', 'agent-pass-1', '/agent');
    await choosePhone(desk, alice.token);
    await desk.getByRole('button', { name: 'Go available' }).click();
    await desk.getByTestId('agent-state').filter({ hasText: 'Available' }).waitFor();
    // The wallboard follows without a reload.
    await aliceRow.getByTestId('agent-row-state').filter({ hasText: 'Available' }).waitFor();

    const caller = startSipp('desk-call.xml', `127.0.0.1:${voice().sipPort}`, {
      mediaPort: CALLER_RTP,
      files: { 'caller.pcap': rtpPcap(tone(440, 140)) },
      extra: ['-timeout', '200s'],
    });
    const opened = [board, desk];
    try {
      // The offer rings in the page with the screen pop of the customer matched by number.
      const ringing = desk.getByTestId('incoming-call');
      await ringing.filter({ hasText: CALLER }).waitFor();
      await desk.getByTestId('item-detail').getByText('Grace Hopper').waitFor();
      await shot(desk, 'agent-desktop-ringing');
      // A answers (the keyboard shortcut).
      await desk.locator('body').press('a');
      await desk
        .getByTestId('call-status')
        .filter({ hasText: `On a call with ${CALLER}` })
        .waitFor();
      await until('the call to be connected', async () => (await latestCall())?.status === 'active');
      const call = (await latestCall())!;
      assert.equal(call.agentId, alice.id);
      await until('audio both ways', () => {
        const s = voice().browserPhones();
        return s.activeCalls === 1 && s.packetsFromBrowsers > 100 && s.packetsToBrowsers > 100;
      });
      await desk.getByTestId('recording-state').filter({ hasText: 'Recording' }).waitFor();
      await aliceRow.getByTestId('agent-row-state').filter({ hasText: 'Busy' }).waitFor();

      // A digit from the page's keypad reaches the server as RFC 4733.
      await desk.locator('.softphone .keypad').getByRole('button', { name: '5', exact: true }).click();
      await until('the digit from the browser', () => voice().browserPhones().recentDigits.includes('5'));

      // Hold: the server holds the call (the caller hears the hold music), the panel shows it.
      const inCall = desk.getByTestId('in-call');
      await inCall.getByRole('button', { name: 'Hold' }).click();
      await desk.getByTestId('hold-badge').waitFor();
      const held = await t.call('GET', `/api/interactions/${call.id}/hold`, undefined, alice.token);
      assert.deepEqual(held.body, { interactionId: call.id, held: true, heldBy: ['api'] });
      await shot(desk, 'agent-desktop-on-hold');
      await inCall.getByRole('button', { name: 'Resume' }).click();
      await desk.getByTestId('hold-badge').waitFor({ state: 'detached' });
      const resumed = await t.call('GET', `/api/interactions/${call.id}/hold`, undefined, alice.token);
      assert.equal((resumed.body as { held: boolean }).held, false);
      const events = (await t.hotline.services.store.interactions.events(call.id)).map((e) => e.type);
      assert.ok(events.includes('held') && events.includes('resumed'), events.join(','));

      // M mutes the microphone in the page and unmutes it again.
      await desk.locator('body').press('m');
      await inCall.getByRole('button', { name: /^Unmute/ }).waitFor();
      await inCall.getByText('Muted: the caller cannot hear you.').waitFor();
      await desk.locator('body').press('m');
      await inCall.getByRole('button', { name: /^Mute/ }).waitFor();
      // At 1366×768 the whole desk fits: the page itself does not scroll.
      const fits = await desk.evaluate<boolean>(
        'document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth',
      );
      assert.ok(fits, 'the desk fits 1366×768');

      // The supervisor barges in: her browser phone rings, she answers, the server mixes her in.
      const actions = aliceRow.getByTestId('live-call-actions');
      await actions.getByRole('button', { name: 'Barge' }).click();
      const supRinging = board.getByTestId('incoming-call');
      await supRinging.waitFor();
      await supRinging.getByRole('button', { name: 'Answer' }).click();
      const supervision = async () =>
        (await t.call('GET', `/api/interactions/${call.id}/supervise`, undefined, sue.token)).body as {
          mode: string;
          state: string;
        };
      await until('the supervisor to be connected', async () => (await supervision()).state === 'connected');
      assert.equal((await supervision()).mode, 'barge');
      await actions.getByTestId('supervision-state').filter({ hasText: 'Barge · connected' }).waitFor();
      // Both browsers send audio into the call now: the supervisor's leg is a second browser leg.
      const before = voice().browserPhones().packetsFromBrowsers;
      await until('audio from both browsers', () => {
        const s = voice().browserPhones();
        return s.activeCalls === 2 && s.packetsFromBrowsers > before + 200;
      });
      await shot(board, 'wallboard-barge');
      // The mode switches on the fly.
      await actions.getByRole('button', { name: 'Whisper' }).click();
      await until('whisper', async () => (await supervision()).mode === 'whisper');
      await actions.getByRole('button', { name: 'Barge' }).click();
      await until('barge again', async () => (await supervision()).mode === 'barge');
      await shot(desk, 'agent-desktop-in-call');

      // H hangs up: the caller gets a BYE, the supervisor's leg ends too, the call goes to wrap-up.
      await desk.locator('body').press('h');
      assert.equal(await caller.exited, 0, `the caller gets a BYE:\n${caller.log().slice(-3000)}`);
      await until('wrap-up', async () => (await latestCall())?.status === 'wrap_up');
      await until('the browser legs to be cleaned up', () => voice().browserPhones().activeCalls === 0);
      await board.getByTestId('incoming-call').waitFor({ state: 'detached' });

      const wrap = desk.getByRole('form', { name: 'Wrap-up' });
      await wrap.getByLabel('Wrap-up code').selectOption('resolved');
      await wrap.getByLabel('Notes').fill('Card replaced');
      await shot(desk, 'agent-desktop-wrap-up');
      await wrap.getByRole('button', { name: 'Finish wrap-up' }).click();
      await until('the wrap-up code', async () => (await latestCall())?.wrapUpCode === 'resolved');

      const [rec] = (
        await t.call<RecordingRecord[]>(
          'GET',
          `/api/interactions/${call.id}/recordings`,
          undefined,
          t.adminToken,
        )
      ).body;
      assert.ok(rec?.endedAt, JSON.stringify(rec));
      assert.ok(statSync(rec.filePath).size > 44 + 2 * 8000 * 4, 'more than two seconds recorded');
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
    } finally {
      await caller.stop();
      for (const page of opened) await page.context().close();
      // The next test starts from not ready.
      await t.call('POST', `/api/agents/${alice.id}/presence`, { presence: 'not_ready' }, alice.token);
    }
  },
);

test(
  'on a SIP phone: hold survives a reload, digits go through the server, the recording pauses, blind transfer to a queue',
  LIMIT,
  async () => {
    await ok(t.call('PUT', '/api/agents/me/phone', { kind: 'sip' }, alice.token), 200);
    const phone = await startBaresip({
      user: 'alice',
      password: 'alice-phone-1',
      realm: 'hotline.test',
      registrarPort: voice().sipPort,
      autoAnswer: true,
      audio: tone(1000, 60),
      rtpPorts: ALICE_SIP_RTP,
    });
    let caller: ReturnType<typeof startSipp> | undefined;
    try {
      await phone.waitFor(/alice@hotline\.test.*200 OK/);
      const desk = await signIn('alice', 'agent-pass-1', '/agent');
      assert.equal(await desk.getByTestId('phone-kind').inputValue(), 'sip');
      await desk.getByRole('button', { name: 'Go available' }).click();
      await desk.getByTestId('agent-state').filter({ hasText: 'Available' }).waitFor();
      caller = startSipp('desk-call.xml', `127.0.0.1:${voice().sipPort}`, {
        mediaPort: CALLER_RTP,
        files: { 'caller.pcap': rtpPcap(tone(440, 140)) },
        extra: ['-timeout', '200s'],
      });
      // The SIP phone answers by itself; the panel follows the connected call.
      await until('the SIP phone to answer', async () => (await latestCall())?.status === 'active');
      const call = (await latestCall())!;
      const inCall = desk.getByTestId('in-call');
      await desk.getByTestId('recording-state').filter({ hasText: 'Recording' }).waitFor();

      await inCall.getByRole('button', { name: 'Hold' }).click();
      await desk.getByTestId('hold-badge').waitFor();
      await desk.reload();
      // The held state is read back from the server after a reload.
      await desk.getByTestId('hold-badge').waitFor();
      // O takes the hold off.
      await desk.locator('body').press('o');
      await desk.getByTestId('hold-badge').waitFor({ state: 'detached' });
      const held = await t.call('GET', `/api/interactions/${call.id}/hold`, undefined, alice.token);
      assert.equal((held.body as { held: boolean }).held, false);
      // A hold from elsewhere (here a supervisor over the API) shows at once (a call.hold event).
      await ok(t.call('POST', `/api/interactions/${call.id}/hold`, {}, sue.token), 200);
      await desk.getByTestId('hold-badge').waitFor();
      await ok(t.call('POST', `/api/interactions/${call.id}/resume`, {}, sue.token), 200);
      await desk.getByTestId('hold-badge').waitFor({ state: 'detached' });

      // On a SIP phone the keypad sends through the server (POST …/dtmf).
      const sent = desk.waitForResponse((r) => r.url().endsWith(`/api/interactions/${call.id}/dtmf`));
      await desk.locator('.softphone .keypad').getByRole('button', { name: '7', exact: true }).click();
      assert.equal((await sent).status(), 200);

      // Card capture: the recording pauses and resumes.
      await inCall.getByRole('button', { name: 'Pause' }).click();
      await desk.getByTestId('recording-state').filter({ hasText: 'Recording paused' }).waitFor();
      const paused = await t.call('GET', `/api/interactions/${call.id}/recording`, undefined, alice.token);
      assert.deepEqual(paused.body, { interactionId: call.id, recording: true, paused: true });
      await inCall.getByRole('button', { name: 'Resume recording' }).click();
      await desk.getByTestId('recording-state').filter({ hasNotText: 'paused' }).waitFor();

      // Blind transfer to Support: the caller waits there as a new interaction; this one wraps up.
      await inCall.getByRole('button', { name: 'Transfer' }).click();
      const dialog = desk.getByTestId('transfer-dialog');
      await dialog.getByRole('radio', { name: 'Queue' }).waitFor();
      await dialog.getByLabel('Queue').selectOption({ label: 'Support' });
      await shot(desk, 'agent-desktop-transfer');
      await dialog.getByRole('button', { name: 'Transfer' }).click();
      await dialog.waitFor({ state: 'detached' });
      await until('the caller to wait in Support', async () => {
        const waiting = await t.call('GET', `/api/queues/${supportId}/waiting`, undefined, t.adminToken);
        return (waiting.body as unknown[]).length === 1;
      });
      await until(
        'wrap-up',
        async () => (await t.hotline.services.store.interactions.byId(call.id))?.status === 'wrap_up',
      );
      await desk
        .getByRole('form', { name: 'Wrap-up' })
        .getByRole('button', { name: 'Finish wrap-up' })
        .click();
      await until(
        'the wrap-up to finish',
        async () => (await t.hotline.services.store.interactions.byId(call.id))?.status === 'ended',
      );
    } finally {
      await caller?.stop();
      await phone.stop();
    }
  },
);

test('a supervisor with no agent profile is told why live calls cannot ring her', LIMIT, async () => {
  await ok(
    t.call(
      'POST',
      '/api/users',
      { username: 'sam', displayName: 'Sam', role: 'supervisor', password: 'super-pass-2' },
      t.adminToken,
    ),
  );
  const board = await signIn('sam', 'super-pass-2', '/wallboard');
  try {
    await board
      .getByTestId('supervisor-no-phone')
      .filter({ hasText: 'you need an agent profile with a phone' })
      .waitFor();
  } finally {
    await board.context().close();
  }
});
