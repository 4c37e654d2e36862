// The agent desktop's calls out, clicked in headless Chromium: Alice (a baresip SIP phone that
// answers by itself) dials a number from the Dial out box — a number outside the dial plan is
// refused in plain words, an allowed one rings her phone and then the carrier (SIPp behind the
// trunk), which answers; then, on a caller she answered, the Transfer dialog's "Consult first" on a
// number: the caller holds, the carrier answers, she completes and the caller talks to the number;
// and "Consult first" on a queue: Bob, the Experts queue's agent, signed in at his own desk, is
// offered the consult, his phone answers, Alice completes and the caller is Bob's call.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CdrRecord, InteractionRecord } from '../src/services/records.js';
import { CHROMIUM, ensureWebBuilt, screenshot } from './helpers/browser.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';
import { freeSipPort, rtpPcap, startBaresip, startSipp, tone, type Peer } from './helpers/voice-peers.js';

const LIMIT = { timeout: 240_000 };
const BASE = 25000 + (process.pid % 40) * 60;
const HOTLINE_RTP: [number, number] = [BASE, BASE + 23];
const CALLER_RTP = BASE + 26;
const CARRIER_RTP = BASE + 36;
const ALICE_RTP: [number, number] = [BASE + 40, BASE + 49];
const BOB_RTP: [number, number] = [BASE + 50, BASE + 59];
const ALLOWED = '+12025550100';

