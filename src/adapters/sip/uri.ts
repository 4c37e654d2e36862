// SIP and SIPS URIs (RFC 3261 19.1, ABNF in 25.1) and, for every other scheme, the opaque
// absoluteURI form a Request-URI or a name-addr may carry (RFC 4475 unkscm, unksm2).
import { type Parsed, parsed, malformed, inClass, scanClass, charClass, ALNUM } from './syntax.js';

/** A sip: or sips: URI with its escapes decoded. */
export interface SipUri {
  scheme: 'sip' | 'sips';
  user: string | null;
  password: string | null;
  /** As written; an IPv6 reference keeps its brackets. */
  host: string;
  port: number | null;
  /** Lowercased names; null for a parameter without a value (e.g. lr). */
  params: Map<string, string | null>;
  headers: UriHeader[];
}

/** One `name=value` of a SIP URI's `?` header part, decoded. */
export interface UriHeader {
  name: string;
  value: string;
}

/** A URI of any other scheme, kept as written after the colon. */
export interface OpaqueUri {
  /** Lowercased. */
  scheme: string;
  opaque: string;
}

/** Any URI a SIP message can carry. */
export type Uri = SipUri | OpaqueUri;

/** True for sip: and sips: URIs. */
export function isSipUri(uri: Uri): uri is SipUri {
  return uri.scheme === 'sip' || uri.scheme === 'sips';
}

const UNRESERVED = ALNUM + "-_.!~*'()";
const ALPHA = charClass(ALNUM.slice(0, 52));
const ALPHA_NUM = charClass(ALNUM);
const SCHEME = charClass(ALNUM + '+-.');
const USER = charClass(UNRESERVED + '&=+$,;?/');
const PASSWORD = charClass(UNRESERVED + '&=+$,');
// '_' is not in RFC 3261 hostnames but appears in real deployments; accepting it costs nothing.
const HOST = charClass(ALNUM + '.-_');
const PARAM = charClass(UNRESERVED + '[]/:&+$');
const HEADER = charClass(UNRESERVED + '[]/?:+$');
const URIC = charClass(UNRESERVED + ';/?:@&=+$,[]');

/**
 * Parses a URI; sip and sips fully, other schemes as opaque text.
 * @example parseUri('sip:alice@example.com;transport=tcp')
 */
export function parseUri(text: string): Parsed<Uri> {
  const colon = text.indexOf(':');
  if (colon <= 0) return malformed('URI has no scheme');
  if (!inClass(ALPHA, text.charCodeAt(0)) || scanClass(text, 0, SCHEME, colon) !== colon) {
    return malformed('invalid URI scheme');
  }
  const scheme = text.slice(0, colon).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSipBody(text, colon + 1, scheme);
  if (colon + 1 === text.length) return malformed('empty URI');
  if (!validRun(text, colon + 1, text.length, URIC)) return malformed('invalid character in URI');
  return parsed({ scheme, opaque: text.slice(colon + 1) });
}

