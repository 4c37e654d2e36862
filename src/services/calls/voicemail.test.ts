// When a voicemail message ends: #, silence, the maximum length, or the caller hanging up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallLeg, MediaChannel, PlaybackOptions } from './ports.js';
import { VoicemailRecording, type RecordingEnd, type VoicemailFile } from './voicemail.js';

/** A leg whose greeting ends when told and whose caller "speaks" frames on demand. */
function scene() {
  let greetingDone: (() => void) | null = null;
  let audio: ((s: Int16Array) => void) | null = null;
  const played: string[][] = [];
  const leg: CallLeg = {
    // Never bridged here: only the recording matters.
    media: {} as MediaChannel,
    play: (files: string[], o: PlaybackOptions) => {
      played.push(files);
      greetingDone = o.onEnd;
    },
    stopPlayback: () => (greetingDone = null),
    onDigit: () => undefined,
    onRemoteHold: () => undefined,
    remoteHeld: false,
    onAudio: (fn) => {
      audio = fn;
      return () => (audio = null);
    },
    onHangup: () => undefined,
    hangup: () => undefined,
  };
  const written: number[] = [];
  const file: VoicemailFile = {
    write: (s) => void written.push(s.length),
    finish: () => ({ durationMs: (written.reduce((a, b) => a + b, 0) / 8000) * 1000 }),
  };
  // A clock that moves only when told, with the one timer a call has.
  let now = 0;
  let pending: { at: number; fn: () => void } | null = null;
  const clock = {
    now: () => now,
    set: (at: number, fn: () => void) => void (pending = { at, fn }),
    clear: () => void (pending = null),
    advance(ms: number) {
      now += ms;
      const p = pending;
      if (p && p.at <= now) {
        pending = null;
        p.fn();
      }
    },
  };
  const ends: { how: RecordingEnd; durationMs: number }[] = [];
  const rec = new VoicemailRecording(
    leg,
    file,
    clock,
    clock,
    { promptFiles: ['greeting.wav', 'beep.wav'], maxSeconds: 10, silenceSeconds: 2 },
    (how, durationMs) => ends.push({ how, durationMs }),
  );
  const speech = new Int16Array(160).map((_, i) => (i % 2 ? 3000 : -3000));
  const silence = new Int16Array(160);
  return {
    rec,
    clock,
    ends,
    played,
    written,
    greetingEnds: () => greetingDone?.(),
    say: (frames: number, loud = true) => {
      for (let i = 0; i < frames; i++) audio?.(loud ? speech : silence);
    },
    listening: () => audio !== null,
  };
}

test('the greeting and beep play first; audio is recorded only after them; # ends the message', () => {
  const s = scene();
  s.rec.start();
  assert.deepEqual(s.played, [['greeting.wav', 'beep.wav']]);
  assert.equal(s.listening(), false);
  s.greetingEnds();
  s.say(50);
  s.rec.digit('5');
  s.say(50);
  s.rec.digit('#');
  assert.deepEqual(s.ends, [{ how: 'key', durationMs: 2000 }]);
  assert.equal(s.listening(), false, 'no audio after the end');
  s.rec.hangup();
  assert.equal(s.ends.length, 1, 'ends once');
});

test('two seconds of silence end the message; speech in between resets the count', () => {
  const s = scene();
  s.rec.start();
  s.greetingEnds();
  s.say(50);
  s.say(90, false);
  s.say(10);
  assert.equal(s.ends.length, 0);
  s.say(100, false);
  assert.equal(s.ends[0]?.how, 'silence');
});

test('the maximum length ends the message, and so does hanging up (even during the greeting)', () => {
  const s = scene();
  s.rec.start();
  s.greetingEnds();
  s.say(10);
  s.clock.advance(10_000);
  assert.equal(s.ends[0]?.how, 'max_length');

  const h = scene();
  h.rec.start();
  h.rec.hangup();
  assert.deepEqual(h.ends, [{ how: 'hangup', durationMs: 0 }]);
  h.greetingEnds();
  assert.equal(h.listening(), false);
});
