// Recordings and floor actions in a real browser. A real call makes the recording: SIPp calls in
// with a tone, presses 1 in the IVR, waits in Billing and is answered by the agent's baresip phone;
// the agent hangs up. The supervisor then finds it on the Recordings page by agent, number and
// queue, plays it (the audio element loads through Range requests and seeks), opens its CDRs; on
// the wallboard forces the agent not ready with a reason and moves a waiting chat to another queue.
// The agent finds the call in their own history and plays it too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { InteractionRecord, RecordingRecord } from '../src/services/records.js';
import { screenshot, startWebHotline, type WebHotline } from './helpers/browser.js';
import { buildFloor, type Floor } from './helpers/floor.js';
import { rtpPcap, startBaresip, startSipp, tone, type Peer } from './helpers/voice-peers.js';

const LIMIT = { timeout: 240_000 };
const REALM = 'hotline.test';
// Ports of our own per process, so test files running side by side do not share RTP ports.
const BASE = 22500 + (process.pid % 40) * 60;
const HOTLINE_RTP = `${BASE}-${BASE + 19}`;
const CALLER_RTP = BASE + 24;
const AGENT_RTP: [number, number] = [BASE + 36, BASE + 55];

function flow(queueId: string): Record<string, unknown> {
  return {
    version: 1,
    name: 'Test line',
    start: 'menu',
    nodes: {
      menu: { kind: 'menu', prompt: 'menu', options: [{ digit: '1', next: 'billing' }], timeoutSec: 10 },
      billing: { kind: 'queue', queueId },
    },
  };
}

let w: WebHotline;
let dir: string;
let floor: Floor;
let phone: Peer | undefined;

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-web-recordings-'));
  const flowFile = join(dir, 'flow.json');
  writeFileSync(flowFile, JSON.stringify(flow('00000000-0000-4000-8000-000000000000')));
  w = await startWebHotline({
    env: {
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_SIP_REALM: REALM,
      HOTLINE_RTP_PORTS: HOTLINE_RTP,
      HOTLINE_IVR_FLOW_FILE: flowFile,
      HOTLINE_RECORDINGS_DIR: join(dir, 'recordings'),
    },
    // The IVR's queue node names the queue, which exists only now: restart with that flow.
    setup: async (t) => {
      floor = await buildFloor(t, { wrapUpSec: 60, reservationTimeoutSec: 60 }, 1);
      t.hotline.config.sip.defaultFlow = flow(floor.queueId);
      await t.restart();
    },
  });
});

