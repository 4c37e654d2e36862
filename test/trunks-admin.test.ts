// SIP trunks over the API: an admin adds, changes and deletes console trunks next to the
// configuration's read-only ones; bad sources, proxies and names get their own codes; passwords are
// never returned; every change is in the audit log; a restart keeps them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';
import { createUserWithAgent } from './helpers/floor.js';

let t: TestHotline;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-trunks-admin-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      sip: {
        trunks: [
          { name: 'pbx', sources: ['192.0.2.10'], dids: ['*'], username: 'u', password: 'config-secret' },
        ],
      },
    }),
  );
  t = await startTestHotline({ env: { HOTLINE_CONFIG: configFile } });
});

after(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const carrier = {
  name: 'carrier-a',
  sources: ['203.0.113.0/24', '2001:db8::/32'],
  dids: ['+1 202 555 0100', '5550101'],
  outboundProxy: 'sip.carrier.example:5080',
  domain: 'carrier.example',
  username: 'hotline',
  password: 'very-secret-1',
  callerId: '+12025550199',
};

test('an admin adds a trunk: listed with the config one, without its password', async () => {
  const created = await t.call('POST', '/api/trunks', carrier, t.adminToken);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.origin, 'console');
  assert.deepEqual(created.body.dids, ['+12025550100', '5550101']);
  assert.equal(created.body.passwordSet, true);
  assert.equal(created.body.transport, 'udp');
  assert.equal(created.body.registerExpires, 0);
  const list = await t.call('GET', '/api/trunks', undefined, t.adminToken);
  assert.equal(list.status, 200);
  assert.deepEqual(
    list.body.map((x: { name: string; origin: string }) => [x.name, x.origin]),
    [
      ['pbx', 'config'],
      ['carrier-a', 'console'],
    ],
  );
  const text = JSON.stringify(list.body);
  assert.doesNotMatch(text, /very-secret-1|config-secret/);
  assert.ok(list.body.every((x: Record<string, unknown>) => !('password' in x)));
  assert.equal(list.body[0].passwordSet, true);
});

test('bad sources, proxies, numbers and names are refused with stable codes at the field', async () => {
  const cases: [Record<string, unknown>, number, string, string][] = [
    [{ ...carrier, name: 'x1', sources: ['10.0.0.0/33'] }, 400, 'TRUNK_SOURCE_INVALID', '/sources/0'],
    [
      { ...carrier, name: 'x2', sources: ['1.2.3.4', 'carrier.example'] },
      400,
      'TRUNK_SOURCE_INVALID',
      '/sources/1',
    ],
    [
      { ...carrier, name: 'x3', outboundProxy: 'sip:carrier.example' },
      400,
      'TRUNK_PROXY_INVALID',
      '/outboundProxy',
    ],
    [
      { ...carrier, name: 'x4', outboundProxy: 'carrier.example:99999' },
      400,
      'TRUNK_PROXY_INVALID',
      '/outboundProxy',
    ],
    [{ ...carrier, name: 'x5', dids: ['12ab'] }, 400, 'VALIDATION_FAILED', '/dids/0'],
    [{ ...carrier, name: 'x6', callerId: 'anonymous' }, 400, 'VALIDATION_FAILED', '/callerId'],
    [{ ...carrier, name: 'bad name/' }, 400, 'VALIDATION_FAILED', '/name'],
    [
      { ...carrier, name: 'x7', registerExpires: 300, outboundProxy: null },
      400,
      'VALIDATION_FAILED',
      '/registerExpires',
    ],
    [{ ...carrier }, 409, 'TRUNK_NAME_TAKEN', '/name'],
    [{ ...carrier, name: 'pbx' }, 409, 'TRUNK_NAME_TAKEN', '/name'],
  ];
  for (const [body, status, code, path] of cases) {
    const r = await t.call('POST', '/api/trunks', body, t.adminToken);
    assert.equal(r.status, status, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, code);
    assert.equal(r.body.error.details?.path, path, JSON.stringify(r.body));
  }
  const names = (await t.call('GET', '/api/trunks', undefined, t.adminToken)).body.map(
    (x: { name: string }) => x.name,
  );
  assert.deepEqual(names, ['pbx', 'carrier-a'], 'nothing refused was stored');
});

