import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alarmText, decideAlarms, type OpenAlarm } from './alarms.js';

const down = (key: string, detail = 'down') => ({ key, ok: false, detail });
const up = (key: string, detail = 'ok') => ({ key, ok: true, detail });

test('a new problem notifies once, stays quiet until the re-notify interval, then reminds', () => {
  let open = new Map<string, OpenAlarm>();
  let r = decideAlarms(open, [down('smsc'), up('database')], 0, 600_000);
  assert.deepEqual(
    r.notices.map((n) => [n.kind, n.key]),
    [['problem', 'smsc']],
  );
  open = r.open;
  r = decideAlarms(open, [down('smsc', 'still down')], 300_000, 600_000);
  assert.deepEqual(r.notices, []);
  assert.equal(r.open.get('smsc')!.detail, 'still down');
  r = decideAlarms(r.open, [down('smsc')], 600_000, 600_000);
  assert.deepEqual(
    r.notices.map((n) => n.kind),
    ['reminder'],
  );
  assert.equal(r.open.get('smsc')!.sinceMs, 0);
  r = decideAlarms(r.open, [down('smsc')], 900_000, 600_000);
  assert.deepEqual(r.notices, [], 'the next reminder counts from the last one');
});

test('a problem that clears sends an all clear and can open again', () => {
  let r = decideAlarms(new Map(), [down('disk', '3% free')], 0, 0);
  r = decideAlarms(r.open, [up('disk', '40% free')], 120_000, 0);
  assert.deepEqual(r.notices, [{ kind: 'clear', key: 'disk', detail: '40% free', sinceMs: 0 }]);
  assert.equal(r.open.size, 0);
  assert.equal(alarmText(r.notices[0]!, 120_000), 'Hotline ALL CLEAR disk after 2 min: 40% free');
  r = decideAlarms(r.open, [down('disk')], 180_000, 0);
  assert.deepEqual(
    r.notices.map((n) => n.kind),
    ['problem'],
  );
});

test('no reminders with a zero interval; a check that did not report keeps its alarm', () => {
  let r = decideAlarms(new Map(), [down('a'), down('b')], 0, 0);
  r = decideAlarms(r.open, [down('a')], 10_000_000, 0);
  assert.deepEqual(r.notices, []);
  assert.deepEqual([...r.open.keys()], ['a', 'b']);
  r = decideAlarms(r.open, [up('c')], 10_000_001, 0);
  assert.deepEqual(r.notices, [], 'an all clear only for something that was wrong');
});