after(async () => {
  await phone?.stop();
  await w?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Waits until the page's audio element has loaded a recording with a duration, then plays it. */
async function playsAudio(page: Page): Promise<number> {
  const audio = page.getByTestId('player-audio');
  await audio.waitFor();
  await page.waitForFunction(`(() => {
    const a = document.querySelector('[data-testid="player-audio"]');
    return a !== null && Number.isFinite(a.duration) && a.duration > 0;
  })()`);
  return audio.evaluate((a) => (a as unknown as { duration: number }).duration);
}

test('a supervisor finds and plays a real call recording and acts on the floor', LIMIT, async () => {
  const { t } = w;
  const agent = floor.agents[0]!;
  const voice = t.hotline.voice;
  assert.ok(voice, 'SIP is enabled');
  const sip = await t.call(
    'PUT',
    `/api/agents/${agent.id}/sip`,
    { username: agent.username, password: 'agent-phone-1' },
    t.adminToken,
  );
  assert.equal(sip.status, 200, JSON.stringify(sip.body));
  phone = await startBaresip({
    user: agent.username,
    password: 'agent-phone-1',
    realm: REALM,
    registrarPort: voice.sipPort,
    autoAnswer: true,
    audio: tone(1000, 30),
    rtpPorts: AGENT_RTP,
  });
  await phone.waitFor(new RegExp(`${agent.username}@hotline\\.test.*200 OK`));
  const login = await t.call('POST', `/api/agents/${agent.id}/login`, { presence: 'available' }, agent.token);
  assert.equal(login.status, 200, JSON.stringify(login.body));
  for (const [kind, code, label] of [
    ['not_ready', 'coaching', 'Coaching'],
    ['wrap_up', 'resolved', 'Resolved'],
  ]) {
    const r = await t.call('POST', '/api/reason-codes', { kind, code, label }, t.adminToken);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const overflow = await t.call('POST', '/api/queues', { name: 'Overflow desk' }, t.adminToken);
  assert.equal(overflow.status, 201);

  // The call: SIPp presses 1, waits, the phone answers; a few seconds are recorded, the agent hangs up.
  const caller = startSipp('agent-call.xml', `127.0.0.1:${voice.sipPort}`, {
    mediaPort: CALLER_RTP,
    files: { 'caller.pcap': rtpPcap(tone(440, 30)) },
  });
  let call: InteractionRecord | undefined;
  try {
    const latest = async () =>
      (
        await t.hotline.services.store.interactions.list({ queueId: floor.queueId, limit: 10, offset: 0 })
      ).find((i) => i.channel === 'voice');
    await until('the agent to answer the call', async () => (await latest())?.status === 'active', 60_000);
    call = (await latest())!;
    const recs = await t.call<RecordingRecord[]>(
      'GET',
      `/api/interactions/${call.id}/recordings`,
      undefined,
      t.adminToken,
    );
    assert.equal(recs.body.length, 1);
    const path = recs.body[0]!.filePath;
    await until('three seconds of recorded audio', async () => (await stat(path)).size > 44 + 3 * 8000 * 4);
    phone.child.stdin.write('b');
    assert.equal(await caller.exited, 0, caller.log().slice(-3000));
  } finally {
    await caller.stop();
  }
  await until(
    'wrap-up',
    async () => (await t.hotline.services.store.interactions.byId(call.id))?.status === 'wrap_up',
  );
  const wrapped = await t.call(
    'POST',
    `/api/interactions/${call.id}/wrap-up`,
    { code: 'resolved' },
    agent.token,
  );
  assert.equal(wrapped.status, 200, JSON.stringify(wrapped.body));

  const sup = await w.signIn('sup', 'super-pass-1');
  try {
    // Recordings: filter by agent, number (any spelling) and queue; the call is the one row.
    await sup.getByRole('button', { name: 'Recordings', exact: true }).click();
    const filters = sup.getByRole('form', { name: 'Find recordings' });
    await filters.getByLabel('Agent').selectOption({ label: agent.username });
    await filters.getByLabel('Caller number').fill('(202) 555-0143');
    await filters.getByLabel('Queue').selectOption({ label: 'Billing' });
    const searched = sup.waitForResponse(
      (r) => r.url().includes('/api/recordings?') && r.url().includes('number='),
    );
    await filters.getByRole('button', { name: 'Search' }).click();
    const found = (await (await searched).json()) as { items: { interactionId: string }[] };
    assert.deepEqual(
      found.items.map((i) => i.interactionId),
      [call.id],
    );
    const row = sup.locator('[data-testid="recording-row"][data-caller="12025550143"]');
    await row.waitFor();
    await row.getByRole('cell', { name: 'resolved', exact: true }).waitFor();

    // A number nobody called finds nothing.
    await filters.getByLabel('Caller number').fill('999 0000');
    await filters.getByRole('button', { name: 'Search' }).click();
    await sup.getByText('No recordings match.').waitFor();
    await filters.getByLabel('Caller number').fill('5550143');
    await filters.getByRole('button', { name: 'Search' }).click();
    await row.waitFor();

    // Play: the audio element loads the WAV through the playback link, plays and seeks.
    const ranged = sup.waitForResponse((r) => r.url().includes('/play?ticket=') && r.status() === 206);
    await row.getByRole('button', { name: 'Play' }).click();
    const seconds = await playsAudio(sup);
    assert.ok(seconds >= 3, `the recording lasts ${seconds} s`);
    assert.equal((await ranged).headers()['content-type'], 'audio/wav');
    // It plays: time moves on.
    await sup.waitForFunction(
      `(document.querySelector('[data-testid="player-audio"]')?.currentTime ?? 0) > 0`,
    );
    const seeked = await sup.getByTestId('player-audio').evaluate(
      (el, to: number) =>
        new Promise<number>((resolve) => {
          const a = el as unknown as EventTarget & { currentTime: number };
          a.addEventListener('seeked', () => resolve(a.currentTime), { once: true });
          a.currentTime = to;
        }),
      seconds - 1,
    );
    assert.ok(seeked >= seconds - 1.5, `seeked to ${seeked}`);

    // The call's legs and timeline.
    await row.getByRole('button', { name: 'Call details' }).click();
    await sup.getByTestId('cdr-row').nth(1).waitFor();
    assert.equal(await sup.getByTestId('cdr-row').count(), 2);
    await sup.getByTestId('call-details').getByText('Agent hung up').first().waitFor();
    await sup.getByTestId('timeline-event').filter({ hasText: 'Accepted' }).waitFor();
    await screenshot(sup, 'recordings');

    // Wallboard: force the agent not ready with a reason; a waiting chat is moved to another queue.
    await sup.getByRole('button', { name: 'Wallboard', exact: true }).click();
    const agentRow = sup.locator(`[data-testid="agent-row"][data-agent="${agent.username}"]`);
    await agentRow.getByTestId('agent-row-state').filter({ hasText: 'Available' }).waitFor();
    await agentRow.getByLabel('Not ready').selectOption({ label: 'Coaching' });
    await agentRow.getByTestId('agent-row-state').filter({ hasText: 'Not ready · Coaching' }).waitFor();
    const st = await t.call('GET', `/api/agents/${agent.id}/state`, undefined, t.adminToken);
    assert.equal(st.body.state, 'not_ready');
    assert.equal(st.body.reason, 'coaching');

    const chat = await t.call(
      'POST',
      '/api/interactions',
      { channel: 'chat', queueId: floor.queueId, from: '+14155550101' },
      t.adminToken,
    );
    assert.equal(chat.status, 201);
    const billing = sup.locator('[data-testid="queue-tile"][data-queue="Billing"]');
    const overflowTile = sup.locator('[data-testid="queue-tile"][data-queue="Overflow desk"]');
    await billing.getByTestId('waiting').filter({ hasText: /^1$/ }).waitFor();
    await sup
      .locator('[data-testid="waiting-row"][data-queue="Billing"]')
      .getByLabel('Move to…')
      .selectOption({ label: 'Overflow desk' });
    await overflowTile.getByTestId('waiting').filter({ hasText: /^1$/ }).waitFor();
    await billing.getByTestId('waiting').filter({ hasText: /^0$/ }).waitFor();
    await sup.locator('[data-testid="waiting-row"][data-queue="Overflow desk"]').waitFor();
    const moved = await t.call('GET', `/api/interactions/${chat.body.id}`, undefined, t.adminToken);
    assert.equal(moved.body.queueId, overflow.body.id);
    await screenshot(sup, 'wallboard-floor-actions');
  } catch (err) {
    await screenshot(sup, 'failure-recordings');
    throw err;
  }

  // The agent's own history in the desktop: the call with its queue, wrap-up code and recording.
  const desk = await w.signIn(agent.username, 'agent-pass-1');
  try {
    await desk.getByText('My call history').click();
    const entry = desk.getByTestId('history-row').filter({ hasText: '12025550143' });
    await entry.waitFor();
    await entry.getByText('Billing').waitFor();
    await entry.getByText(/resolved/).waitFor();
    await entry.getByRole('button', { name: 'Play recording' }).click();
    assert.ok((await playsAudio(desk)) >= 3);
    await screenshot(desk, 'agent-call-history');
  } catch (err) {
    await screenshot(desk, 'failure-agent-history');
    throw err;
  }
});
