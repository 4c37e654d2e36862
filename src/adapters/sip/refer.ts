// Reading a REFER's Refer-To (RFC 3515 2.1): the user part of its SIP URI names where to transfer.
import { isSipUri, parseUri } from './uri.js';

/**
 * The user part of a Refer-To value (`<sip:Billing@realm>`, `sip:bob@realm;transport=udp`,
 * `<tel:+12025550143>`), escapes decoded; undefined when there is none to read.
 * @example referTarget('<sip:bob@hotline.test>') // 'bob'
 */
export function referTarget(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const open = trimmed.indexOf('<');
  const text = open >= 0 ? trimmed.slice(open + 1, trimmed.indexOf('>', open)) : trimmed.split(';')[0]!;
  if (/^tel:/i.test(text)) {
    const number = text.slice(4).split(';')[0]!;
    return number === '' ? undefined : number;
  }
  const parsed = parseUri(text);
  if (!parsed.ok || !isSipUri(parsed.value) || !parsed.value.user) return undefined;
  return parsed.value.user;
}
