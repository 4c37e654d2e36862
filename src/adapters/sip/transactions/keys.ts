// Transaction matching (RFC 3261 17.1.3 and 17.2.3) reduced to map keys. A request with an RFC
// 3261 branch matches on branch, sent-by and method (ACK counting as INVITE); an RFC 2543 request
// (no magic cookie) falls back to Call-ID, CSeq number, From tag, Request-URI and top Via.
import { isRfc3261Branch, type Via } from '../headers.js';
import { readCallId, readCSeq, readFrom, readTopVia, type SipRequest, type SipResponse } from '../message.js';

function sentBy(via: Via): string {
  return `${via.transport} ${via.host.toLowerCase()}:${via.port ?? ''}`;
}

/**
 * The key of the server transaction a request belongs to, or undefined when the headers needed
 * are unreadable. `asMethod` overrides the method: CANCEL looks up its INVITE that way.
 */
export function serverKey(req: SipRequest, asMethod?: string): string | undefined {
  const top = readTopVia(req);
  if (!top.ok) return undefined;
  const method = asMethod ?? (req.method === 'ACK' ? 'INVITE' : req.method);
  const branch = top.value.params.get('branch');
  if (isRfc3261Branch(branch)) return `${branch}|${sentBy(top.value)}|${method}`;
  // RFC 2543: the To tag is left out because the ACK carries the tag of our response while its
  // INVITE had none; the other fields single out the transaction well enough on their own.
  const callId = readCallId(req);
  const cseq = readCSeq(req);
  const from = readFrom(req);
  if (!callId.ok || !cseq.ok || !from.ok) return undefined;
  const fromTag = from.value.params.get('tag') ?? '';
  return `2543|${callId.value}|${cseq.value.seq}|${fromTag}|${req.uri}|${sentBy(top.value)}|${branch ?? ''}|${method}`;
}

/** The key of the client transaction a response belongs to: its top branch and CSeq method. */
export function clientKeyOfResponse(res: SipResponse): string | undefined {
  const top = readTopVia(res);
  const cseq = readCSeq(res);
  if (!top.ok || !cseq.ok) return undefined;
  const branch = top.value.params.get('branch');
  return typeof branch === 'string' ? `${branch}|${cseq.value.method}` : undefined;
}

/** The key of a client transaction for a request this stack sends (its Via carries our branch). */
export function clientKeyOfRequest(req: SipRequest): string | undefined {
  const top = readTopVia(req);
  const branch = top.ok ? top.value.params.get('branch') : undefined;
  return typeof branch === 'string' ? `${branch}|${req.method}` : undefined;
}
