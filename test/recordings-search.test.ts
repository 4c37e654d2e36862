// The recordings search and an agent's own call history over the API: filters by agent, caller
// number, queue and date; pages with a cursor; supervisors find every recording, an agent only theirs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pcmWav, tone } from './helpers/voice-peers.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { buildFloor, type Floor } from './helpers/floor.js';

interface Listing {
  recordingId: string;
  interactionId: string;
  agentId: string;
  agentName: string;
  callerNumber: string;
  queueName: string;
  startedAt: string;
  durationMs: number;
  pauses: { fromMs: number; toMs: number }[];
  wrapUpCode: string | null;
}

describe('recordings search', () => {
  let t: TestHotline;
  let f: Floor;
  let salesId: string;
  let dir: string;
  const calls: { interactionId: string; recordingId: string; agent: number; at: number }[] = [];

  /** One answered voice call by agent `agent`, with a recording written the way the connector does. */
  async function answeredCall(agent: number, queueId: string, from: string, pauses = false): Promise<void> {
    const a = f.agents[agent]!;
    const login = await t.call('POST', `/api/agents/${a.id}/login`, { presence: 'available' }, a.token);
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const created = await t.call(
      'POST',
      '/api/interactions',
      { channel: 'voice', queueId, from },
      t.adminToken,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const st = await t.call('GET', `/api/agents/${a.id}/state`, undefined, a.token);
    const offer = st.body.work.find((w: { reservationId?: string }) => w.reservationId);
    assert.ok(offer, 'the agent is offered the call');
    const ok = await t.call(
      'POST',
      `/api/agents/${a.id}/reservations/${offer.reservationId}/accept`,
      {},
      a.token,
    );
    assert.equal(ok.status, 200);
    const id = created.body.id as string;
    const at = t.clock!.now();
    const recordingId = randomUUID();
    const filePath = join(dir, `${recordingId}.wav`);
    writeFileSync(filePath, pcmWav(tone(440, 1)));
    await t.hotline.services.store.voice.insertRecording({
      id: recordingId,
      interactionId: id,
      filePath,
      startedAt: new Date(at),
      endedAt: new Date(at + 65_000),
      durationMs: 65_000,
      pauses: pauses ? [{ fromMs: 10_000, toMs: 20_000 }] : [],
    });
    assert.equal((await t.call('POST', `/api/interactions/${id}/complete`, {}, a.token)).status, 200);
    const wrap = await t.call('POST', `/api/interactions/${id}/wrap-up`, { code: null }, a.token);
    assert.equal(wrap.status, 200, JSON.stringify(wrap.body));
    assert.equal((await t.call('POST', `/api/agents/${a.id}/logout`, {}, a.token)).status, 200);
    calls.push({ interactionId: id, recordingId, agent, at });
    t.clock!.advance(3600_000);
  }

  const search = (query: string, token = t.adminToken) =>
    t.call<{ items: Listing[]; nextCursor: string | null }>(
      'GET',
      `/api/recordings${query}`,
      undefined,
      token,
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hotline-rec-search-'));
    t = await startTestHotline({ manualClock: true });
    f = await buildFloor(t, { wrapUpSec: 0 });
    const sales = await t.call('POST', '/api/queues', { name: 'Sales' }, t.adminToken);
    salesId = sales.body.id;
    await answeredCall(0, f.queueId, '+1 202 555 0143', true);
    await answeredCall(1, salesId, '+14155550199');
    await answeredCall(0, salesId, '442071234567');
    // A chat the first agent handled: in their history, never in the recordings.
    const a = f.agents[0]!;
    await t.call('POST', `/api/agents/${a.id}/login`, { presence: 'available' }, a.token);
    const chat = await t.call(
      'POST',
      '/api/interactions',
      { channel: 'chat', queueId: salesId, from: '+12025550143' },
      t.adminToken,
    );
    const st = await t.call('GET', `/api/agents/${a.id}/state`, undefined, a.token);
    const offer = st.body.work.find((w: { reservationId?: string }) => w.reservationId);
    await t.call('POST', `/api/agents/${a.id}/reservations/${offer.reservationId}/accept`, {}, a.token);
    await t.call('POST', `/api/interactions/${chat.body.id}/complete`, {}, a.token);
    await t.call('POST', `/api/agents/${a.id}/logout`, {}, a.token);
  });
  after(async () => {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a supervisor finds every recording, newest first, with agent, caller, queue and pauses', async () => {
    const all = await search('', f.supervisorToken);
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.deepEqual(
      all.body.items.map((r) => r.recordingId),
      [calls[2]!.recordingId, calls[1]!.recordingId, calls[0]!.recordingId],
    );
    assert.equal(all.body.nextCursor, null);
    const first = all.body.items[2]!;
    assert.equal(first.interactionId, calls[0]!.interactionId);
    assert.equal(first.agentId, f.agents[0]!.id);
    assert.equal(first.agentName, 'agent1');
    assert.equal(first.callerNumber, '+1 202 555 0143');
    assert.equal(first.queueName, 'Billing');
    assert.equal(first.durationMs, 65_000);
    assert.deepEqual(first.pauses, [{ fromMs: 10_000, toMs: 20_000 }]);
  });

  test('filters: agent, number digits in any spelling, queue, date range, and combined', async () => {
    const ids = async (q: string) => (await search(q)).body.items.map((r) => r.recordingId);
    const [c0, c1, c2] = calls;
    assert.deepEqual(await ids(`?agentId=${f.agents[0]!.id}`), [c2!.recordingId, c0!.recordingId]);
    assert.deepEqual(await ids('?number=2025550143'), [c0!.recordingId]);
    assert.deepEqual(await ids(`?number=${encodeURIComponent('(415) 555-0199')}`), [c1!.recordingId]);
    assert.deepEqual(await ids(`?queueId=${salesId}`), [c2!.recordingId, c1!.recordingId]);
    const from = new Date(c1!.at).toISOString();
    const to = new Date(c2!.at).toISOString();
    assert.deepEqual(await ids(`?from=${from}&to=${to}`), [c1!.recordingId], 'from inclusive, to exclusive');
    assert.deepEqual(await ids(`?queueId=${salesId}&agentId=${f.agents[0]!.id}`), [c2!.recordingId]);
    assert.deepEqual(await ids('?number=999999'), []);
    const bad = await search('?number=abc');
    assert.equal(bad.status, 400);
    assert.equal((bad.body as unknown as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
  });

  test('pages follow the cursor without repeating or skipping', async () => {
    const p1 = await search('?limit=2');
    assert.equal(p1.body.items.length, 2);
    assert.ok(p1.body.nextCursor);
    const p2 = await search(`?limit=2&cursor=${p1.body.nextCursor}`);
    assert.deepEqual(
      [...p1.body.items, ...p2.body.items].map((r) => r.recordingId),
      [calls[2]!.recordingId, calls[1]!.recordingId, calls[0]!.recordingId],
    );
    assert.equal(p2.body.nextCursor, null);
    assert.equal((await search('?cursor=not-a-cursor')).status, 400);
  });

  test("an agent sees only their own recordings; another agent's are forbidden", async () => {
    const [a1, a2] = f.agents;
    const mine = await search('', a1!.token);
    assert.equal(mine.status, 200);
    assert.deepEqual(
      mine.body.items.map((r) => r.recordingId),
      [calls[2]!.recordingId, calls[0]!.recordingId],
    );
    assert.equal((await search(`?agentId=${a1!.id}`, a1!.token)).body.items.length, 2);
    const other = await search(`?agentId=${a2!.id}`, a1!.token);
    assert.equal(other.status, 403);
    assert.equal((other.body as unknown as { error: { code: string } }).error.code, 'AUTH_FORBIDDEN');
    // The audio of another agent's call is not theirs to fetch either.
    const audio = await t.call('GET', `/api/recordings/${calls[1]!.recordingId}/audio`, undefined, a1!.token);
    assert.equal(audio.status, 404);
    assert.deepEqual(
      (await search('', a2!.token)).body.items.map((r) => r.recordingId),
      [calls[1]!.recordingId],
    );
    assert.equal((await t.call('GET', '/api/recordings')).status, 401);
  });

  test("an agent's own history: every channel, newest first, with recordings and outcome", async () => {
    const a1 = f.agents[0]!;
    const h = await t.call('GET', '/api/agents/me/history', undefined, a1.token);
    assert.equal(h.status, 200, JSON.stringify(h.body));
    const items = h.body.items as {
      interactionId: string;
      channel: string;
      queueName: string;
      status: string;
      recordings: { id: string; durationMs: number }[];
    }[];
    assert.deepEqual(
      items.map((i) => [i.channel, i.queueName]),
      [
        ['chat', 'Sales'],
        ['voice', 'Sales'],
        ['voice', 'Billing'],
      ],
    );
    assert.deepEqual(items[1]!.recordings, [{ id: calls[2]!.recordingId, durationMs: 65_000 }]);
    assert.deepEqual(items[0]!.recordings, []);
    assert.equal(items[2]!.status, 'ended');
    const page = await t.call('GET', '/api/agents/me/history?limit=1', undefined, a1.token);
    const next = await t.call(
      'GET',
      `/api/agents/me/history?limit=5&cursor=${page.body.nextCursor}`,
      undefined,
      a1.token,
    );
    assert.deepEqual(
      next.body.items.map((i: { interactionId: string }) => i.interactionId),
      [calls[2]!.interactionId, calls[0]!.interactionId],
    );
    // An admin without an agent profile has no call history.
    assert.equal((await t.call('GET', '/api/agents/me/history', undefined, t.adminToken)).status, 404);
  });

  test('a playback link plays in an <audio> element: no header, ranges, one recording, checked access', async () => {
    const [a1] = f.agents;
    const link = await t.call(
      'POST',
      `/api/recordings/${calls[0]!.recordingId}/playback`,
      {},
      f.supervisorToken,
    );
    assert.equal(link.status, 200, JSON.stringify(link.body));
    const url = link.body.url as string;
    const part = await t.hotline.app.inject({ method: 'GET', url, headers: { range: 'bytes=0-3' } });
    assert.equal(part.statusCode, 206);
    assert.equal(part.body, 'RIFF');
    assert.match(String(part.headers['content-range']), /^bytes 0-3\/\d+$/);
    const whole = await t.hotline.app.inject({ method: 'GET', url });
    assert.equal(whole.statusCode, 200);
    assert.equal(whole.rawPayload.length, pcmWav(tone(440, 1)).length);
    // The ticket is for that recording only, and a forged one is refused.
    const other = url.replace(calls[0]!.recordingId, calls[1]!.recordingId);
    assert.equal((await t.hotline.app.inject({ method: 'GET', url: other })).statusCode, 401);
    const forged = url.replace(/ticket=([^.]+)\./, (_m, exp: string) => `ticket=${exp}1.`);
    assert.equal((await t.hotline.app.inject({ method: 'GET', url: forged })).statusCode, 401);
    // An agent gets links for their own calls only.
    const mine = await t.call('POST', `/api/recordings/${calls[0]!.recordingId}/playback`, {}, a1!.token);
    assert.equal(mine.status, 200);
    const theirs = await t.call('POST', `/api/recordings/${calls[1]!.recordingId}/playback`, {}, a1!.token);
    assert.equal(theirs.status, 404);
    // Links expire.
    t.clock!.advance(5 * 3600_000);
    assert.equal((await t.hotline.app.inject({ method: 'GET', url })).statusCode, 401);
  });
});
