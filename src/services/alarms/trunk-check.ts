// The SIP trunk health check: what the OPTIONS pinger last saw, one alarm key per trunk, so a
// trunk that stops answering raises "SIP trunk unreachable" and clears when it answers again.
import type { TrunkReachability } from '../calls/trunk-ports.js';
import type { HealthCheck } from './checks.js';

/**
 * Each pinged trunk as a check result (trunks not pinged yet report nothing); `source` is read at
 * every round, null while voice is not running.
 */
export function trunkCheck(source: () => { states(): TrunkReachability[] } | null): HealthCheck {
  return {
    run: () =>
      Promise.resolve(
        (source()?.states() ?? [])
          .filter((s) => s.up !== null)
          .map((s) => ({ key: `sip.trunk:${s.trunk}`, ok: s.up === true, detail: s.detail })),
      ),
  };
}
