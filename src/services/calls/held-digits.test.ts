import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdDigits } from './held-digits.js';
import type { CallLeg, MediaChannel } from './ports.js';

function leg(): CallLeg & { press(d: string): void; hungUp: boolean } {
  let digitFn: (d: string) => void = () => undefined;
  const l = {
    hungUp: false,
    // Never bridged here: only digits matter.
    media: {} as MediaChannel,
    play: () => undefined,
    stopPlayback: () => undefined,
    onAudio: () => () => undefined,
    onHangup: () => undefined,
    onRemoteHold: () => undefined,
    remoteHeld: false,
    hangup: () => void (l.hungUp = true),
    onDigit: (fn: (d: string) => void) => void (digitFn = fn),
    press: (d: string) => digitFn(d),
  };
  return l;
}

test('digits pressed before anyone listens reach the first listener, in order, after its set-up', async () => {
  const raw = leg();
  const held = holdDigits(raw);
  raw.press('1');
  raw.press('2');
  const heard: string[] = [];
  held.onDigit((d) => heard.push(d));
  heard.push('set-up done');
  await Promise.resolve();
  raw.press('3');
  assert.deepEqual(heard, ['set-up done', '1', '2', '3']);
  held.hangup();
  assert.equal(raw.hungUp, true);
});
