// One trunk (the configuration's or the console's, as SipTrunks holds it) in the shape each SIP
// part takes: the dialer, the OPTIONS pinger and the registrations.
import type { SipTrunk } from '../../services/telephony/sip-trunks.js';
import type { DialTrunk } from './trunk-dialer.js';
import type { PingedTrunk } from './trunk-health.js';
import { parseHostPort, type OutboundTrunk } from './trunk-registrations.js';

/** The dialer's view of the outbound trunk, or null when none has an outbound proxy. */
export function dialTrunk(t: SipTrunk | null, callerId: string | null): DialTrunk | null {
  if (t?.outboundProxy == null) return null;
  const proxy = parseHostPort(t.outboundProxy);
  return {
    name: t.name,
    target: { protocol: t.transport, ...proxy },
    domain: t.domain ?? proxy.address,
    ...(t.username === null ? {} : { username: t.username }),
    ...(t.password === null ? {} : { password: t.password }),
    callerId: t.callerId ?? callerId ?? 'anonymous',
  };
}

/** The trunks with an outbound proxy, as the OPTIONS pinger takes them. */
export function pingedTrunks(trunks: readonly SipTrunk[]): PingedTrunk[] {
  return trunks.flatMap((t) => {
    if (t.outboundProxy === null) return [];
    const target = { protocol: t.transport, ...parseHostPort(t.outboundProxy) };
    return [{ name: t.name, target, domain: t.domain ?? target.address }];
  });
}

/** A trunk as the registrations take it. */
export function registeredTrunk(t: SipTrunk): OutboundTrunk {
  return {
    name: t.name,
    transport: t.transport,
    registerExpires: t.registerExpires,
    ...(t.outboundProxy === null ? {} : { outboundProxy: t.outboundProxy }),
    ...(t.domain === null ? {} : { domain: t.domain }),
    ...(t.username === null ? {} : { username: t.username }),
    ...(t.password === null ? {} : { password: t.password }),
  };
}
