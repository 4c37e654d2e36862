import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHotline, type TestHotline } from './helpers/hotline.js';

describe('system alarms', () => {
  let t: TestHotline;
  before(async () => {
    // Any disk is "too full" with a 100% threshold: a problem the test can cause without filling one.
    t = await startTestHotline({
      env: {
        HOTLINE_ALARM_ONCALL: '+12025550181, (202) 555-0182',
        HOTLINE_ALARM_DISK_MIN_FREE_PERCENT: '100',
        HOTLINE_ALARM_INTERVAL_SEC: '3600',
      },
    });
  });
  after(() => t.stop());

  test('a problem texts the on-call list once as alarm SMS and shows in /api/alarms and /api/health', async () => {
    await t.hotline.services.alarms.runOnce();
    await t.hotline.services.alarms.runOnce();
    const alarms = (await t.call('GET', '/api/alarms', undefined, t.adminToken)).body;
    assert.deepEqual(
      alarms.open.map((a: { key: string }) => a.key),
      ['disk'],
    );
    assert.equal(alarms.recent.length, 1, 'one notice for one problem');
    assert.equal(alarms.recent[0].kind, 'problem');
    assert.ok(alarms.checks.some((c: { key: string; ok: boolean }) => c.key === 'database' && c.ok));
    const sms = (await t.call('GET', '/api/sms?limit=10', undefined, t.adminToken)).body;
    assert.deepEqual(sms.map((m: { recipient: string }) => m.recipient).sort(), [
      '+12025550181',
      '+12025550182',
    ]);
    for (const m of sms) {
      assert.equal(m.type, 'alarm');
      assert.equal(m.priority, 9);
      assert.match(m.body, /^Hotline ALARM disk: data disk [\d.]+% free/);
    }
    const health = (await t.call('GET', '/api/health')).body;
    assert.equal(health.status, 'degraded');
    assert.equal(health.parts.alarms.status, 'down');
    assert.match(health.parts.alarms.detail, /^disk: /);
  });
});
