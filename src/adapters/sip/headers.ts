// Structured parsing of the header fields a SIP element needs on every message (RFC 3261 20, ABNF
// in 25.1): Via, From/To/Contact (name-addr), CSeq, Call-ID, Content-Length, Max-Forwards.
// Each takes one unfolded header value and returns Parsed, never throws.
import { parseUri, type Uri } from './uri.js';
import {
  type Parsed,
  parsed,
  malformed,
  ALNUM,
  TOKEN,
  WORD,
  charClass,
  isAll,
  isWsp,
  parseDecimal,
  parseParams,
  scanClass,
  scanQuoted,
  skipWsp,
  splitList,
  trimWsp,
  unquote,
} from './syntax.js';

export { canonicalHeaderName, sameHeaderName } from './header-names.js';

/** One Via field value (a hop). */
export interface Via {
  /** Uppercased protocol name, normally "SIP". */
  protocol: string;
  version: string;
  /** Uppercased transport: UDP, TCP, TLS, SCTP, WS, WSS or an extension. */
  transport: string;
  /** sent-by host as written; an IPv6 reference keeps its brackets. */
  host: string;
  port: number | null;
  /** branch, received, rport, maddr, ttl and extensions; lowercased names, null when valueless. */
  params: Map<string, string | null>;
}

/** A name-addr or addr-spec with its header parameters (From, To, Contact, Route and the like). */
export interface NameAddr {
  /** Unquoted display name, or null when there is none. */
  displayName: string | null;
  uri: Uri;
  /** Header parameters (tag, q, expires...), lowercased names; quoted values keep their quotes. */
  params: Map<string, string | null>;
}

/** A CSeq value. */
export interface CSeq {
  seq: number;
  method: string;
}

/** The RFC 3261 branch magic cookie. */
export const BRANCH_COOKIE = 'z9hG4bK';

const MAX_UINT32 = 0xffffffff;
const DIGIT = charClass('0123456789');
// '_' is not in RFC 3261 hostnames but appears in real deployments.
const HOST = charClass(ALNUM + '.-_');

/**
 * True when a branch carries an RFC 3261 transaction id: the magic cookie plus something more
 * (RFC 4475 badbranch sends the bare cookie).
 */
export function isRfc3261Branch(branch: string | null | undefined): boolean {
  return (
    typeof branch === 'string' && branch.length > BRANCH_COOKIE.length && branch.startsWith(BRANCH_COOKIE)
  );
}

/**
 * Parses the via-parms of one Via header value (a comma-separated list).
 * @example parseVia('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9;rport')
 */
export function parseVia(value: string): Parsed<Via[]> {
  const out: Via[] = [];
  for (const part of splitList(value)) {
    const via = parseViaParm(part);
    if (!via.ok) return via;
    out.push(via.value);
  }
  return parsed(out);
}

function parseViaParm(s: string): Parsed<Via> {
  const end = s.length;
  if (end === 0) return malformed('empty Via value');
  // sent-protocol = protocol-name SLASH protocol-version SLASH transport, SLASH allowing LWS around it.
  const fields: string[] = [];
  let i = 0;
  for (let k = 0; k < 3; k++) {
    if (k > 0) {
      i = skipWsp(s, i, end);
      if (s.charCodeAt(i) !== 47) return malformed('malformed Via sent-protocol');
      i = skipWsp(s, i + 1, end);
    }
    const tokenEnd = scanClass(s, i, TOKEN, end);
    if (tokenEnd === i) return malformed('malformed Via sent-protocol');
    fields.push(s.slice(i, tokenEnd));
    i = tokenEnd;
  }
  const hostStart = skipWsp(s, i, end);
  if (hostStart === i) return malformed('Via lacks whitespace before sent-by');
  i = hostStart;
  let hostEnd: number;
  if (s.charCodeAt(i) === 91) {
    hostEnd = s.indexOf(']', i) + 1;
    if (hostEnd === 0) return malformed('unterminated IPv6 reference in Via');
  } else hostEnd = scanClass(s, i, HOST, end);
  if (hostEnd === i) return malformed('Via lacks sent-by host');
  const host = s.slice(i, hostEnd);
  i = skipWsp(s, hostEnd, end);
  let port: number | null = null;
  if (s.charCodeAt(i) === 58) {
    i = skipWsp(s, i + 1, end);
    const portEnd = scanClass(s, i, DIGIT, end);
    const n = parseDecimal(s.slice(i, portEnd), 65535);
    if (n === undefined) return malformed('invalid Via port');
    port = n;
    i = portEnd;
  }
  const params = parseParams(s, i);
  if (!params.ok) return params;
  const [protocol, version, transport] = fields as [string, string, string];
  return parsed({
    protocol: protocol.toUpperCase(),
    version,
    transport: transport.toUpperCase(),
    host,
    port,
    params: params.value,
  });
}

/**
 * Parses a single name-addr or addr-spec with header parameters, as in From and To.
 * @example parseNameAddr('"Alice" <sip:alice@example.com>;tag=1928301774')
 */
