// Which INVITEs may start a call: with trunks configured, only those from a trunk's source
// addresses to one of its numbers (DIDs). Everything else is refused before any media is opened:
// an unknown source 403, a number the trunk does not carry 404. Without trunks every source is
// admitted (a lab or development set-up; README says so).
import { BlockList, isIP } from 'node:net';

/** The inbound side of a trunk: where its calls come from and which numbers they may dial. */
export interface TrunkAdmissionRule {
  name: string;
  /** IPv4/IPv6 addresses or CIDR ranges ("203.0.113.0/24"). */
  sources: string[];
  /** Dialed numbers (E.164 or short); "*" admits any number from this trunk. */
  dids: string[];
}

/** The verdict on one INVITE. */
export type Admission =
  { ok: true; trunk: string | null } | { ok: false; status: 403 | 404; reason: string; trunk: string | null };

/** Digits only: carriers differ on the leading '+', so "+12025550100" and "12025550100" match. */
function digits(number: string): string {
  return number.replace(/\D/g, '');
}

/** "::ffff:192.0.2.1" (IPv4 on a dual-stack socket) is 192.0.2.1. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Also what the configuration checks sip.trunks sources with. */
export { sourceProblem } from '../../services/telephony/trunk-rules.js';

class TrunkMatcher {
  private readonly sources = new BlockList();
  private readonly anyNumber: boolean;
  private readonly numbers: Set<string>;

  constructor(readonly rule: TrunkAdmissionRule) {
    for (const s of rule.sources) {
      const [address = '', prefix] = s.split('/');
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.sources.addAddress(address, type);
      else this.sources.addSubnet(address, Number(prefix), type);
    }
    this.anyNumber = rule.dids.includes('*');
    this.numbers = new Set(rule.dids.filter((d) => d !== '*').map(digits));
  }

  from(address: string): boolean {
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    return isIP(address) !== 0 && this.sources.check(address, type);
  }

  carries(dnis: string): boolean {
    return this.anyNumber || (dnis !== '' && this.numbers.has(digits(dnis)));
  }
}

/**
 * Admits or refuses new INVITEs by source address and dialed number.
 * @example new InviteAdmission([{ name: 'carrier', sources: ['203.0.113.0/24'], dids: ['+12025550100'] }]).check('203.0.113.7', '12025550100') // { ok: true, trunk: 'carrier' }
 */
export class InviteAdmission {
  private trunks: TrunkMatcher[];

  constructor(rules: readonly TrunkAdmissionRule[]) {
    this.trunks = rules.map((r) => new TrunkMatcher(r));
  }

  /** Takes a new set of trunks (edited in the console); the next INVITE is judged by it. */
  replace(rules: readonly TrunkAdmissionRule[]): void {
    this.trunks = rules.map((r) => new TrunkMatcher(r));
  }

  /** True when no trunk is configured and every source is admitted. */
  get permissive(): boolean {
    return this.trunks.length === 0;
  }

  check(sourceAddress: string, dnis: string): Admission {
    if (this.permissive) return { ok: true, trunk: null };
    const address = plainAddress(sourceAddress);
    const mine = this.trunks.filter((t) => t.from(address));
    if (mine.length === 0) return { ok: false, status: 403, reason: 'Forbidden', trunk: null };
    const carrier = mine.find((t) => t.carries(dnis));
    if (carrier) return { ok: true, trunk: carrier.rule.name };
    return { ok: false, status: 404, reason: 'Not Found', trunk: mine[0]!.rule.name };
  }
}
