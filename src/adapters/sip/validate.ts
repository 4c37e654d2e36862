// The checks a UAS makes on a well-formed request before handling it (RFC 3261 8.2), in the
// RFC's order, each mapped to the status RFC 4475 expects. Syntax errors never reach this point:
// parseSipMessage refuses them. Responses get the UAC's sanity checks (RFC 3261 8.1.3.3).
import { isRfc3261Branch, mediaTypeOf, BRANCH_COOKIE } from './headers.js';
import {
  headerList,
  headerValue,
  headerValues,
  readCSeq,
  readMaxForwards,
  readTo,
  readTopVia,
  requestUri,
  type SipHeader,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './message.js';

/** Methods this stack can name; others answer 501, known but unsupported ones 405. */
export const KNOWN_METHODS: readonly string[] = [
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'INFO',
  'UPDATE',
  'PRACK',
  'REFER',
  'NOTIFY',
  'SUBSCRIBE',
  'MESSAGE',
  'PUBLISH',
];

/** What the element supports; every field has a default suited to Hotline's softswitch. */
export interface ValidationOptions {
  /** 'uas' (default) processes Max-Forwards 0 normally; 'proxy' answers 483 (RFC 3261 16.3). */
  role?: 'uas' | 'proxy';
  /** Supported methods; default KNOWN_METHODS without PUBLISH. */
  methods?: readonly string[];
  /** Request-URI schemes handled; default sip, sips, tel. */
  uriSchemes?: readonly string[];
  /** Option tags understood in Require (and Proxy-Require for a proxy); default none. */
  extensions?: readonly string[];
  /** Body media types understood; default SDP, multipart/mixed and /alternative, text/plain and DTMF in INFO. */
  bodyTypes?: readonly string[];
}

/** Verdict on a request: handle it, or answer with code (or drop, for an ACK). */
export type RequestVerdict =
  | { ok: true }
  | {
      ok: false;
      code: number;
      reason: string;
      /** ACKs are never answered (RFC 3261 17.2.1). */
      action: 'respond' | 'drop';
      /** Headers the answer must carry: Allow, Unsupported, Accept, Accept-Encoding. */
      headers: SipHeader[];
    };

/** Verdict on a response: process it, or discard it silently. */
export type ResponseVerdict = { ok: true } | { ok: false; reason: string };

const DEFAULT_METHODS = KNOWN_METHODS.filter((m) => m !== 'PUBLISH');
const DEFAULT_SCHEMES = ['sip', 'sips', 'tel'];
const DEFAULT_BODY_TYPES = [
  'application/sdp',
  'multipart/mixed',
  'multipart/alternative',
  'text/plain',
  // DTMF sent as SIP INFO (SipCallLeg.receiveInfo).
  'application/dtmf-relay',
  'application/dtmf',
];
const SINGLE_VALUED = ['To', 'From', 'Call-ID', 'CSeq'];
// RFC 1123 date as RFC 3261 20.17 allows it: GMT only (RFC 4475 baddate). No nested quantifiers.
const SIP_DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Checks a parsed request the way a UAS must before handling it.
 * @example const v = validateRequest(req); if (!v.ok && v.action === 'respond') reply(v.code, v.reason, v.headers);
 */
export function validateRequest(req: SipRequest, options: ValidationOptions = {}): RequestVerdict {
  const reject = (code: number, reason: string, headers: SipHeader[] = []): RequestVerdict => ({
    ok: false,
    code,
    reason,
    action: req.method === 'ACK' ? 'drop' : 'respond',
    headers,
  });

  // Mandatory header fields, each exactly once (RFC 3261 8.1.1; RFC 4475 insuf, multi01).
  const missing = SINGLE_VALUED.filter((name) => headerValue(req, name) === undefined);
  if (headerValue(req, 'Via') === undefined) missing.unshift('Via');
  if (missing.length > 0) return reject(400, `Missing ${missing.join(', ')}`);
  const repeated = [...SINGLE_VALUED, 'Max-Forwards', 'Content-Type'].filter(
    (n) => headerValues(req, n).length > 1,
  );
  if (repeated.length > 0) return reject(400, `Multiple values in ${repeated.join(', ')}`);

  // 8.2.1 method inspection comes before the CSeq cross-check (RFC 4475 mismatch02 prefers 501).
  const methods = options.methods ?? DEFAULT_METHODS;
  if (!methods.includes(req.method)) {
    const allow = [{ name: 'Allow', value: methods.join(', ') }];
    return KNOWN_METHODS.includes(req.method)
      ? reject(405, 'Method Not Allowed', allow)
      : reject(501, 'Not Implemented', allow);
  }
  const cseq = readCSeq(req);
  if (!cseq.ok || cseq.value.method !== req.method)
    return reject(400, 'CSeq method does not match the request');

  // A bare magic cookie promises an RFC 3261 transaction id and gives none (RFC 4475 badbranch):
  // refused statelessly rather than matched as an RFC 2543 transaction.
  const via = readTopVia(req);
  const branch = via.ok ? via.value.params.get('branch') : undefined;
  if (typeof branch === 'string' && branch.startsWith(BRANCH_COOKIE) && !isRfc3261Branch(branch)) {
    return reject(400, 'Via branch lacks a transaction id');
  }
  const date = headerValue(req, 'Date');
  if (date !== undefined && !SIP_DATE.test(date)) return reject(400, 'Malformed Date');

  // 8.2.2.1 To and Request-URI.
  const uri = requestUri(req);
  if (!uri.ok || !(options.uriSchemes ?? DEFAULT_SCHEMES).includes(uri.value.scheme)) {
    return reject(416, 'Unsupported URI Scheme');
  }
  if (req.method === 'REGISTER') {
    // The address-of-record must be a SIP or SIPS URI (RFC 3261 10.2; RFC 4475 unksm2).
    const to = readTo(req);
    if (!to.ok || (to.value.uri.scheme !== 'sip' && to.value.uri.scheme !== 'sips')) {
      return reject(400, 'To of a REGISTER must be a SIP or SIPS URI');
    }
  }
  const maxForwards = readMaxForwards(req);
  if (options.role === 'proxy' && maxForwards.ok && maxForwards.value === 0 && req.method !== 'OPTIONS') {
    // A proxy may answer OPTIONS itself at zero hops; anything else goes no further.
    return reject(483, 'Too Many Hops');
  }

  // 8.2.2.3 Require (ignored on ACK and CANCEL, which cannot be refused for it).
  if (req.method !== 'ACK' && req.method !== 'CANCEL') {
    const known = options.extensions ?? [];
    const required = headerList(req, 'Require');
    if (options.role === 'proxy') required.push(...headerList(req, 'Proxy-Require'));
    const unsupported = required.filter((tag) => !known.includes(tag));
    if (unsupported.length > 0) {
      return reject(420, 'Bad Extension', [{ name: 'Unsupported', value: unsupported.join(', ') }]);
    }
  }

  // 8.2.3 content processing.
  if (req.body.length > 0) {
    const bodyTypes = options.bodyTypes ?? DEFAULT_BODY_TYPES;
    const contentType = headerValue(req, 'Content-Type');
    if (contentType === undefined) return reject(400, 'Missing Content-Type for a message body');
    if (!bodyTypes.includes(mediaTypeOf(contentType))) {
      return reject(415, 'Unsupported Media Type', [{ name: 'Accept', value: bodyTypes.join(', ') }]);
    }
    const encodings = headerList(req, 'Content-Encoding').filter((e) => e.toLowerCase() !== 'identity');
    if (encodings.length > 0) {
      return reject(415, 'Unsupported Media Type', [{ name: 'Accept-Encoding', value: 'identity' }]);
    }
  }

  // An INVITE's answer carries SDP: an Accept without it cannot be satisfied (RFC 4475 sdp01).
  if (req.method === 'INVITE' && headerValue(req, 'Accept') !== undefined) {
    const accepted = headerList(req, 'Accept').map(mediaTypeOf);
    if (!accepted.some((t) => t === 'application/sdp' || t === 'application/*' || t === '*/*')) {
      return reject(406, 'Not Acceptable', [{ name: 'Accept', value: 'application/sdp' }]);
    }
  }
  return { ok: true };
}

/**
 * Checks a parsed response the way a UAC must before matching it to a transaction.
 * @example if (!validateResponse(res).ok) return; // discard silently
 */
export function validateResponse(res: SipResponse): ResponseVerdict {
  // RFC 3261 8.1.3.3: more than one Via means it was not meant for us (RFC 4475 bcast).
  const vias = headerList(res, 'Via').length;
  if (vias !== 1) return { ok: false, reason: vias === 0 ? 'Missing Via' : 'More than one Via' };
  for (const name of SINGLE_VALUED) {
    const n = headerValues(res, name).length;
    if (n !== 1) return { ok: false, reason: n === 0 ? `Missing ${name}` : `Multiple values in ${name}` };
  }
  return { ok: true };
}

/** Runs validateRequest or validateResponse as fits the message. */
export function validateMessage(
  msg: SipMessage,
  options?: ValidationOptions,
): RequestVerdict | ResponseVerdict {
  return msg.kind === 'request' ? validateRequest(msg, options) : validateResponse(msg);
}
