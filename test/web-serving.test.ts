/** How the product serves the web app, and the API reads the desk and wallboard rely on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestHotline } from './helpers/hotline.js';
import { ensureWebBuilt } from './helpers/browser.js';
import { buildFloor } from './helpers/floor.js';

test('the web app is served at / with a fallback for its own paths; /api keeps JSON errors', async () => {
  await ensureWebBuilt();
  const t = await startTestHotline();
  try {
    const root = await t.hotline.app.inject({ method: 'GET', url: '/' });
    assert.equal(root.statusCode, 200);
    assert.match(root.headers['content-type'] as string, /text\/html/);
    assert.match(root.body, /<div id="root">/);
    const deep = await t.hotline.app.inject({ method: 'GET', url: '/wallboard?x=1' });
    assert.equal(deep.statusCode, 200);
    assert.match(deep.body, /<div id="root">/);
    assert.equal(deep.headers['cache-control'], 'no-cache');

    const asset = readdirSync(join(import.meta.dirname, '..', 'web', 'dist', 'assets')).find((f) =>
      f.endsWith('.js'),
    );
    const a = await t.hotline.app.inject({ method: 'GET', url: `/assets/${asset}` });
    assert.equal(a.statusCode, 200);
    assert.match(a.headers['cache-control'] as string, /immutable/);

    const api = await t.call('GET', '/api/no-such-thing');
    assert.equal(api.status, 404);
    assert.equal(api.body.error.code, 'ROUTE_NOT_FOUND');
    assert.equal((await t.call('GET', '/api/health')).status, 200);
  } finally {
    await t.stop();
  }
});

test('agent states with time in state for wallboards; an offered agent may read the offered interaction', async () => {
  const t = await startTestHotline();
  try {
    const floor = await buildFloor(t, {}, 3);
    const [a1, a2, outsider] = floor.agents;
    await t.call('POST', `/api/agents/${a1!.id}/login`, { presence: 'available' }, a1!.token);

    const sup = await t.call('GET', '/api/agents/states', undefined, floor.supervisorToken);
    assert.equal(sup.status, 200);
    // The supervisor sees their team only (the last agent is in another team).
    assert.deepEqual(sup.body.map((s: any) => s.agentId).sort(), [a1!.id, a2!.id].sort());
    const s1 = sup.body.find((s: any) => s.agentId === a1!.id);
    assert.equal(s1.state, 'available');
    assert.ok(!Number.isNaN(Date.parse(s1.since)), 'time in state starts at the login');
    assert.equal(sup.body.find((s: any) => s.agentId === a2!.id).since, null);
    const own = await t.call('GET', '/api/agents/states', undefined, a1!.token);
    assert.deepEqual(
      own.body.map((s: any) => s.agentId),
      [a1!.id],
    );

    const i = await t.call(
      'POST',
      '/api/interactions',
      { channel: 'chat', queueId: floor.queueId, from: '+14155550111' },
      t.adminToken,
    );
    assert.equal(i.body.status, 'offered');
    // The screen pop comes before accepting: the offered agent reads it, others do not.
    assert.equal((await t.call('GET', `/api/interactions/${i.body.id}`, undefined, a1!.token)).status, 200);
    assert.equal((await t.call('GET', `/api/interactions/${i.body.id}`, undefined, a2!.token)).status, 404);
    assert.equal(
      (await t.call('GET', `/api/interactions/${i.body.id}`, undefined, outsider!.token)).status,
      404,
    );
  } finally {
    await t.stop();
  }
});