let t: TestHotline;
let dir: string;
let url: string;
let browser: Browser;
let queueId: string;
let carrierPort: number;
let alice: { id: string; token: string };
let alicePhone: Peer;
let bob: { id: string; token: string };
let bobPhone: Peer;
let desk: Page;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium is missing (${CHROMIUM}): CI must install chromium`);
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), 'hotline-desk-consult-'));
  carrierPort = await freeSipPort();
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      sip: {
        trunks: [
          {
            name: 'carrier',
            sources: ['127.0.0.0/8'],
            dids: ['*'],
            outboundProxy: `127.0.0.1:${carrierPort}`,
            domain: 'carrier.test',
            callerId: '+15550001111',
          },
        ],
      },
      voice: { dialPlan: ['+1NXXNXXXXXX'], trunkPingSec: 0, ringTimeoutSec: 10 },
    }),
  );
  t = await startTestHotline({
    env: {
      HOTLINE_CONFIG: configFile,
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_SIP_REALM: 'hotline.test',
      HOTLINE_RTP_PORTS: `${HOTLINE_RTP[0]}-${HOTLINE_RTP[1]}`,
      HOTLINE_RECORDINGS_DIR: join(dir, 'recordings'),
    },
  });
  const skill = await t.call('POST', '/api/skills', { name: 'billing' }, t.adminToken);
  const skillId = (skill.body as { id: string }).id;
  const queue = await t.call(
    'POST',
    '/api/queues',
    { name: 'Billing', requirements: [{ skillId, minLevel: 1 }], wrapUpSec: 120, reservationTimeoutSec: 60 },
    t.adminToken,
  );
  assert.equal(queue.status, 201, JSON.stringify(queue.body));
  queueId = (queue.body as { id: string }).id;
  t.hotline.config.sip.defaultFlow = {
    version: 1,
    name: 'Test line',
    start: 'menu',
    nodes: {
      menu: { kind: 'menu', prompt: 'menu', options: [{ digit: '1', next: 'billing' }], timeoutSec: 10 },
      billing: { kind: 'queue', queueId },
    },
  };
  await t.restart();
  // Experts: Bob's queue, which Alice (billing only) consults; Bob takes no Billing calls.
  const experts = await t.call('POST', '/api/skills', { name: 'experts' }, t.adminToken);
  const expertsSkill = (experts.body as { id: string }).id;
  const expertsQueue = await t.call(
    'POST',
    '/api/queues',
    { name: 'Experts', requirements: [{ skillId: expertsSkill, minLevel: 1 }], reservationTimeoutSec: 60 },
    t.adminToken,
  );
  assert.equal(expertsQueue.status, 201, JSON.stringify(expertsQueue.body));
  alice = await createUserWithAgent(t, 'alice', { skills: { [skillId]: 5 }, capacity: { voice: 1 } });
  alicePhone = await agentPhone(alice.id, 'alice', ALICE_RTP, tone(1000, 120));
  bob = await createUserWithAgent(t, 'bob', { skills: { [expertsSkill]: 5 }, capacity: { voice: 1 } });
  bobPhone = await agentPhone(bob.id, 'bob', BOB_RTP, tone(600, 120));
  url = await t.hotline.listen();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  desk = await availableDesk('alice');
});

/** A SIP account for the agent and a baresip phone, registered, that answers by itself. */
async function agentPhone(agentId: string, user: string, rtpPorts: [number, number], audio: Int16Array) {
  const password = `${user}-phone-1`;
  const sip = await t.call('PUT', `/api/agents/${agentId}/sip`, { username: user, password }, t.adminToken);
  assert.equal(sip.status, 200, JSON.stringify(sip.body));
  const phone = await startBaresip({
    user,
    password,
    realm: 'hotline.test',
    registrarPort: voice().sipPort,
    autoAnswer: true,
    audio,
    rtpPorts,
  });
  await phone.waitFor(new RegExp(`${user}@hotline\\.test.*200 OK`));
  return phone;
}

/** The agent's desk in a browser context of its own, signed in with the SIP phone, available. */
async function availableDesk(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  await page.goto(url + '/agent');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('agent-pass-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header.topbar').waitFor();
  assert.equal(await page.getByTestId('phone-kind').inputValue(), 'sip');
  await page.getByRole('button', { name: 'Go available' }).click();
  await page.getByTestId('agent-state').filter({ hasText: 'Available' }).waitFor();
  return page;
}

after(async () => {
  await browser?.close().catch(() => undefined);
  await alicePhone?.stop();
  await bobPhone?.stop();
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
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function latestCall(): Promise<InteractionRecord | undefined> {
  const all = await t.hotline.services.store.interactions.list({ queueId, limit: 100, offset: 0 });
  return all.filter((i) => i.channel === 'voice').sort((a, b) => b.seq - a.seq)[0];
}

/** SIPp as the carrier behind the trunk: answers, plays a tone, hangs up after `holdMs`. */
function carrier(holdMs: number): Peer {
  return startSipp('carrier-answer.xml', '127.0.0.1:5060', {
    mediaPort: CARRIER_RTP,
    files: { 'carrier.pcap': rtpPcap(tone(700, 30)) },
    extra: ['-p', String(carrierPort), '-d', String(holdMs)],
  });
}

async function finishWrapUp(id: string): Promise<void> {
  await until(
    'wrap-up',
    async () => (await t.hotline.services.store.interactions.byId(id))?.status === 'wrap_up',
  );
  await desk.getByRole('form', { name: 'Wrap-up' }).getByRole('button', { name: 'Finish wrap-up' }).click();
  await until('the wrap-up to finish', async () => {
    return (await t.hotline.services.store.interactions.byId(id))?.status === 'ended';
  });
}

async function withPeers(peers: Peer[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    await screenshot(desk, 'desk-consult-failure').catch(() => undefined);
    const logs = peers.map((p) => p.log().slice(-2000)).join('\n----\n');
    throw new Error(`${String(err)}\n${logs}`, { cause: err });
  } finally {
    for (const p of peers) await p.stop();
  }
}

test('Dial out from the desk: a refused number in plain words, then the carrier answers', LIMIT, async () => {
  const far = carrier(4000);
  await withPeers([far], async () => {
    const box = desk.getByRole('form', { name: 'Dial out' });
    await box.getByTestId('dial-number').fill('+44 20 7946 0000');
    await box.getByTestId('dial-call').click();
    await box.getByRole('alert').filter({ hasText: 'Calls to this number are not allowed here.' }).waitFor();
    await box.getByTestId('dial-number').fill('(202) 555-0100');
    await box.getByTestId('dial-call').click();
    await box.getByRole('status').filter({ hasText: 'Your phone rings now' }).waitFor();
    await until('the carrier to answer', async () => {
      const call = await latestCall();
      return (call?.metadata.dialOut as { state?: string } | undefined)?.state === 'connected';
    });
    const call = (await latestCall())!;
    assert.equal(call.direction, 'outbound');
    assert.equal(call.agentId, alice.id);
    assert.equal(call.metadata.to, ALLOWED);
    await desk.getByTestId('in-call').waitFor();
    await screenshot(desk, 'agent-desktop-dial-out');
    assert.equal(await far.exited, 0, 'the carrier answered and hung up');
    await finishWrapUp(call.id);
  });
});

test('Consult a number from the Transfer dialog, then complete: the caller talks to it', LIMIT, async () => {
  const far = carrier(8000);
  const caller = startSipp('desk-call.xml', `127.0.0.1:${voice().sipPort}`, {
    mediaPort: CALLER_RTP,
    files: { 'caller.pcap': rtpPcap(tone(440, 100)) },
    extra: ['-timeout', '200s'],
  });
  await withPeers([caller, far], async () => {
    await until('the SIP phone to answer', async () => {
      const call = await latestCall();
      return call?.direction === 'inbound' && call.status === 'active';
    });
    const call = (await latestCall())!;
    const inCall = desk.getByTestId('in-call');
    await desk.getByTestId('recording-state').filter({ hasText: 'Recording' }).waitFor();
    await inCall.getByRole('button', { name: 'Transfer' }).click();
    const dialog = desk.getByTestId('transfer-dialog');
    await dialog.getByRole('radio', { name: 'Number' }).click();
    await dialog.getByLabel('Number').fill('+442079460000');
    await dialog.getByTestId('consult-first').click();
    await dialog.getByTestId('transfer-error').filter({ hasText: 'not allowed' }).waitFor();
    await dialog.getByLabel('Number').fill('(202) 555-0100');
    await dialog.getByTestId('consult-first').click();
    await dialog.waitFor({ state: 'detached' });
    const state = desk.getByTestId('consult-state');
    await state.filter({ hasText: `Talking with ${ALLOWED}` }).waitFor();
    await screenshot(desk, 'agent-desktop-consult-number');
    const held = await t.call('GET', `/api/interactions/${call.id}/hold`, undefined, alice.token);
    assert.equal((held.body as { held: boolean }).held, true, 'the caller holds during the consult');
    await desk.getByTestId('consult-controls').getByRole('button', { name: 'Complete transfer' }).click();
    await finishWrapUp(call.id);
    assert.equal(await far.exited, 0, 'the carrier talked to the caller, then hung up');
    assert.equal(await caller.exited, 0, 'the caller was hung up after the carrier');
    await until('the CDRs', async () => {
      const r = await t.call<CdrRecord[]>(
        'GET',
        `/api/interactions/${call.id}/cdrs`,
        undefined,
        t.adminToken,
      );
      return r.body.length >= 3;
    });
    const cdrs = (
      await t.call<CdrRecord[]>('GET', `/api/interactions/${call.id}/cdrs`, undefined, t.adminToken)
    ).body;
    assert.ok(
      cdrs.some((c) => c.role === 'consulted' && c.endCause === 'callee_hangup'),
      JSON.stringify(cdrs),
    );
  });
});

test(
  'Consult a queue from the Transfer dialog: its agent answers at his desk, complete hands him the caller',
  LIMIT,
  async () => {
    const bobDesk = await availableDesk('bob');
    const caller = startSipp('desk-call.xml', `127.0.0.1:${voice().sipPort}`, {
      mediaPort: CALLER_RTP,
      files: { 'caller.pcap': rtpPcap(tone(440, 100)) },
      extra: ['-timeout', '200s'],
    });
    await withPeers([caller], async () => {
      await until('Alice’s SIP phone to answer', async () => {
        const call = await latestCall();
        return call?.direction === 'inbound' && call.status === 'active' && call.agentId === alice.id;
      });
      const call = (await latestCall())!;
      const inCall = desk.getByTestId('in-call');
      await inCall.getByRole('button', { name: 'Transfer' }).click();
      const dialog = desk.getByTestId('transfer-dialog');
      await dialog.getByRole('radio', { name: 'Queue' }).click();
      await dialog.getByRole('combobox').selectOption({ label: 'Experts' });
      await dialog.getByTestId('consult-first').click();
      await dialog.waitFor({ state: 'detached' });
      // Bob, the queue's only agent, is offered the consult; his phone answers by itself.
      const state = desk.getByTestId('consult-state');
      await state.filter({ hasText: 'Talking with bob; the caller is on hold.' }).waitFor();
      await screenshot(desk, 'agent-desktop-consult-queue');
      const held = await t.call('GET', `/api/interactions/${call.id}/hold`, undefined, alice.token);
      assert.equal((held.body as { held: boolean }).held, true, 'the caller holds during the consult');
      await desk.getByTestId('consult-controls').getByRole('button', { name: 'Complete transfer' }).click();
      // Alice is done with the caller: her desk asks for the wrap-up.
      await finishWrapUp(call.id);
      const all = await t.hotline.services.store.interactions.list({
        agentId: bob.id,
        limit: 100,
        offset: 0,
      });
      const next = all.find((i) => i.metadata.transferredFrom === call.id);
      assert.ok(next, 'the caller’s call continues as a transfer to Bob');
      assert.equal(next.agentId, bob.id);
      assert.equal(next.status, 'active');
      // Bob's desk shows the caller's call; he hangs up on his SIP phone, which ends it for the caller.
      await bobDesk.getByTestId('in-call').waitFor();
      await bobDesk.getByTestId('work-item').filter({ hasText: '12025550143' }).waitFor();
      await screenshot(bobDesk, 'agent-desktop-consulted-queue-agent');
      bobPhone.child.stdin.write('b');
      assert.equal(await caller.exited, 0, 'the caller talked to Bob until he hung up');
      await until(
        'Bob’s wrap-up',
        async () => (await t.hotline.services.store.interactions.byId(next.id))?.status === 'wrap_up',
      );
      await bobDesk
        .getByRole('form', { name: 'Wrap-up' })
        .getByRole('button', { name: 'Finish wrap-up' })
        .click();
      await until(
        'Bob’s wrap-up to finish',
        async () => (await t.hotline.services.store.interactions.byId(next.id))?.status === 'ended',
      );
    });
  },
);
