import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHotline, ADMIN_PASSWORD, type TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';

describe('accounts, roles and API keys', () => {
  let t: TestHotline;
  before(async () => {
    t = await startTestHotline();
  });
  after(() => t.stop());

  test('wrong password and unknown user get the same 401; repeated failures are rate-limited', async () => {
    const wrong = await t.call('POST', '/api/auth/login', { username: 'admin', password: 'nope-nope' });
    const unknown = await t.call('POST', '/api/auth/login', { username: 'ghost', password: 'nope-nope' });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    for (let i = 0; i < 4; i++)
      await t.call('POST', '/api/auth/login', { username: 'victim', password: 'guess' + i });
    // Five failures for "victim" now (the fifth from this address overall is long past): locked.
    await t.call('POST', '/api/auth/login', { username: 'victim', password: 'guess-last' });
    const locked = await t.hotline.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'victim', password: 'anything' },
      remoteAddress: '10.9.9.9',
    });
    assert.equal(locked.statusCode, 429);
    assert.equal(JSON.parse(locked.body).error.code, 'AUTH_LOGIN_RATE_LIMITED');
    assert.ok(Number(locked.headers['retry-after']) > 0);
  });

  test('roles: an agent cannot manage users or queues, and sees only their own agent', async () => {
    const a1 = await createUserWithAgent(t, 'alice', {});
    const a2 = await createUserWithAgent(t, 'bob', {});
    const users = await t.call('GET', '/api/users', undefined, a1.token);
    assert.equal(users.status, 403);
    assert.equal(users.body.error.code, 'AUTH_FORBIDDEN');
    const q = await t.call('POST', '/api/queues', { name: 'Mine' }, a1.token);
    assert.equal(q.status, 403);
    const own = await t.call('GET', `/api/agents/${a1.id}/state`, undefined, a1.token);
    assert.equal(own.status, 200);
    const other = await t.call('GET', `/api/agents/${a2.id}/state`, undefined, a1.token);
    assert.equal(other.status, 403);
    const forced = await t.call('POST', `/api/agents/${a2.id}/login`, {}, a1.token);
    assert.equal(forced.status, 403);
    const list = await t.call('GET', '/api/agents', undefined, a1.token);
    assert.deepEqual(
      list.body.map((a: { id: string }) => a.id),
      [a1.id],
    );
    const me = await t.call('GET', '/api/me', undefined, a1.token);
    assert.equal(me.body.agentId, a1.id);
    assert.equal(me.body.role, 'agent');
  });

  test('API keys act within their scopes, and a revoked key stops working', async () => {
    const created = await t.call(
      'POST',
      '/api/api-keys',
      { name: 'CRM sync', scopes: ['customers:read', 'customers:write'] },
      t.adminToken,
    );
    assert.equal(created.status, 201);
    const secret: string = created.body.secret;
    assert.match(secret, /^hlk_/);
    const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
      t.hotline.app.inject({ method, url, payload: body as object, headers: { 'x-api-key': secret } });
    const ok = await call('POST', '/api/customers', { name: 'Ada', phones: ['+44 20 7946 0958'] });
    assert.equal(ok.statusCode, 201);
    const noScope = await call('GET', '/api/users');
    assert.equal(noScope.statusCode, 403);
    const noScope2 = await call('GET', '/api/interactions');
    assert.equal(noScope2.statusCode, 403);
    assert.equal(JSON.parse(noScope2.body).error.code, 'AUTH_SCOPE_MISSING');
    const listed = await t.call('GET', '/api/api-keys', undefined, t.adminToken);
    assert.equal(listed.body[0].secret, undefined, 'secrets are never listed');
    const revoke = await t.call('DELETE', `/api/api-keys/${created.body.id}`, undefined, t.adminToken);
    assert.equal(revoke.status, 204);
    const after = await call('GET', '/api/customers');
    assert.equal(after.statusCode, 401);
    const badScope = await t.call('POST', '/api/api-keys', { name: 'x', scopes: ['root'] }, t.adminToken);
    assert.equal(badScope.status, 400);
  });

  test('logout ends the session; disabling a user ends theirs', async () => {
    const token = await t.login('admin', ADMIN_PASSWORD);
    assert.equal((await t.call('POST', '/api/auth/logout', undefined, token)).status, 204);
    assert.equal((await t.call('GET', '/api/me', undefined, token)).status, 401);
    const carol = await createUserWithAgent(t, 'carol', {});
    assert.equal((await t.call('GET', '/api/me', undefined, carol.token)).status, 200);
    const dis = await t.call('PATCH', `/api/users/${carol.userId}`, { disabled: true }, t.adminToken);
    assert.equal(dis.status, 200);
    assert.equal((await t.call('GET', '/api/me', undefined, carol.token)).status, 401);
    const relog = await t.call('POST', '/api/auth/login', { username: 'carol', password: 'agent-pass-1' });
    assert.equal(relog.status, 401);
  });

  test('the audit log records logins, failed logins and configuration changes', async () => {
    const r = await t.call('GET', '/api/audit?limit=500', undefined, t.adminToken);
    assert.equal(r.status, 200);
    const actions = new Set(r.body.map((e: { action: string }) => e.action));
    for (const a of [
      'auth.login',
      'auth.login_failed',
      'user.create',
      'agent.create',
      'api_key.create',
      'api_key.revoke',
      'user.update',
    ]) {
      assert.ok(actions.has(a), `audit lacks ${a}`);
    }
    const upd = r.body.find((e: { action: string }) => e.action === 'user.update');
    assert.equal(upd.actorName, 'admin');
    assert.deepEqual(upd.details, { disabled: true });
    const failed = r.body.find((e: { action: string }) => e.action === 'auth.login_failed');
    assert.equal(
      JSON.stringify(failed.details).includes('nope'),
      false,
      'passwords never reach the audit log',
    );
  });
});
