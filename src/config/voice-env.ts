// Settings of calls out through a trunk: HOTLINE_CALLER_ID, HOTLINE_DIAL_PLAN (comma-separated
// patterns), HOTLINE_OUTBOUND_TRUNK, HOTLINE_RING_TIMEOUT_SEC, HOTLINE_TRUNK_PING_SEC, and the
// checks across fields once defaults are in (caller IDs are numbers, patterns are valid, the
// outbound trunk exists and has an outbound proxy).
import { DomainError } from '../domain/errors.js';
import { dialPatternProblems } from '../domain/ivr/index.js';
import type { Config } from './schema.js';

type Env = Record<string, string | undefined>;

const CALLER_ID = /^\+?\d{2,20}$/;

function voiceSection(raw: Record<string, unknown>): Record<string, unknown> {
  const v = raw.voice;
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  const fresh: Record<string, unknown> = {};
  raw.voice = fresh;
  return fresh;
}

function integer(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n))
    throw new DomainError('CONFIG_INVALID', `${name}: expected an integer, got "${value}"`);
  return n;
}

/** The HOTLINE_* voice settings into raw.voice. */
export function applyVoiceEnv(raw: Record<string, unknown>, env: Env): void {
  const set = (name: string, key: string, value: (v: string) => unknown): void => {
    const v = env[name];
    if (v !== undefined && v !== '') voiceSection(raw)[key] = value(v);
  };
  set('HOTLINE_CALLER_ID', 'callerId', (v) => v.trim());
  set('HOTLINE_DIAL_PLAN', 'dialPlan', (v) =>
    v
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  );
  set('HOTLINE_OUTBOUND_TRUNK', 'outboundTrunk', (v) => v.trim());
  set('HOTLINE_RING_TIMEOUT_SEC', 'ringTimeoutSec', (v) => integer('HOTLINE_RING_TIMEOUT_SEC', v));
  set('HOTLINE_TRUNK_PING_SEC', 'trunkPingSec', (v) => integer('HOTLINE_TRUNK_PING_SEC', v));
}

/** The trunk outbound calls use: the named one, else the first with an outbound proxy; null if none. */
export function outboundTrunkOf(config: Config): Config['sip']['trunks'][number] | null {
  const trunks = config.sip.trunks;
  const name = config.voice.outboundTrunk;
  if (name !== null) return trunks.find((t) => t.name === name) ?? null;
  return trunks.find((t) => t.outboundProxy !== undefined) ?? null;
}

/** Cross-field checks of the voice section. */
export function checkVoice(config: Config): void {
  const problems: string[] = [];
  const { callerId, dialPlan, outboundTrunk } = config.voice;
  if (callerId !== null && !CALLER_ID.test(callerId)) {
    problems.push(`/voice/callerId: "${callerId}" is not a number (digits with an optional leading "+")`);
  }
  dialPlan.forEach((pattern, i) => {
    for (const p of dialPatternProblems(pattern)) problems.push(`/voice/dialPlan/${i}: "${pattern}": ${p}`);
  });
  config.sip.trunks.forEach((t, i) => {
    if (t.callerId !== undefined && !CALLER_ID.test(t.callerId)) {
      problems.push(`/sip/trunks/${i}/callerId: "${t.callerId}" is not a number`);
    }
  });
  if (outboundTrunk !== null) {
    const trunk = config.sip.trunks.find((t) => t.name === outboundTrunk);
    if (trunk === undefined) problems.push(`/voice/outboundTrunk: no trunk named "${outboundTrunk}"`);
    else if (trunk.outboundProxy === undefined) {
      problems.push(`/voice/outboundTrunk: trunk "${outboundTrunk}" has no outboundProxy`);
    }
  }
  const trunk = outboundTrunkOf(config);
  if (trunk !== null && dialPlan.length > 0 && (trunk.callerId ?? callerId) === null) {
    problems.push(
      `/voice/callerId: calls out through "${trunk.name}" need a caller ID (voice.callerId or the trunk's callerId)`,
    );
  }
  if (problems.length > 0) {
    throw new DomainError('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}
