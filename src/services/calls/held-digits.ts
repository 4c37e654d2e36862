/**
 * Digits a caller presses while the call's flow is still being chosen (a database read) must not
 * be lost: this leg keeps them and hands them to the first onDigit listener, after the listener's
 * own set-up has run (the IVR plays its first prompt before it hears the type-ahead).
 */
import type { CallLeg, PlaybackOptions } from './ports.js';

/** The same leg, with digits held until someone listens. */
export function holdDigits(leg: CallLeg): CallLeg {
  const early: string[] = [];
  let listener: ((digit: string) => void) | null = null;
  leg.onDigit((digit) => (listener ? listener(digit) : early.push(digit)));
  return {
    media: leg.media,
    play: (files: string[], options: PlaybackOptions) => leg.play(files, options),
    stopPlayback: () => leg.stopPlayback(),
    onAudio: (fn) => leg.onAudio(fn),
    onHangup: (fn) => leg.onHangup(fn),
    onRemoteHold: (fn) => leg.onRemoteHold(fn),
    get remoteHeld() {
      return leg.remoteHeld;
    },
    hangup: () => leg.hangup(),
    onDigit(fn) {
      listener = fn;
      queueMicrotask(() => {
        for (const digit of early.splice(0)) fn(digit);
      });
    },
  };
}
