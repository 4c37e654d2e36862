import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

describe('API basics', () => {
  let t: TestHotline;
  before(async () => {
    t = await startTestHotline();
  });
  after(() => t.stop());

  test('health answers 200 with the database part', async () => {
    const r = await t.call('GET', '/api/health');
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'ok');
    assert.equal(r.body.parts.database.status, 'ok');
    assert.equal(r.body.parts.database.detail, t.databaseUrl ? 'postgres' : 'pglite');
  });

  test('the OpenAPI document lists the routes and the docs page is served', async () => {
    const r = await t.call('GET', '/api/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi, '3.1.0');
    for (const p of [
      '/api/interactions',
      '/api/agents/{id}/login',
      '/api/queues/{id}/stats',
      '/api/auth/login',
    ]) {
      assert.ok(r.body.paths[p], `missing ${p}`);
    }
    const docs = await t.hotline.app.inject({ method: 'GET', url: '/api/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });

  test('no token → 401 AUTH_REQUIRED; a bad token → 401', async () => {
    const r = await t.call('GET', '/api/queues');
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'AUTH_REQUIRED');
    const r2 = await t.call('GET', '/api/queues', undefined, 'hls_nonsense');
    assert.equal(r2.status, 401);
  });

  test('malformed input gets a 4xx with a code, never a 500', async () => {
    const bad = await t.hotline.app.inject({
      method: 'POST',
      url: '/api/skills',
      payload: '{"name": ',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(JSON.parse(bad.body).error.code, 'VALIDATION_FAILED');

    const missing = await t.call('POST', '/api/queues', { priority: 1 }, t.adminToken);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'VALIDATION_FAILED');
    assert.match(missing.body.error.message, /name/);

    const extra = await t.call('POST', '/api/skills', { name: 'x', evil: true }, t.adminToken);
    assert.equal(extra.status, 400);

    const badId = await t.call('GET', '/api/queues/not-a-uuid', undefined, t.adminToken);
    assert.equal(badId.status, 400);
    assert.equal(badId.body.error.code, 'VALIDATION_FAILED');

    const unknown = await t.call(
      'GET',
      '/api/queues/9b2f3c9e-4a55-4d0e-9d59-2b1e5f0c8a11',
      undefined,
      t.adminToken,
    );
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'QUEUE_NOT_FOUND');

    const text = await t.hotline.app.inject({
      method: 'POST',
      url: '/api/skills',
      payload: 'name=x',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'text/plain' },
    });
    assert.equal(text.statusCode, 415);
    assert.equal(JSON.parse(text.body).error.code, 'UNSUPPORTED_MEDIA_TYPE');

    const route = await t.call('GET', '/api/nothing-here');
    assert.equal(route.status, 404);
    assert.equal(route.body.error.code, 'ROUTE_NOT_FOUND');
  });

  test('a body over the limit is refused with 413 BODY_TOO_LARGE', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    const r = await t.hotline.app.inject({
      method: 'POST',
      url: '/api/customers',
      payload: big,
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
    });
    assert.equal(r.statusCode, 413);
    assert.equal(JSON.parse(r.body).error.code, 'BODY_TOO_LARGE');
  });
});
