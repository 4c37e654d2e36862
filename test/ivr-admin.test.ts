// IVR administration over the API: flows with versions (validated with exact paths), publishing,
// archiving, and dialed numbers with business-hours overrides choosing the flow a call gets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

let t: TestHotline;

before(async () => {
  t = await startTestHotline({ manualClock: true });
});
after(async () => {
  await t.stop();
});

function flow(name: string, prompt = 'welcome'): Record<string, unknown> {
  return {
    version: 1,
    name,
    start: 'hello',
    nodes: { hello: { kind: 'play', prompts: prompt, next: 'bye' }, bye: { kind: 'hangup' } },
  };
}

/** Weekdays 08:00-18:00 in New York. */
const OFFICE = {
  timeZone: 'America/New_York',
  weekly: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '08:00', to: '18:00' }]]),
  ),
  holidays: ['2026-11-26'],
};

async function createFlow(name: string, prompt?: string): Promise<string> {
  const r = await t.call('POST', '/api/ivr/flows', { document: flow(name, prompt) }, t.adminToken);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return (r.body as { id: string }).id;
}

test('a valid flow is stored as version 1, published, and listed', async () => {
  const r = await t.call('POST', '/api/ivr/flows', { document: flow('Main line') }, t.adminToken);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.name, 'Main line');
  assert.equal(r.body.publishedVersion, 1);
  assert.equal(r.body.latestVersion, 1);
  assert.equal(r.body.createdBy, 'admin');
  assert.deepEqual(r.body.document, flow('Main line'));
  const list = await t.call('GET', '/api/ivr/flows', undefined, t.adminToken);
  assert.ok(list.body.some((f: { id: string }) => f.id === r.body.id));
});

test('an invalid flow is refused with 400 IVR_FLOW_INVALID and the exact path of each problem', async () => {
  const doc = flow('Broken');
  (doc.nodes as Record<string, Record<string, unknown>>).hello!.next = 'nowhere';
  const r = await t.call('POST', '/api/ivr/flows', { document: doc }, t.adminToken);
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'IVR_FLOW_INVALID');
  assert.equal(r.body.error.details.path, '/document/nodes/hello/next');
  assert.ok(r.body.error.details.problems.length >= 1);
  const bad = await t.call(
    'POST',
    '/api/ivr/flows',
    { document: { ...flow('x'), version: 2 } },
    t.adminToken,
  );
  assert.equal(bad.body.error.details.path, '/document/version');
  // Nothing was stored.
  const list = await t.call('GET', '/api/ivr/flows', undefined, t.adminToken);
  assert.ok(!list.body.some((f: { name: string }) => f.name === 'Broken'));
});

test('new versions: published at once, or kept as a draft and published (or rolled back) later', async () => {
  const id = await createFlow('Versions', 'one');
  const v2 = await t.call(
    'POST',
    `/api/ivr/flows/${id}/versions`,
    { document: flow('Versions', 'two') },
    t.adminToken,
  );
  assert.equal(v2.status, 201, JSON.stringify(v2.body));
  assert.equal(v2.body.publishedVersion, 2);
  const draft = await t.call(
    'PUT',
    `/api/ivr/flows/${id}`,
    { document: flow('Versions', 'three'), publish: false },
    t.adminToken,
  );
  assert.equal(draft.status, 200);
  assert.equal(draft.body.latestVersion, 3);
  assert.equal(draft.body.publishedVersion, 2);
  assert.equal(draft.body.document.nodes.hello.prompts, 'two');
  const v3 = await t.call('GET', `/api/ivr/flows/${id}/versions/3`, undefined, t.adminToken);
  assert.equal(v3.body.document.nodes.hello.prompts, 'three');
  const back = await t.call('POST', `/api/ivr/flows/${id}/versions/1/publish`, undefined, t.adminToken);
  assert.equal(back.status, 200);
  assert.equal(back.body.publishedVersion, 1);
  assert.deepEqual(
    back.body.versions.map((v: { version: number }) => v.version),
    [1, 2, 3],
  );
  const missing = await t.call('POST', `/api/ivr/flows/${id}/versions/9/publish`, undefined, t.adminToken);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'IVR_FLOW_NOT_FOUND');
  // A bad new version leaves the flow as it was.
  const bad = await t.call(
    'POST',
    `/api/ivr/flows/${id}/versions`,
    { document: { version: 1 } },
    t.adminToken,
  );
  assert.equal(bad.status, 400);
  assert.equal((await t.call('GET', `/api/ivr/flows/${id}`, undefined, t.adminToken)).body.latestVersion, 3);
});

test('changes are in the audit log; agents may not touch flows', async () => {
  const id = await createFlow('Audited');
  await t.call('POST', `/api/ivr/flows/${id}/versions`, { document: flow('Audited', 'again') }, t.adminToken);
  const audit = await t.call('GET', '/api/audit?action=ivr_flow.version', undefined, t.adminToken);
  assert.ok(audit.body.some((e: { targetId: string }) => e.targetId === id));
  const created = await t.call('GET', '/api/audit?action=ivr_flow.create', undefined, t.adminToken);
  assert.ok(created.body.some((e: { targetId: string }) => e.targetId === id));

  await t.call(
    'POST',
    '/api/users',
    { username: 'flow-agent', displayName: 'A', role: 'agent', password: 'agent-secret-1' },
    t.adminToken,
  );
  const agent = await t.login('flow-agent', 'agent-secret-1');
  assert.equal((await t.call('POST', '/api/ivr/flows', { document: flow('No') }, agent)).status, 403);
  assert.equal((await t.call('GET', '/api/ivr/flows', undefined, agent)).status, 403);
});

