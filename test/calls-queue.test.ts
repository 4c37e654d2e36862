// Around the queued inbound call, over real sockets with SIPp: position/wait announcements between
// stretches of hold music, digits sent as SIP INFO, and a graceful shutdown that says goodbye to a
// waiting caller with a BYE and leaves its interaction and CDR final.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestHotline } from './helpers/hotline.js';
import { runSipp } from './helpers/sipp.js';
import { startVoiceLine, until, type VoiceLine } from './helpers/voice-line.js';

const LIMIT = { timeout: 90_000 };
// A range of its own per process, so parallel test files do not fight over RTP ports.
const RTP_BASE = 40000 + (process.pid % 500) * 40;

/** Menu: 1 queues with announcements every 5 s; 2 leads to a second menu where 1 queues too. */
function flow(queueId: string): Record<string, unknown> {
  const menu = (options: { digit: string; next: string }[]) => ({
    kind: 'menu',
    prompt: 'menu',
    options,
    timeoutSec: 10,
  });
  return {
    version: 1,
    name: 'Announcing line',
    start: 'menu',
    nodes: {
      menu: menu([
        { digit: '1', next: 'billing' },
        { digit: '2', next: 'more' },
      ]),
      more: menu([{ digit: '1', next: 'billing' }]),
      billing: {
        kind: 'queue',
        queueId,
        announcePosition: true,
        announceWaitTime: true,
        announceEverySeconds: 5,
        averageHandleSeconds: 180,
      },
    },
  };
}

let line: VoiceLine;
let t: TestHotline;
const voice = () => line.voice();
const voiceInteractions = () => line.voiceInteractions();
const sipp = (scenario: string, pauseMs?: number) =>
  runSipp({ scenario, port: voice().sipPort, mediaPort: RTP_BASE + 30, timeoutSec: 40, pauseMs });

before(async () => {
  line = await startVoiceLine({
    prefix: 'hotline-calls-queue-',
    rtp: [RTP_BASE, RTP_BASE + 19],
    flow,
    skill: false,
  });
  ({ t } = line);
});

after(() => line?.stop());

test(
  'a waiting caller hears "caller number 1, about 3 minutes" between stretches of hold music',
  LIMIT,
  async () => {
    const framesBefore = voice().rtpFramesSent();
    const run = await sipp('ivr-wait.xml', 8000);
    assert.equal(run.code, 0, run.out.slice(-3000));
    await until('the abandon', async () =>
      (await voiceInteractions()).some((i) => i.outcome === 'abandoned'),
    );
    const [call] = await voiceInteractions();
    assert.ok(call);
    const events = await t.hotline.services.store.interactions.events(call.id);
    const announced = events.filter((e) => e.type === 'announcement');
    assert.ok(announced.length >= 1, `events: ${events.map((e) => e.type).join(', ')}`);
    const details = announced[0]!.details as { position: number; prompts: string[] };
    assert.equal(details.position, 1);
    // No agent is logged in: one caller at 180 s each is about 3 minutes.
    assert.deepEqual(details.prompts, [
      'queue-position',
      'say/1',
      'queue-position-end',
      'queue-wait',
      'say/3',
      'queue-wait-minutes',
    ]);
    // 8 s on the line at 50 frames a second, with room for a slow machine.
    assert.ok(voice().rtpFramesSent() - framesBefore > 150, `RTP frames sent: ${voice().rtpFramesSent()}`);
    await until(
      'the call to be cleaned up',
      () => voice().activeCalls() === 0 && voice().rtpPortsInUse() === 0,
    );
  },
);

test('digits sent as SIP INFO (dtmf-relay, then dtmf) walk two menus into the queue', LIMIT, async () => {
  const before = new Set((await voiceInteractions()).map((i) => i.id));
  const run = await sipp('ivr-info-dtmf.xml');
  assert.equal(run.code, 0, run.out.slice(-3000));
  await until('the new interaction to end', async () =>
    (await voiceInteractions()).some((i) => !before.has(i.id) && i.status === 'ended'),
  );
  const call = (await voiceInteractions()).find((i) => !before.has(i.id));
  assert.ok(call);
  assert.deepEqual(call.metadata.ivrPath, ['menu', 'more', 'billing']);
  assert.equal(call.outcome, 'abandoned');
});

// Last: it closes the voice side.
test(
  'on shutdown a waiting caller gets BYE; the interaction is interrupted and its CDR written',
  LIMIT,
  async () => {
    const before = new Set((await voiceInteractions()).map((i) => i.id));
    const running = sipp('ivr-wait-bye.xml');
    await until('the caller to wait', async () =>
      (await voiceInteractions()).some((i) => !before.has(i.id) && i.status === 'queued'),
    );
    await voice().close();
    // Final as soon as close() returns, before the database goes.
    const call = (await voiceInteractions()).find((i) => !before.has(i.id));
    assert.ok(call);
    assert.equal(call.status, 'ended');
    assert.equal(call.outcome, 'interrupted');
    const cdrs = await t.hotline.services.store.voice.cdrs(call.id);
    assert.deepEqual(
      cdrs.map((c) => [c.direction, c.endCause]),
      [['inbound', 'shutdown']],
    );
    const run = await running;
    assert.equal(run.code, 0, `SIPp got our BYE: ${run.out.slice(-3000)}`);
  },
);
