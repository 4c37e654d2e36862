// The voice settings that need more than a plain env-to-path copy: a port range, a flow read from
// a file, and checks across fields once defaults are in.
import { readFileSync } from 'node:fs';
import { assertFlow } from '../domain/ivr/index.js';
import { DomainError } from '../domain/errors.js';
import { sourceProblem } from '../adapters/sip/admission.js';
import type { Config } from './schema.js';

type Env = Record<string, string | undefined>;

function sipSection(raw: Record<string, unknown>): Record<string, unknown> {
  const sip = raw.sip;
  if (typeof sip === 'object' && sip !== null && !Array.isArray(sip)) return sip as Record<string, unknown>;
  const fresh: Record<string, unknown> = {};
  raw.sip = fresh;
  return fresh;
}

/** HOTLINE_RTP_PORTS=min-max and HOTLINE_IVR_FLOW_FILE into raw.sip. */
export function applySipEnv(raw: Record<string, unknown>, env: Env): void {
  const ports = env.HOTLINE_RTP_PORTS;
  if (ports !== undefined && ports !== '') {
    const m = /^(\d+)-(\d+)$/.exec(ports.trim());
    if (!m) throw new DomainError('CONFIG_INVALID', `HOTLINE_RTP_PORTS: expected min-max, got "${ports}"`);
    const sip = sipSection(raw);
    sip.rtpPortMin = Number(m[1]);
    sip.rtpPortMax = Number(m[2]);
  }
  const file = env.HOTLINE_IVR_FLOW_FILE;
  if (file !== undefined && file !== '') {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new DomainError(
        'CONFIG_INVALID',
        `HOTLINE_IVR_FLOW_FILE: cannot read ${file}: ${(e as Error).message}`,
      );
    }
    sipSection(raw).defaultFlow = doc;
  }
}

/**
 * Cross-field checks of the sip section: a usable port range and, when set, a valid fallback flow.
 * The flow may be missing with SIP on: dialed numbers then take their flows from the database.
 */
export function checkSip(config: Config): void {
  const sip = config.sip;
  if (sip.rtpPortMin > sip.rtpPortMax) {
    throw new DomainError('CONFIG_INVALID', 'invalid configuration:\n  /sip: rtpPortMin is above rtpPortMax');
  }
  const problems: string[] = [];
  sip.trunks.forEach((t, i) => {
    t.sources.forEach((source, j) => {
      const problem = sourceProblem(source);
      if (problem) problems.push(`/sip/trunks/${i}/sources/${j}: "${source}" is ${problem}`);
    });
    t.dids.forEach((did, j) => {
      if (did !== '*' && !/^\+?[\d\s().-]*\d[\d\s().-]*$/.test(did.trim()))
        problems.push(`/sip/trunks/${i}/dids/${j}: "${did}" is not a number or "*"`);
    });
    if (t.registerExpires > 0 && (t.outboundProxy === undefined || t.username === undefined)) {
      problems.push(`/sip/trunks/${i}: registerExpires needs outboundProxy and username`);
    }
    if (
      t.outboundProxy !== undefined &&
      !/^[^\s:/]+(:\d{1,5})?$|^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(t.outboundProxy)
    ) {
      problems.push(`/sip/trunks/${i}/outboundProxy: expected host[:port]`);
    }
  });
  if (new Set(sip.trunks.map((t) => t.name)).size !== sip.trunks.length) {
    problems.push('/sip/trunks: trunk names must be unique');
  }
  if (problems.length > 0) {
    throw new DomainError('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  if (sip.defaultFlow !== null) {
    try {
      assertFlow(sip.defaultFlow);
    } catch (e) {
      throw new DomainError(
        'CONFIG_INVALID',
        `invalid configuration:\n  /sip/defaultFlow: ${(e as Error).message}`,
      );
    }
  }
}
