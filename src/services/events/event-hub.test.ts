import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventHub, canSee } from './event-hub.js';
import type { Principal } from '../auth/principal.js';

const agent: Principal = {
  kind: 'user',
  userId: 'u1',
  username: 'a',
  role: 'agent',
  agentId: 'a1',
  teamIds: [],
};
const sup: Principal = {
  kind: 'user',
  userId: 'u2',
  username: 's',
  role: 'supervisor',
  agentId: null,
  teamIds: ['t1'],
};
const admin: Principal = {
  kind: 'user',
  userId: 'u3',
  username: 'r',
  role: 'admin',
  agentId: null,
  teamIds: [],
};

test('agents see their own events, supervisors their teams and staff events, admins everything', () => {
  const own = { agentIds: ['a1'], teamIds: ['t1'] };
  const other = { agentIds: ['a2'], teamIds: ['t2'] };
  assert.equal(canSee(agent, own), true);
  assert.equal(canSee(agent, other), false);
  assert.equal(canSee(agent, { staff: true }), false);
  assert.equal(canSee(sup, own), true);
  assert.equal(canSee(sup, other), false);
  assert.equal(canSee(sup, { staff: true }), true);
  assert.equal(canSee(admin, other), true);
});

test('replay returns exactly the missed events, and a gap once they left the window', () => {
  const hub = new EventHub(100);
  for (let i = 0; i < 50; i++) hub.publish('x', i, { staff: true }, i);
  const missed = hub.since(40);
  assert.ok(Array.isArray(missed));
  assert.deepEqual(
    missed.map((e) => e.data),
    [40, 41, 42, 43, 44, 45, 46, 47, 48, 49],
  );
  assert.deepEqual(hub.since(50), []);
  for (let i = 50; i < 400; i++) hub.publish('x', i, { staff: true }, i);
  assert.equal(hub.since(10), 'gap');
  const recent = hub.since(380);
  assert.ok(Array.isArray(recent));
  assert.equal(recent.length, 20);
  assert.equal(recent[0]!.id, 381);
});
