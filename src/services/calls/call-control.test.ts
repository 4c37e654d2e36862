import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../auth/principal.js';
import type { Store } from '../ports.js';
import { CallControl } from './call-control.js';
import type { CallLeg, MediaBridge, MediaChannel } from './ports.js';

// Fakes only at the edges: the legs (SIP) and the bridge (RTP) record what control asks of them.
function leg(): CallLeg & { music: boolean; hold(held: boolean): void; digits: string[] } {
  const fns: ((held: boolean) => void)[] = [];
  const l = {
    music: false,
    digits: [] as string[],
    remoteHeld: false,
    media: {
      sendDigits: (d: string) => {
        l.digits.push(d);
        return Promise.resolve();
      },
    } as unknown as MediaChannel,
    play: () => void (l.music = true),
    stopPlayback: () => void (l.music = false),
    onDigit: () => undefined,
    onAudio: () => () => undefined,
    onHangup: () => undefined,
    hangup: () => undefined,
    onRemoteHold: (fn: (held: boolean) => void) => void fns.push(fn),
    hold: (held: boolean) => {
      l.remoteHeld = held;
      for (const fn of fns) fn(held);
    },
  };
  return l;
}

function setup() {
  const events: string[] = [];
  const store = {
    interactions: {
      appendEvents: (e: { type: string; details: { by?: string } }[]) => {
        events.push(...e.map((x) => `${x.type}:${x.details.by ?? ''}`));
        return Promise.resolve();
      },
    },
  } as unknown as Store;
  const control = new CallControl({
    store,
    clock: { now: () => 0 },
    log: { info: () => undefined, debug: () => undefined, warn: () => undefined } as never,
    interactions: { get: () => Promise.resolve({} as never) },
    holdFiles: ['hold.wav'],
  });
  const caller = leg();
  const agent = leg();
  const bridge = { relay: true, setRelay: (on: boolean) => void (bridge.relay = on) };
  control.attach({
    interactionId: 'i1',
    agentId: 'a1',
    caller,
    agent,
    bridge: bridge as unknown as MediaBridge,
  });
  return { control, caller, agent, bridge, events };
}

const owner = { kind: 'user', role: 'agent', agentId: 'a1' } as unknown as Principal;
const otherAgent = { kind: 'user', role: 'agent', agentId: 'a2' } as unknown as Principal;
const supervisor = { kind: 'user', role: 'supervisor', agentId: null } as unknown as Principal;

test('an API hold plays music to the caller and stops the relay until resumed', async () => {
  const { control, caller, agent, bridge, events } = setup();
  assert.deepEqual(await control.hold(owner, 'i1'), { interactionId: 'i1', held: true, heldBy: ['api'] });
  assert.deepEqual([caller.music, agent.music, bridge.relay], [true, false, false]);
  await control.resume(supervisor, 'i1');
  assert.deepEqual([caller.music, agent.music, bridge.relay], [false, false, true]);
  assert.deepEqual(events, ['held:api', 'resumed:api']);
});

test('the caller holding plays music to the agent; both holding: no music, until each resumes', async () => {
  const { control, caller, agent, bridge } = setup();
  caller.hold(true);
  assert.deepEqual([caller.music, agent.music, bridge.relay], [false, true, false]);
  agent.hold(true);
  assert.deepEqual([caller.music, agent.music, bridge.relay], [false, false, false]);
  caller.hold(false);
  assert.deepEqual([caller.music, agent.music, bridge.relay], [true, false, false]);
  agent.hold(false);
  assert.deepEqual([caller.music, agent.music, bridge.relay], [false, false, true]);
  assert.deepEqual((await control.holdState(owner, 'i1')).heldBy, []);
});

test('another agent may not hold the call; after the call ends nobody can', async () => {
  const { control } = setup();
  await assert.rejects(
    control.hold(otherAgent, 'i1'),
    (e) => e instanceof DomainError && e.code === 'AUTH_FORBIDDEN',
  );
  control.detach('i1');
  await assert.rejects(
    control.hold(owner, 'i1'),
    (e) => e instanceof DomainError && e.code === 'CALL_NOT_CONNECTED',
  );
});

test('digits go to the caller’s channel, upper-cased; anything else is refused', async () => {
  const { control, caller } = setup();
  assert.deepEqual(await control.sendDigits(owner, 'i1', '12#a'), { sent: 4 });
  assert.deepEqual(caller.digits, ['12#A']);
  await assert.rejects(
    control.sendDigits(owner, 'i1', '12x'),
    (e) => e instanceof DomainError && e.code === 'VALIDATION_FAILED',
  );
});

test('a lost agent connection holds the caller on music; an API resume does not take it off', async () => {
  const { control, caller, agent, bridge, events } = setup();
  await control.connectionHold('i1', true);
  assert.deepEqual([caller.music, agent.music, bridge.relay], [true, false, false]);
  await control.hold(owner, 'i1');
  await control.resume(owner, 'i1');
  assert.deepEqual((await control.holdState(owner, 'i1')).heldBy, ['connection']);
  assert.deepEqual([caller.music, bridge.relay], [true, false]);
  await control.connectionHold('i1', false);
  assert.deepEqual([caller.music, agent.music, bridge.relay], [false, false, true]);
  assert.deepEqual(events, ['held:connection', 'held:api', 'resumed:api', 'resumed:connection']);
});
