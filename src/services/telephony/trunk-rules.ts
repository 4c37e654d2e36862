// What makes a SIP trunk's fields valid, for trunks written over the API: addresses and CIDR ranges
// the SIP transport can match, a proxy the dialer can reach, numbers the admission can compare.
import { isIP } from 'node:net';

/** Names go into URLs (/api/trunks/:name) and alarm keys, so they stay plain. */
export const TRUNK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
/** A DID as the admission compares it (digits; a leading '+' is ignored), or '*' for any. */
export const TRUNK_DID = /^(\*|\+?\d{1,20})$/;
/** The calling number sent out through the trunk. */
export const TRUNK_CALLER_ID = /^\+?\d{2,20}$/;
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * A problem with a source entry, or null: an address or a CIDR range with a valid prefix length.
 * @example sourceProblem('10.0.0.0/33') // 'prefix length must be 0-32'
 */
export function sourceProblem(source: string): string | null {
  const [address = '', prefix, ...rest] = source.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return 'not an IP address or CIDR range';
  if (prefix === undefined) return null;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `prefix length must be 0-${max}`;
  return null;
}

/**
 * A problem with an outbound proxy written as host[:port], or null.
 * @example proxyProblem('sip:carrier.example') // 'write host[:port] without "sip:"'
 */
export function proxyProblem(proxy: string): string | null {
  if (/^sips?:/i.test(proxy)) return 'write host[:port] without "sip:"';
  let port: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(proxy);
  if (v6) {
    if (isIP(v6[1]!) !== 6) return 'not an IPv6 address in brackets';
    port = v6[2];
  } else {
    const parts = proxy.split(':');
    if (parts.length > 2) return 'an IPv6 address goes in brackets: [2001:db8::1]:5060';
    const host = parts[0] ?? '';
    port = parts[1];
    if (isIP(host) === 0 && !HOST_NAME.test(host)) return 'not a host name or IP address';
  }
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)) {
    return 'port must be 1-65535';
  }
  return null;
}

/** True for a SIP domain (host name or address). */
export function validDomain(domain: string): boolean {
  return isIP(domain) !== 0 || HOST_NAME.test(domain);
}
