/**
 * kill -9 of a real Hotline process: accepted interactions survive, waiting ones return to their
 * queues in order, and those that were with an agent are closed as interrupted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgres, POSTGRES_URL } from './helpers/database.js';
import { api, startProcess } from './helpers/hotline-process.js';

const PASSWORD = 'crash-admin-1';

describe('crash recovery', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-crash-'));
  let pg: Awaited<ReturnType<typeof freshPostgres>> | null = null;
  let env: Record<string, string>;
  before(async () => {
    pg = POSTGRES_URL ? await freshPostgres() : null;
    env = {
      HOTLINE_DATA_DIR: dataDir,
      HOTLINE_HOST: '127.0.0.1',
      HOTLINE_PORT: '0',
      HOTLINE_ADMIN_PASSWORD: PASSWORD,
      HOTLINE_LOG_LEVEL: 'info',
      DATABASE_URL: pg?.url ?? '',
    };
  });
  after(async () => {
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('after kill -9 and restart, waiting interactions are back in order and active ones interrupted', async () => {
    let { child, base } = await startProcess(env);
    const login = async () =>
      (await api(base, 'POST', '/api/auth/login', undefined, { username: 'admin', password: PASSWORD })).body
        .token as string;
    let token = await login();
    const skill = (await api(base, 'POST', '/api/skills', token, { name: 'gas' })).body;
    const queue = (
      await api(base, 'POST', '/api/queues', token, {
        name: 'Gas leaks',
        requirements: [{ skillId: skill.id, minLevel: 1 }],
      })
    ).body;
    const user = (
      await api(base, 'POST', '/api/users', token, {
        username: 'ann',
        displayName: 'Ann',
        role: 'agent',
        password: 'ann-pass-1',
      })
    ).body;
    const agent = (
      await api(base, 'POST', '/api/agents', token, { userId: user.id, skills: { [skill.id]: 5 } })
    ).body;
    await api(base, 'POST', `/api/agents/${agent.id}/login`, token, { presence: 'available' });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await api(base, 'POST', '/api/interactions', token, {
        channel: 'voice',
        queueId: queue.id,
        priority: i === 4 ? 5 : 0,
        subject: `call ${i}`,
      });
      assert.equal(r.status, 201);
      ids.push(r.body.id);
    }
    // The first went to Ann (offered); she accepts it, so it is active at the crash.
    const state = (await api(base, 'GET', `/api/agents/${agent.id}/state`, token)).body;
    const offer = state.work[0];
    assert.equal(offer.interactionId, ids[0]);
    assert.equal(
      (await api(base, 'POST', `/api/agents/${agent.id}/reservations/${offer.reservationId}/accept`, token))
        .status,
      200,
    );
    const before = (await api(base, 'GET', `/api/queues/${queue.id}/waiting`, token)).body.map(
      (w: { interactionId: string }) => w.interactionId,
    );
    assert.deepEqual(before, [ids[4], ids[1], ids[2], ids[3], ids[5]], 'priority first, then arrival');

    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    ({ child, base } = await startProcess(env));
    try {
      token = await login();
      const after = (await api(base, 'GET', `/api/queues/${queue.id}/waiting`, token)).body.map(
        (w: { interactionId: string }) => w.interactionId,
      );
      // Ann comes back available, so the best waiting one is offered to her at once.
      const annState = (await api(base, 'GET', `/api/agents/${agent.id}/state`, token)).body;
      assert.equal(annState.state, 'reserved');
      assert.equal(annState.work[0].interactionId, ids[4]);
      assert.deepEqual(after, [ids[1], ids[2], ids[3], ids[5]]);
      const active = (await api(base, 'GET', `/api/interactions/${ids[0]}`, token)).body;
      assert.equal(active.status, 'ended');
      assert.equal(active.outcome, 'interrupted');
      for (const id of ids)
        assert.equal(
          (await api(base, 'GET', `/api/interactions/${id}`, token)).status,
          200,
          'nothing accepted is lost',
        );
    } finally {
      // Ctrl-C: a clean shutdown that finishes its writes and exits 0.
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    }
  });
});
