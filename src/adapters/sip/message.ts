// SIP messages as plain data: start line, header fields in wire order, body bytes. Structured views
// of a header (Via, CSeq, From...) are computed on demand by the readers below, so that a message
// edited by a B2BUA never carries a stale parsed copy.
import { canonicalHeaderName } from './header-names.js';
import {
  parseCallId,
  parseContact,
  parseCSeq,
  parseMaxForwards,
  parseNameAddr,
  parseVia,
  type CSeq,
  type NameAddr,
  type Via,
} from './headers.js';
import { type Parsed, parsed, malformed, splitList, trimWsp } from './syntax.js';
import { parseUri, type Uri } from './uri.js';

/** One header field line, unfolded; known names in canonical spelling (see canonicalHeaderName). */
export interface SipHeader {
  name: string;
  value: string;
}

interface SipMessageBase {
  /** "SIP/2.0". */
  version: string;
  headers: SipHeader[];
  /** Raw body bytes; may be binary (multipart, S/MIME). */
  body: Buffer;
}

/** A SIP request. */
export interface SipRequest extends SipMessageBase {
  kind: 'request';
  method: string;
  /** Request-URI as written; parse it with requestUri(). */
  uri: string;
}

/** A SIP response. */
export interface SipResponse extends SipMessageBase {
  kind: 'response';
  status: number;
  reason: string;
}

/** A SIP request or response. */
export type SipMessage = SipRequest | SipResponse;

// Parsed messages hold canonical names, so === decides almost every comparison; the slower paths
// serve hand-built messages with other spellings or compact forms.
function matches(header: SipHeader, canonical: string, lower: string): boolean {
  const name = header.name;
  if (name === canonical) return true;
  if (name.length === canonical.length) return name.toLowerCase() === lower;
  return name.length === 1 && canonicalHeaderName(name) === canonical;
}

/**
 * Value of the first header with this name (any case or compact form), or undefined.
 * @example headerValue(msg, 'call-id')
 */
export function headerValue(msg: SipMessage, name: string): string | undefined {
  const canonical = canonicalHeaderName(name);
  const lower = canonical.toLowerCase();
  for (const h of msg.headers) if (matches(h, canonical, lower)) return h.value;
  return undefined;
}

/** Values of every header line with this name, in order. */
export function headerValues(msg: SipMessage, name: string): string[] {
  const canonical = canonicalHeaderName(name);
  const lower = canonical.toLowerCase();
  const out: string[] = [];
  for (const h of msg.headers) if (matches(h, canonical, lower)) out.push(h.value);
  return out;
}

/**
 * Elements of a list-valued header across all its lines, split on commas outside quotes and
 * angle brackets (e.g. Via, Route, Supported, Require, Accept). Empty elements are dropped.
 */
export function headerList(msg: SipMessage, name: string): string[] {
  const out: string[] = [];
  for (const value of headerValues(msg, name)) {
    for (const item of splitList(value)) if (item !== '') out.push(item);
  }
  return out;
}

/** Replaces every line of this header by one line with the value (appended when absent). */
export function setHeader(msg: SipMessage, name: string, value: string): void {
  const canonical = canonicalHeaderName(name);
  const lower = canonical.toLowerCase();
  const at = msg.headers.findIndex((h) => matches(h, canonical, lower));
  msg.headers = msg.headers.filter((h, k) => k === at || !matches(h, canonical, lower));
  if (at < 0) msg.headers.push({ name: canonical, value });
  else msg.headers[at] = { name: canonical, value };
}

/** Removes every line of this header. */
export function removeHeader(msg: SipMessage, name: string): void {
  const canonical = canonicalHeaderName(name);
  const lower = canonical.toLowerCase();
  msg.headers = msg.headers.filter((h) => !matches(h, canonical, lower));
}

function single<T>(msg: SipMessage, name: string, parse: (v: string) => Parsed<T>): Parsed<T> {
  const value = headerValue(msg, name);
  if (value === undefined) return malformed(`missing ${name}`);
  return parse(value);
}

/** All Via hops, topmost first, across every Via line. */
export function readVias(msg: SipMessage): Parsed<Via[]> {
  const out: Via[] = [];
  for (const value of headerValues(msg, 'Via')) {
    const vias = parseVia(value);
    if (!vias.ok) return vias;
    out.push(...vias.value);
  }
  return out.length > 0 ? parsed(out) : malformed('missing Via');
}

/** The topmost Via hop, the one a response is routed by. */
export function readTopVia(msg: SipMessage): Parsed<Via> {
  const value = headerValue(msg, 'Via');
  if (value === undefined) return malformed('missing Via');
  const vias = parseVia(value);
  if (!vias.ok) return vias;
  const top = vias.value[0];
  return top ? parsed(top) : malformed('missing Via');
}

/** The CSeq header. */
export function readCSeq(msg: SipMessage): Parsed<CSeq> {
  return single(msg, 'CSeq', parseCSeq);
}

/** The Call-ID header. */
export function readCallId(msg: SipMessage): Parsed<string> {
  return single(msg, 'Call-ID', parseCallId);
}

/** The From header (tag in params.get('tag')). */
export function readFrom(msg: SipMessage): Parsed<NameAddr> {
  return single(msg, 'From', parseNameAddr);
}

/** The To header (tag in params.get('tag')). */
export function readTo(msg: SipMessage): Parsed<NameAddr> {
  return single(msg, 'To', parseNameAddr);
}

/** Max-Forwards, or undefined when absent (RFC 2543 peers omit it). */
export function readMaxForwards(msg: SipMessage): Parsed<number | undefined> {
  const value = headerValue(msg, 'Max-Forwards');
  return value === undefined ? parsed(undefined) : parseMaxForwards(value);
}

/** Every Contact across all lines; '*' for a REGISTER that removes all bindings. */
export function readContacts(msg: SipMessage): Parsed<NameAddr[] | '*'> {
  const values = headerValues(msg, 'Contact');
  if (values.length === 1 && trimWsp(values[0]!) === '*') return parsed('*');
  const out: NameAddr[] = [];
  for (const value of values) {
    const list = parseContact(value);
    if (!list.ok) return list;
    if (list.value === '*') return malformed('"*" mixed with other Contact values');
    out.push(...list.value);
  }
  return parsed(out);
}

/** The parsed Request-URI. */
export function requestUri(req: SipRequest): Parsed<Uri> {
  return parseUri(req.uri);
}
