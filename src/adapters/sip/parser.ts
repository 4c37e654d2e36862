// Turns the bytes of one SIP message into a SipMessage (RFC 3261 7 and 25). It never throws: a
// malformed message yields the status code to answer with and, where they could be read, the
// headers a transport needs to build that answer (RFC 3261 8.2.6), or 'drop' when no answer can
// be formed (responses, ACKs, garbage). Semantic checks a UAS makes later live in validate.ts.
import { canonicalHeaderName } from './header-names.js';
import {
  parseCallId,
  parseContact,
  parseContentLength,
  parseCSeq,
  parseMaxForwards,
  parseNameAddr,
  parseVia,
} from './headers.js';
import type { SipHeader, SipMessage } from './message.js';
import { parseStartLine } from './start-line.js';
import { type Parsed, TOKEN, isWsp, scanClass, skipWsp, trimWsp } from './syntax.js';

/** How the bytes arrived: a datagram holds one message; a stream message was cut by Content-Length. */
export type TransportKind = 'datagram' | 'stream';

/** Options of parseSipMessage. */
export interface ParseOptions {
  /** Default 'datagram'. On 'stream' a Content-Length header is mandatory. */
  transport?: TransportKind;
  /** Larger messages are refused with 513. Default DEFAULT_MAX_MESSAGE_SIZE. */
  maxMessageSize?: number;
}

/** Why a message was refused: the SIP status to answer with and a reason phrase for it. */
export interface SipParseError {
  code: number;
  reason: string;
}

/** What could be read of a refused message: enough to address a response to it. */
export interface PartialMessage {
  isRequest: boolean;
  method?: string;
  /** The Via, From, To, Call-ID and CSeq lines that were present, raw, in order. */
  headers: SipHeader[];
}

/** Outcome of parseSipMessage. */
export type ParseResult =
  | { ok: true; message: SipMessage }
  | {
      ok: false;
      error: SipParseError;
      /** 'respond' when a request can be answered with error.code; 'drop' otherwise. */
      action: 'respond' | 'drop';
      partial?: PartialMessage;
    };

/** 64 KiB: about the largest UDP payload, and the default bound for a message over a stream. */
export const DEFAULT_MAX_MESSAGE_SIZE = 65536;

const RESPONSE_HEADERS = new Set(['Via', 'From', 'To', 'Call-ID', 'CSeq']);

/**
 * Parses one SIP message.
 * @example
 * const r = parseSipMessage(datagram);
 * if (r.ok) handle(r.message); else if (r.action === 'respond') answer(r.error.code, r.partial);
 */
export function parseSipMessage(data: Buffer, options: ParseOptions = {}): ParseResult {
  try {
    return parse(data, options.transport ?? 'datagram', options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE);
  } catch {
    // Unreachable by design (fuzzed); kept so that no input can take a transport down.
    return { ok: false, error: { code: 400, reason: 'Unparseable message' }, action: 'drop' };
  }
}

function bad(reason: string): SipParseError {
  return { code: 400, reason };
}

/** Where the header section of data ends: the empty line, or -1 when there is none. */
function findEmptyLine(data: Buffer, from: number): { headerEnd: number; bodyStart: number } | undefined {
  for (let lineStart = from; ;) {
    const lf = data.indexOf(10, lineStart);
    if (lf < 0) return undefined;
    if (lf === lineStart || (lf === lineStart + 1 && data[lineStart] === 13)) {
      return { headerEnd: lineStart, bodyStart: lf + 1 };
    }
    lineStart = lf + 1;
  }
}

/** Splits header lines, unfolding continuations; the first malformed line yields an error. */
function readHeaderLines(text: string, from: number): { headers: SipHeader[]; error?: SipParseError } {
  const headers: SipHeader[] = [];
  let error: SipParseError | undefined;
  // Next CR at or after the current line: a CR anywhere but before LF is not SIP (quoted-pairs
  // exclude it too), and a tracked position keeps the check linear.
  let cr = text.indexOf('\r', from);
  for (let pos = from; pos < text.length;) {
    let lf = text.indexOf('\n', pos);
    if (lf < 0) lf = text.length;
    const lineEnd = lf > pos && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    if (cr >= 0 && cr < pos) cr = text.indexOf('\r', pos);
    if (cr >= 0 && cr < lineEnd) error ??= bad('Bare CR in a header line');
    if (isWsp(text.charCodeAt(pos))) {
      // Folded continuation (LWS): joins the previous header with a single space.
      const last = headers[headers.length - 1];
      const more = trimWsp(text, pos, lineEnd);
      if (last === undefined) error ??= bad('Continuation line before the first header');
      else if (more !== '') last.value = last.value === '' ? more : `${last.value} ${more}`;
    } else {
      const nameEnd = scanClass(text, pos, TOKEN, lineEnd);
      const colon = skipWsp(text, nameEnd, lineEnd);
      if (nameEnd === pos || colon >= lineEnd || text.charCodeAt(colon) !== 58) {
        error ??= bad('Malformed header line');
      } else {
        headers.push({
          name: canonicalHeaderName(text.slice(pos, nameEnd)),
          value: trimWsp(text, colon + 1, lineEnd),
        });
      }
    }
    pos = lf + 1;
  }
  return error ? { headers, error } : { headers };
}