test('a change keeps the password unless given; a config trunk is read-only', async () => {
  const { name: _n, password: _p, ...rest } = carrier;
  const changed = await t.call(
    'PUT',
    '/api/trunks/carrier-a',
    { ...rest, dids: ['*'], transport: 'tcp' },
    t.adminToken,
  );
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.deepEqual(changed.body.dids, ['*']);
  assert.equal(changed.body.transport, 'tcp');
  assert.equal(changed.body.passwordSet, true, 'the stored password is kept');
  const stored = await t.hotline.services.store.sipTrunks.byName('carrier-a');
  assert.equal(stored?.password, 'very-secret-1');
  const cleared = await t.call('PUT', '/api/trunks/carrier-a', { ...rest, password: null }, t.adminToken);
  assert.equal(cleared.body.passwordSet, false);
  const readOnly = await t.call(
    'PUT',
    '/api/trunks/pbx',
    { sources: ['192.0.2.11'], dids: ['*'] },
    t.adminToken,
  );
  assert.equal(readOnly.status, 409);
  assert.equal(readOnly.body.error.code, 'TRUNK_READ_ONLY');
  const gone = await t.call('DELETE', '/api/trunks/pbx', undefined, t.adminToken);
  assert.equal(gone.body.error.code, 'TRUNK_READ_ONLY');
  const missing = await t.call(
    'PUT',
    '/api/trunks/nope',
    { sources: ['192.0.2.11'], dids: ['*'] },
    t.adminToken,
  );
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'TRUNK_NOT_FOUND');
});

test('every change is in the audit log, without the password', async () => {
  await t.call(
    'POST',
    '/api/trunks',
    { name: 'short-lived', sources: ['198.51.100.7'], dids: ['*'] },
    t.adminToken,
  );
  const del = await t.call('DELETE', '/api/trunks/short-lived', undefined, t.adminToken);
  assert.equal(del.status, 204);
  for (const action of ['sip_trunk.create', 'sip_trunk.update', 'sip_trunk.delete']) {
    const audit = await t.call('GET', `/api/audit?action=${action}`, undefined, t.adminToken);
    assert.equal(audit.status, 200);
    assert.ok(audit.body.length > 0, `${action} audited`);
    assert.doesNotMatch(JSON.stringify(audit.body), /very-secret-1/);
  }
  const created = await t.call('GET', '/api/audit?action=sip_trunk.create', undefined, t.adminToken);
  const entry = created.body.find((e: { targetId: string }) => e.targetId === 'carrier-a');
  assert.equal(entry.actorName, 'admin');
  assert.equal(entry.details.passwordSet, true);
  const updated = await t.call('GET', '/api/audit?action=sip_trunk.update', undefined, t.adminToken);
  assert.ok(updated.body.some((e: { details: { changed: string[] } }) => e.details.changed.includes('dids')));
});

test('agents may not see or change trunks', async () => {
  const agent = await createUserWithAgent(t, 'trunk-agent', {});
  assert.equal((await t.call('GET', '/api/trunks', undefined, agent.token)).status, 403);
  const r = await t.call('POST', '/api/trunks', { ...carrier, name: 'sneaky' }, agent.token);
  assert.equal(r.status, 403);
});

test('console trunks survive a restart', async () => {
  await t.restart();
  const list = await t.call('GET', '/api/trunks', undefined, t.adminToken);
  const mine = list.body.find((x: { name: string }) => x.name === 'carrier-a');
  assert.equal(mine?.origin, 'console');
  assert.equal(mine?.active, true);
  assert.equal(t.hotline.services.trunks.current().length, 2);
});

test('a console trunk that a configuration trunk took the name of is shown inactive, not used', async () => {
  // As if "pbx" had been added in the console before the configuration file got one of that name.
  const now = new Date();
  await t.hotline.services.store.sipTrunks.insert({
    name: 'pbx',
    sources: ['198.51.100.99'],
    dids: ['*'],
    outboundProxy: null,
    transport: 'udp',
    domain: null,
    username: null,
    password: null,
    registerExpires: 0,
    callerId: null,
    createdAt: now,
    updatedAt: now,
  });
  await t.restart();
  const list = await t.call('GET', '/api/trunks', undefined, t.adminToken);
  const both = list.body.filter((x: { name: string }) => x.name === 'pbx');
  assert.deepEqual(
    both.map((x: { origin: string; active: boolean }) => [x.origin, x.active]),
    [
      ['config', true],
      ['console', false],
    ],
  );
  assert.match(both[1].problem, /configuration trunk has the same name/);
  const used = t.hotline.services.trunks.current().filter((x) => x.name === 'pbx');
  assert.deepEqual(
    used.map((x) => x.sources),
    [['192.0.2.10']],
    'only the configuration trunk is used',
  );
  // Editing goes to the configuration; the console copy can be deleted, leaving the configuration's.
  const put = await t.call('PUT', '/api/trunks/pbx', { sources: ['192.0.2.11'], dids: ['*'] }, t.adminToken);
  assert.equal(put.body.error.code, 'TRUNK_READ_ONLY');
  assert.equal((await t.call('DELETE', '/api/trunks/pbx', undefined, t.adminToken)).status, 204);
  const after = await t.call('GET', '/api/trunks', undefined, t.adminToken);
  const left = after.body.filter((x: { name: string }) => x.name === 'pbx');
  assert.deepEqual(
    left.map((x: { origin: string }) => x.origin),
    ['config'],
  );
  const again = await t.call('DELETE', '/api/trunks/pbx', undefined, t.adminToken);
  assert.equal(again.body.error.code, 'TRUNK_READ_ONLY');
});