export function parseNameAddr(value: string): Parsed<NameAddr> {
  const s = value;
  const end = s.length;
  let i = skipWsp(s, 0, end);
  let displayName: string | null = null;
  let uriStart: number;
  let uriEnd: number;
  let angle: boolean;
  if (s.charCodeAt(i) === 34) {
    const close = scanQuoted(s, i, end);
    if (close < 0) return malformed('unterminated quoted display name');
    displayName = unquote(s, i, close);
    i = skipWsp(s, close, end);
    if (s.charCodeAt(i) !== 60) return malformed('quoted display name not followed by <');
    angle = true;
  } else {
    // Either `token *(LWS token) <uri>` or a bare addr-spec: look past tokens and spaces for '<'.
    let j = i;
    for (;;) {
      const next = scanClass(s, j, TOKEN, end);
      const after = skipWsp(s, next, end);
      if (after === j) break;
      j = after;
    }
    angle = s.charCodeAt(j) === 60;
    if (angle && j > i) displayName = trimWsp(s, i, j);
    i = j;
    if (!angle) {
      // The display name scan stopped at the scheme's colon (or on garbage): rescan as addr-spec.
      i = skipWsp(s, 0, end);
    }
  }
  if (angle) {
    uriStart = i + 1;
    uriEnd = s.indexOf('>', uriStart);
    if (uriEnd < 0) return malformed('unterminated <');
    i = uriEnd + 1;
  } else {
    // In an addr-spec the first ';' starts header parameters, so a URI holding ';', '?' or ','
    // must be in angle brackets (RFC 3261 20.10; RFC 4475 regbadct).
    uriStart = i;
    uriEnd = i;
    while (uriEnd < end) {
      const c = s.charCodeAt(uriEnd);
      if (c === 59 || isWsp(c)) break;
      if (c === 63 || c === 44) {
        return malformed(
          s.indexOf('<', uriEnd) >= 0
            ? 'display name must be tokens or a quoted string'
            : 'a URI with "?" or "," must be enclosed in <>',
        );
      }
      uriEnd++;
    }
    i = uriEnd;
  }
  const uri = parseUri(s.slice(uriStart, uriEnd));
  if (!uri.ok) return uri;
  const params = parseParams(s, i);
  if (!params.ok) return params;
  return parsed({ displayName, uri: uri.value, params: params.value });
}

/** Parses a comma-separated list of name-addrs (Contact, Route, Record-Route). */
export function parseNameAddrList(value: string): Parsed<NameAddr[]> {
  const out: NameAddr[] = [];
  for (const part of splitList(value)) {
    if (part === '') return malformed('empty list element');
    const item = parseNameAddr(part);
    if (!item.ok) return item;
    out.push(item.value);
  }
  return parsed(out);
}

/** Parses a Contact value: `*` (only in REGISTER) or a list of name-addrs. */
export function parseContact(value: string): Parsed<NameAddr[] | '*'> {
  if (trimWsp(value) === '*') return parsed('*');
  return parseNameAddrList(value);
}

/**
 * Parses a CSeq value; the number must fit 32 bits unsigned (RFC 4475 scalar02).
 * @example parseCSeq('314159 INVITE') // { seq: 314159, method: 'INVITE' }
 */
export function parseCSeq(value: string): Parsed<CSeq> {
  const s = trimWsp(value);
  const digitsEnd = scanClass(s, 0, DIGIT);
  const seq = parseDecimal(s.slice(0, digitsEnd), MAX_UINT32);
  if (seq === undefined) return malformed('CSeq number missing or over 2^32-1');
  const methodStart = skipWsp(s, digitsEnd);
  if (methodStart === digitsEnd) return malformed('CSeq lacks a method');
  const method = s.slice(methodStart);
  if (!isAll(method, TOKEN)) return malformed('invalid CSeq method');
  return parsed({ seq, method });
}

/** Checks a Call-ID (`word [ "@" word ]`) and returns it trimmed. */
export function parseCallId(value: string): Parsed<string> {
  const s = trimWsp(value);
  const at = s.indexOf('@');
  const ok = at < 0 ? isAll(s, WORD) : isAll(s, WORD, 0, at) && isAll(s, WORD, at + 1);
  return ok ? parsed(s) : malformed('invalid Call-ID');
}

/** Parses Content-Length: 1*DIGIT (RFC 4475 ncl sends a negative one). */
export function parseContentLength(value: string): Parsed<number> {
  const n = parseDecimal(trimWsp(value), 0x7fffffff);
  return n === undefined ? malformed('invalid Content-Length') : parsed(n);
}

/** Parses Max-Forwards: 1*DIGIT within 0..255 (RFC 3261 20.22). */
export function parseMaxForwards(value: string): Parsed<number> {
  const n = parseDecimal(trimWsp(value), 255);
  return n === undefined ? malformed('Max-Forwards is not an integer in 0..255') : parsed(n);
}

/** The lowercased `type/subtype` of a Content-Type or Accept element, without parameters. */
export function mediaTypeOf(value: string): string {
  const semi = value.indexOf(';');
  return trimWsp(value, 0, semi < 0 ? value.length : semi).toLowerCase();
}