test('numbers choose flows by DNIS and business hours, "*" catches the rest', async () => {
  const day = await createFlow('Day');
  const night = await createFlow('Night');
  const other = await createFlow('Other');
  const r = await t.call(
    'POST',
    '/api/ivr/numbers',
    { dnis: '+1 202 555-0100', flowId: day, overrides: [{ when: 'closed', hours: OFFICE, flowId: night }] },
    t.adminToken,
  );
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.dnis, '+12025550100');
  const star = await t.call('POST', '/api/ivr/numbers', { dnis: '*', flowId: other }, t.adminToken);
  assert.equal(star.status, 201, JSON.stringify(star.body));

  const numbers = t.hotline.services.ivrNumbers;
  const mondayNoon = Date.parse('2026-11-23T17:00:00Z'); // 12:00 in New York
  const mondayNight = Date.parse('2026-11-24T03:00:00Z'); // 22:00 in New York
  const thanksgiving = Date.parse('2026-11-26T17:00:00Z');
  assert.equal((await numbers.chooseFlow('+12025550100', mondayNoon))?.flowId, day);
  assert.equal((await numbers.chooseFlow('+12025550100', mondayNight))?.flowId, night);
  assert.equal((await numbers.chooseFlow('+12025550100', thanksgiving))?.flowId, night);
  assert.equal((await numbers.chooseFlow('5550199', mondayNoon))?.flowId, other);
  assert.equal((await numbers.chooseFlow('+12025550100', mondayNoon))?.flow.name, 'Day');

  // The same number again (any spelling) is taken; an unknown flow names its path.
  const dup = await t.call('POST', '/api/ivr/numbers', { dnis: '+12025550100', flowId: other }, t.adminToken);
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.code, 'IVR_NUMBER_TAKEN');
  const unknown = await t.call(
    'POST',
    '/api/ivr/numbers',
    {
      dnis: '5550111',
      flowId: day,
      overrides: [{ when: 'open', hours: OFFICE, flowId: '00000000-0000-4000-8000-000000000000' }],
    },
    t.adminToken,
  );
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.details.path, '/overrides/0/flowId');
  const badHours = await t.call(
    'POST',
    '/api/ivr/numbers',
    {
      dnis: '5550112',
      flowId: day,
      overrides: [{ when: 'open', hours: { ...OFFICE, timeZone: 'Mars/Base' }, flowId: night }],
    },
    t.adminToken,
  );
  assert.equal(badHours.status, 400);
  assert.equal(badHours.body.error.details.path, '/overrides/0/hours');
  const badNumber = await t.call('POST', '/api/ivr/numbers', { dnis: 'sales', flowId: day }, t.adminToken);
  assert.equal(badNumber.status, 400);

  // A flow in use cannot be archived; once the number is gone it can, and the number falls back.
  const inUse = await t.call('DELETE', `/api/ivr/flows/${night}`, undefined, t.adminToken);
  assert.equal(inUse.status, 409);
  assert.equal(inUse.body.error.code, 'IVR_FLOW_IN_USE');
  const updated = await t.call(
    'PUT',
    `/api/ivr/numbers/${r.body.id}`,
    { dnis: '+12025550100', flowId: day },
    t.adminToken,
  );
  assert.equal(updated.status, 200);
  assert.equal((await t.call('DELETE', `/api/ivr/flows/${night}`, undefined, t.adminToken)).status, 204);
  assert.equal((await numbers.chooseFlow('+12025550100', mondayNight))?.flowId, day);
  const archived = await t.call('GET', '/api/ivr/flows?archived=true', undefined, t.adminToken);
  assert.ok(
    archived.body.some((f: { id: string; archivedAt: string | null }) => f.id === night && f.archivedAt),
  );
  assert.equal(
    (await t.call('DELETE', `/api/ivr/numbers/${star.body.id}`, undefined, t.adminToken)).status,
    204,
  );
  assert.equal(await numbers.chooseFlow('5550199', mondayNoon), null);
});

test('a draft-only flow answers no calls', async () => {
  const r = await t.call('POST', '/api/ivr/flows', { document: flow('Draft'), publish: false }, t.adminToken);
  assert.equal(r.body.publishedVersion, null);
  await t.call('POST', '/api/ivr/numbers', { dnis: '5550177', flowId: r.body.id }, t.adminToken);
  assert.equal(await t.hotline.services.ivrNumbers.chooseFlow('5550177', Date.now()), null);
});

test('a queue node naming no queue is stored with a warning at its path', async () => {
  const doc = { version: 1, name: 'Lost', start: 'q', nodes: { q: { kind: 'queue', queueId: 'nowhere' } } };
  const r = await t.call('POST', '/api/ivr/flows', { document: doc }, t.adminToken);
  assert.equal(r.status, 201);
  assert.deepEqual(
    r.body.warnings.map((w: { path: string }) => w.path),
    ['/document/nodes/q/queueId'],
  );
});
