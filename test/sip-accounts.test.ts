// The agents' SIP accounts are read once and kept in memory (a query per call and per REGISTER was a
// third of a call's statements). What a phone sees must not change: a new password works at once and
// the old one no longer does, a removed account or a deleted agent no longer registers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sipHa1 } from '../src/services/calls/voice-desk.js';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';

const REALM = 'hotline.test';
let t: TestHotline;

before(async () => {
  t = await startTestHotline({
    env: {
      HOTLINE_SIP_ENABLED: 'true',
      HOTLINE_SIP_HOST: '127.0.0.1',
      HOTLINE_SIP_PORT: '0',
      HOTLINE_SIP_REALM: REALM,
    },
  });
});
after(() => t.stop());

/** What the registrar compares a REGISTER's digest against. */
function registrarHa1(username: string): Promise<string | undefined> {
  return t.hotline.services.voice.ha1For(username);
}

test('a changed password, a removed account and a deleted agent take effect at once', async () => {
  const agent = await createUserWithAgent(t, 'carol', {});
  const put = (password: string, username = 'carol') =>
    t.call('PUT', `/api/agents/${agent.id}/sip`, { username, password }, t.adminToken);

  assert.equal((await put('first-secret-1')).status, 200);
  assert.equal(await registrarHa1('carol'), sipHa1('carol', REALM, 'first-secret-1'));
  // Read again from memory: the same answer.
  assert.equal(await registrarHa1('carol'), sipHa1('carol', REALM, 'first-secret-1'));

  assert.equal((await put('second-secret-2')).status, 200);
  assert.equal(await registrarHa1('carol'), sipHa1('carol', REALM, 'second-secret-2'));

  // A new username: the old one is gone at once.
  assert.equal((await put('second-secret-2', 'carol2')).status, 200);
  assert.equal(await registrarHa1('carol'), undefined);
  assert.equal(await registrarHa1('carol2'), sipHa1('carol2', REALM, 'second-secret-2'));

  assert.equal((await t.call('DELETE', `/api/agents/${agent.id}/sip`, undefined, t.adminToken)).status, 204);
  assert.equal(await registrarHa1('carol2'), undefined);

  // Deleting the agent drops the account with it (the database cascades; the memory follows).
  assert.equal((await put('third-secret-3', 'carol3')).status, 200);
  assert.equal(await registrarHa1('carol3'), sipHa1('carol3', REALM, 'third-secret-3'));
  const del = await t.call('DELETE', `/api/agents/${agent.id}`, undefined, t.adminToken);
  assert.equal(del.status, 204);
  assert.equal(await registrarHa1('carol3'), undefined);
});