/** Checks the headers every element relies on; returns the Content-Length or the error. */
function checkCoreHeaders(headers: SipHeader[]): { contentLength?: number; error?: SipParseError } {
  let contentLength: number | undefined;
  for (const h of headers) {
    const checked = checkHeader(h);
    if (checked === undefined) continue;
    if (!checked.ok) return { error: bad(`Malformed ${h.name}: ${checked.reason}`) };
    if (h.name === 'Content-Length') {
      const n = checked.value as number;
      if (contentLength !== undefined && contentLength !== n)
        return { error: bad('Conflicting Content-Length values') };
      contentLength = n;
    }
  }
  return contentLength === undefined ? {} : { contentLength };
}

function parse(data: Buffer, transport: TransportKind, maxSize: number): ParseResult {
  const len = data.length;
  // RFC 3261 7.5: CRLFs before the start line are ignored (keep-alives, stray terminators).
  let start = 0;
  while (start < len && (data[start] === 13 || data[start] === 10)) start++;
  if (start === len) return { ok: false, error: bad('Empty message'), action: 'drop' };

  let error: SipParseError | undefined;
  if (len > maxSize) error = { code: 513, reason: 'Message Too Large' };
  let section = findEmptyLine(data, start);
  if (section === undefined) {
    // Tolerated on datagrams when the last header line is complete (the message simply has no
    // body); a stream framer always delivers the empty line.
    if (transport === 'stream' || data[len - 1] !== 10) error ??= bad('Header section not terminated');
    section = { headerEnd: len, bodyStart: len };
  }

  const text = data.toString('utf8', start, section.headerEnd);
  let nl = text.indexOf('\n');
  if (nl < 0) nl = text.length;
  const first = parseStartLine(text.slice(0, text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
  if (first.kind === 'refused') error ??= { code: first.code, reason: first.reason };
  const lines = readHeaderLines(text, nl + 1);
  error ??= lines.error;
  const headers = lines.headers;

  const core = error === undefined ? checkCoreHeaders(headers) : {};
  error ??= core.error;
  let body = data.subarray(section.bodyStart);
  if (error === undefined) {
    if (core.contentLength === undefined) {
      if (transport === 'stream') error = bad('Content-Length is required on stream transports');
    } else if (core.contentLength > body.length) {
      error = bad('Content-Length larger than the message');
    } else {
      // RFC 3261 18.3: octets past Content-Length in a datagram are discarded (RFC 4475 dblreq).
      body = body.subarray(0, core.contentLength);
    }
  }

  if (error !== undefined || first.kind === 'refused') {
    const isRequest = first.kind === 'refused' ? first.isRequest : first.kind === 'request';
    const method = first.kind === 'response' ? undefined : first.method;
    const partial: PartialMessage = {
      isRequest,
      headers: headers.filter((h) => RESPONSE_HEADERS.has(h.name)),
    };
    if (method !== undefined) partial.method = method;
    const answerable =
      isRequest && method !== undefined && method !== 'ACK' && partial.headers.some((h) => h.name === 'Via');
    return {
      ok: false,
      error: error ?? bad('Malformed start line'),
      action: answerable ? 'respond' : 'drop',
      partial,
    };
  }

  const version = 'SIP/2.0';
  const message: SipMessage =
    first.kind === 'request'
      ? { kind: 'request', method: first.method, uri: first.uri, version, headers, body }
      : { kind: 'response', status: first.status, reason: first.reason, version, headers, body };
  return { ok: true, message };
}

function checkHeader(h: SipHeader): Parsed<unknown> | undefined {
  switch (h.name) {
    case 'Via':
      return parseVia(h.value);
    case 'From':
    case 'To':
      return parseNameAddr(h.value);
    case 'Call-ID':
      return parseCallId(h.value);
    case 'CSeq':
      return parseCSeq(h.value);
    case 'Max-Forwards':
      return parseMaxForwards(h.value);
    case 'Contact':
      return parseContact(h.value);
    case 'Content-Length':
      return parseContentLength(h.value);
    default:
      return undefined;
  }
}
