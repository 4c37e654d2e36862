/** Builds a small contact-center floor over the API: skills, a team, users with agent profiles, a queue. */
import assert from 'node:assert/strict';
import type { TestHotline } from './hotline.js';

export interface Floor {
  skills: Record<string, string>;
  teamId: string;
  otherTeamId: string;
  supervisorToken: string;
  agents: { id: string; userId: string; token: string; username: string }[];
  queueId: string;
}

export async function createUserWithAgent(
  t: TestHotline,
  username: string,
  settings: Record<string, unknown>,
): Promise<{ id: string; userId: string; token: string; username: string }> {
  const u = await t.call(
    'POST',
    '/api/users',
    { username, displayName: username, role: 'agent', password: 'agent-pass-1' },
    t.adminToken,
  );
  assert.equal(u.status, 201, JSON.stringify(u.body));
  const a = await t.call('POST', '/api/agents', { userId: u.body.id, ...settings }, t.adminToken);
  assert.equal(a.status, 201, JSON.stringify(a.body));
  return { id: a.body.id, userId: u.body.id, token: await t.login(username, 'agent-pass-1'), username };
}

export async function buildFloor(
  t: TestHotline,
  queue: Record<string, unknown> = {},
  agentCount = 2,
): Promise<Floor> {
  const skills: Record<string, string> = {};
  for (const name of ['billing', 'english']) {
    const r = await t.call('POST', '/api/skills', { name }, t.adminToken);
    assert.equal(r.status, 201);
    skills[name] = r.body.id;
  }
  const sup = await t.call(
    'POST',
    '/api/users',
    { username: 'sup', displayName: 'Sue', role: 'supervisor', password: 'super-pass-1' },
    t.adminToken,
  );
  const team = await t.call(
    'POST',
    '/api/teams',
    { name: 'Billing team', supervisorIds: [sup.body.id] },
    t.adminToken,
  );
  const other = await t.call('POST', '/api/teams', { name: 'Other team' }, t.adminToken);
  assert.equal(team.status, 201);
  const agents = [];
  for (let i = 0; i < agentCount; i++) {
    agents.push(
      await createUserWithAgent(t, `agent${i + 1}`, {
        teamId: i === agentCount - 1 && agentCount > 1 ? other.body.id : team.body.id,
        skills: { [skills.billing!]: 5, [skills.english!]: 7 },
      }),
    );
  }
  const q = await t.call(
    'POST',
    '/api/queues',
    {
      name: 'Billing',
      requirements: [{ skillId: skills.billing, minLevel: 3 }],
      reservationTimeoutSec: 20,
      ...queue,
    },
    t.adminToken,
  );
  assert.equal(q.status, 201, JSON.stringify(q.body));
  return {
    skills,
    teamId: team.body.id,
    otherTeamId: other.body.id,
    supervisorToken: await t.login('sup', 'super-pass-1'),
    agents,
    queueId: q.body.id,
  };
}
