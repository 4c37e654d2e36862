// The messages the transaction layer writes itself: responses built from a request (RFC 3261
// 8.2.6), the ACK for a non-2xx final response (17.1.1.3), CANCEL (9.1), and the received/rport
// stamp a server puts on the top Via of what it receives (18.2.1, RFC 3581).
import { randomBytes } from 'node:crypto';
import { BRANCH_COOKIE, parseVia } from '../headers.js';
import { headerValue, headerValues, type SipHeader, type SipRequest, type SipResponse } from '../message.js';
import type { PartialMessage } from '../parser.js';
import { splitList } from '../syntax.js';

/** A fresh RFC 3261 branch: the magic cookie and 72 random bits. */
export function newBranch(): string {
  return BRANCH_COOKIE + randomBytes(9).toString('base64url');
}

/** A fresh From/To tag. */
export function newTag(): string {
  return randomBytes(6).toString('hex');
}

/** Standard reason phrases for the codes the stack sends on its own. */
export const REASONS: Readonly<Record<number, string>> = {
  100: 'Trying',
  200: 'OK',
  400: 'Bad Request',
  408: 'Request Timeout',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  487: 'Request Terminated',
  500: 'Server Internal Error',
  503: 'Service Unavailable',
  513: 'Message Too Large',
};

/** Extra content of a response the transaction user builds. */
export interface ResponseParts {
  /** Added to To when the request had none; not on 100 (RFC 3261 8.2.6.2). */
  toTag?: string;
  headers?: SipHeader[];
  body?: Buffer;
}

const TAG_PARAM = /;\s*tag\s*=/i;

function withTag(to: string, tag: string | undefined, status: number): string {
  return tag === undefined || status === 100 || TAG_PARAM.test(to) ? to : `${to};tag=${tag}`;
}

function responseFrom(
  copied: SipHeader[],
  status: number,
  reason: string,
  parts: ResponseParts,
): SipResponse {
  const headers: SipHeader[] = [];
  for (const h of copied) {
    headers.push(h.name === 'To' ? { name: 'To', value: withTag(h.value, parts.toTag, status) } : h);
  }
  if (parts.headers) headers.push(...parts.headers);
  return {
    kind: 'response',
    version: 'SIP/2.0',
    status,
    reason,
    headers,
    body: parts.body ?? Buffer.alloc(0),
  };
}

/**
 * A response to req: Via (all), From, To, Call-ID and CSeq copied, then parts (RFC 3261 8.2.6).
 * @example buildResponse(invite, 486, 'Busy Here', { toTag: newTag() })
 */
export function buildResponse(
  req: SipRequest,
  status: number,
  reason = REASONS[status] ?? '',
  parts: ResponseParts = {},
): SipResponse {
  // 100 Trying also echoes Timestamp (8.2.6.1); harmless on the others and rarely present.
  const copy = new Set(['Via', 'From', 'To', 'Call-ID', 'CSeq', ...(status === 100 ? ['Timestamp'] : [])]);
  return responseFrom(
    req.headers.filter((h) => copy.has(h.name)),
    status,
    reason,
    parts,
  );
}

/** A stateless response to a request the parser refused, from the header lines it could read. */
export function responseToPartial(partial: PartialMessage, status: number, reason: string): SipResponse {
  return responseFrom(partial.headers, status, reason, { toTag: newTag() });
}

/**
 * The ACK for a non-2xx final response to invite (RFC 3261 17.1.1.3): same Request-URI, top Via,
 * Call-ID, From, CSeq number and Route as the INVITE, To from the response.
 */
export function buildAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers: SipHeader[] = [];
  const topVia = firstViaElement(invite);
  if (topVia !== undefined) headers.push({ name: 'Via', value: topVia });
  for (const h of invite.headers) {
    if (h.name === 'From' || h.name === 'Call-ID' || h.name === 'Route' || h.name === 'Max-Forwards') {
      headers.push(h);
    } else if (h.name === 'To') {
      headers.push({ name: 'To', value: headerValue(response, 'To') ?? h.value });
    } else if (h.name === 'CSeq') {
      headers.push({ name: 'CSeq', value: `${cseqNumber(h.value)} ACK` });
    }
  }
  return {
    kind: 'request',
    method: 'ACK',
    uri: invite.uri,
    version: 'SIP/2.0',
    headers,
    body: Buffer.alloc(0),
  };
}

/**
 * The CANCEL for invite (RFC 3261 9.1): same Request-URI, top Via (so the same branch), Call-ID,
 * To, From, CSeq number and Route; no body.
 */
export function buildCancel(invite: SipRequest): SipRequest {
  const headers: SipHeader[] = [];
  const topVia = firstViaElement(invite);
  if (topVia !== undefined) headers.push({ name: 'Via', value: topVia });
  for (const h of invite.headers) {
    if (['From', 'To', 'Call-ID', 'Route', 'Max-Forwards'].includes(h.name)) headers.push(h);
    else if (h.name === 'CSeq') headers.push({ name: 'CSeq', value: `${cseqNumber(h.value)} CANCEL` });
  }
  return {
    kind: 'request',
    method: 'CANCEL',
    uri: invite.uri,
    version: 'SIP/2.0',
    headers,
    body: Buffer.alloc(0),
  };
}

function cseqNumber(value: string): string {
  return value.trim().split(/\s+/)[0] ?? '0';
}

function firstViaElement(req: SipRequest): string | undefined {
  const first = headerValues(req, 'Via')[0];
  return first === undefined ? undefined : splitList(first)[0];
}

/**
 * Stamps the top Via of a received request with `received` when the packet came from another
 * address than sent-by (RFC 3261 18.2.1) and fills an empty `rport` with the source port (RFC
 * 3581), so that responses find their way back through NAT. Returns false when there is no Via.
 */
export function stampVia(req: SipRequest, address: string, port: number): boolean {
  const at = req.headers.findIndex((h) => h.name === 'Via');
  const line = req.headers[at];
  if (line === undefined) return false;
  const elements = splitList(line.value);
  const top = elements[0];
  const via = top === undefined ? undefined : parseVia(top);
  if (top === undefined || via === undefined || !via.ok || via.value[0] === undefined) return false;
  const params = via.value[0].params;
  let stamped = top;
  const wantsRport = params.has('rport') && params.get('rport') === null;
  if (wantsRport) stamped = stamped.replace(/;\s*rport(?=\s*(;|$))/i, `;rport=${port}`);
  if (!params.has('received') && (via.value[0].host !== address || wantsRport)) {
    stamped += `;received=${address}`;
  }
  if (stamped !== top) {
    elements[0] = stamped;
    req.headers[at] = { name: line.name, value: elements.join(', ') };
  }
  return true;
}