function parseSipBody(text: string, i: number, scheme: 'sip' | 'sips'): Parsed<SipUri> {
  const end = text.length;
  let user: string | null = null;
  let password: string | null = null;
  // '@' cannot appear unescaped anywhere else in a SIP URI, so the first one ends the userinfo.
  const at = text.indexOf('@', i);
  if (at >= 0) {
    const colon = text.indexOf(':', i);
    const userEnd = colon >= 0 && colon < at ? colon : at;
    if (userEnd === i) return malformed('empty user part');
    if (!validRun(text, i, userEnd, USER)) return malformed('invalid character in user part');
    user = unescapeRun(text, i, userEnd);
    if (userEnd < at) {
      if (!validRun(text, userEnd + 1, at, PASSWORD, true)) return malformed('invalid character in password');
      password = unescapeRun(text, userEnd + 1, at);
    }
    i = at + 1;
  }

  let hostEnd: number;
  if (text.charCodeAt(i) === 91) {
    hostEnd = text.indexOf(']', i);
    if (hostEnd < 0 || !isIpv6Body(text, i + 1, hostEnd)) return malformed('invalid IPv6 reference');
    hostEnd++;
  } else {
    hostEnd = scanClass(text, i, HOST, end);
    if (hostEnd === i || !inClass(ALPHA_NUM, text.charCodeAt(i))) return malformed('invalid host');
  }
  const host = text.slice(i, hostEnd);
  i = hostEnd;

  let port: number | null = null;
  if (text.charCodeAt(i) === 58) {
    let j = i + 1;
    while (j < end && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const digits = j - i - 1;
    const value = Number(text.slice(i + 1, j));
    if (digits === 0 || digits > 5 || value > 65535) return malformed('invalid port');
    port = value;
    i = j;
  }

  const params = new Map<string, string | null>();
  while (text.charCodeAt(i) === 59) {
    const nameEnd = scanEscapable(text, i + 1, end, PARAM);
    if (nameEnd === i + 1) return malformed('empty URI parameter');
    const name = unescapeRun(text, i + 1, nameEnd).toLowerCase();
    let value: string | null = null;
    i = nameEnd;
    if (text.charCodeAt(i) === 61) {
      const valueEnd = scanEscapable(text, i + 1, end, PARAM);
      if (valueEnd === i + 1) return malformed(`URI parameter ${name} has "=" but no value`);
      value = unescapeRun(text, i + 1, valueEnd);
      i = valueEnd;
    }
    if (!params.has(name)) params.set(name, value);
  }

  const headers: UriHeader[] = [];
  if (text.charCodeAt(i) === 63) {
    do {
      const nameEnd = scanEscapable(text, i + 1, end, HEADER);
      if (nameEnd === i + 1 || text.charCodeAt(nameEnd) !== 61) return malformed('invalid URI header');
      const valueEnd = scanEscapable(text, nameEnd + 1, end, HEADER);
      headers.push({
        name: unescapeRun(text, i + 1, nameEnd),
        value: unescapeRun(text, nameEnd + 1, valueEnd),
      });
      i = valueEnd;
    } while (text.charCodeAt(i) === 38);
  }

  if (i !== end) return malformed(`unexpected "${text.charAt(i)}" in SIP URI`);
  return parsed({ scheme, user, password, host, port, params, headers });
}

/** Formats a URI, escaping whatever its part may not hold literally. */
export function formatUri(uri: Uri): string {
  if (!isSipUri(uri)) return `${uri.scheme}:${uri.opaque}`;
  let out = uri.scheme + ':';
  if (uri.user !== null) {
    out += escapeText(uri.user, USER);
    if (uri.password !== null) out += ':' + escapeText(uri.password, PASSWORD);
    out += '@';
  }
  out += uri.host;
  if (uri.port !== null) out += ':' + String(uri.port);
  for (const [name, value] of uri.params) {
    out += ';' + escapeText(name, PARAM);
    if (value !== null) out += '=' + escapeText(value, PARAM);
  }
  for (let k = 0; k < uri.headers.length; k++) {
    const h = uri.headers[k]!;
    out += (k === 0 ? '?' : '&') + escapeText(h.name, HEADER) + '=' + escapeText(h.value, HEADER);
  }
  return out;
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** Index past the run of class characters and well-formed %HH escapes starting at i. */
function scanEscapable(s: string, i: number, end: number, table: Uint8Array): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      if (i + 2 >= end || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return i;
      i += 3;
    } else if (c < 128 && table[c] === 1) i++;
    else return i;
  }
  return i;
}

/** True when s[start, end) is entirely class characters and escapes (and non-empty unless allowEmpty). */
function validRun(s: string, start: number, end: number, table: Uint8Array, allowEmpty = false): boolean {
  return (allowEmpty || end > start) && scanEscapable(s, start, end, table) === end;
}

/** Decodes %HH escapes (as UTF-8, invalid sequences become U+FFFD) in an already validated run. */
function unescapeRun(s: string, start: number, end: number): string {
  const run = s.slice(start, end);
  if (run.indexOf('%') < 0) return run;
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c === 37) {
      bytes.push(parseInt(run.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Escapes every character outside the class (and '%') as UTF-8 %HH. */
function escapeText(text: string, table: Uint8Array): string {
  let plain = true;
  for (let i = 0; i < text.length && plain; i++) {
    const c = text.charCodeAt(i);
    plain = c < 128 && table[c] === 1;
  }
  if (plain) return text;
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c < 128 && table[c] === 1) out += ch;
    else
      for (const b of Buffer.from(ch, 'utf8'))
        out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
  }
  return out;
}

function isIpv6Body(s: string, start: number, end: number): boolean {
  if (end - start < 2) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isHex(c) && c !== 58 && c !== 46) return false;
  }
  return true;
}
