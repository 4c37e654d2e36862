/**
 * Mixing 20 ms frames of several legs. Who hears whom is data (a rule per listener), so a
 * conference, a supervisor listening, whispering or barging in are the same mix with different
 * rules. A listener never hears its own audio back, whatever the rules say.
 */
import { SAMPLES_PER_FRAME } from './g711.js';

/** For each listening leg, the legs it hears. */
export type HearingRules = ReadonlyMap<string, readonly string[]>;

/** Everyone hears everyone else (a conference). */
export function conferenceRules(legs: readonly string[]): HearingRules {
  return new Map(legs.map((l) => [l, legs.filter((t) => t !== l)]));
}

/** The roles in a supervised call. */
export interface SupervisedCall {
  caller: string;
  agent: string;
  supervisor: string;
}

/** Supervisor listens silently: caller and agent hear each other, the supervisor hears both. */
export function listenRules(c: SupervisedCall): HearingRules {
  return new Map([
    [c.caller, [c.agent]],
    [c.agent, [c.caller]],
    [c.supervisor, [c.caller, c.agent]],
  ]);
}

/** Supervisor coaches the agent: the agent hears the supervisor, the caller does not. */
export function whisperRules(c: SupervisedCall): HearingRules {
  return new Map([
    [c.caller, [c.agent]],
    [c.agent, [c.caller, c.supervisor]],
    [c.supervisor, [c.caller, c.agent]],
  ]);
}

/** Supervisor joins the call: a three-way conference. */
export function bargeRules(c: SupervisedCall): HearingRules {
  return conferenceRules([c.caller, c.agent, c.supervisor]);
}

/**
 * Mixes one 20 ms tick. `frames` holds each talking leg's frame (missing or short = silence);
 * returns one frame per listener in `rules`, summed and clipped to 16 bits.
 */
export function mixFrames(
  frames: ReadonlyMap<string, Int16Array>,
  rules: HearingRules,
): Map<string, Int16Array> {
  const out = new Map<string, Int16Array>();
  for (const [listener, talkers] of rules) {
    const acc = new Int32Array(SAMPLES_PER_FRAME);
    for (const talker of new Set(talkers)) {
      if (talker === listener) continue;
      const f = frames.get(talker);
      if (!f) continue;
      const n = Math.min(f.length, SAMPLES_PER_FRAME);
      for (let i = 0; i < n; i++) acc[i]! += f[i]!;
    }
    const mixed = new Int16Array(SAMPLES_PER_FRAME);
    for (let i = 0; i < SAMPLES_PER_FRAME; i++) mixed[i] = Math.max(-32768, Math.min(32767, acc[i]!));
    out.set(listener, mixed);
  }
  return out;
}
