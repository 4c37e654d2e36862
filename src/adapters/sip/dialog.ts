// Dialog state (RFC 3261 12): the id (Call-ID, local and remote tag), the route set from
// Record-Route, the remote target from Contact and both CSeq counters, for either side of a call
// leg; and what depends on it: building in-dialog requests and the ACK for a 2xx, checking and
// matching requests that arrive within a dialog.
import type { NameAddr } from './headers.js';
import {
  headerList,
  headerValue,
  readCallId,
  readContacts,
  readCSeq,
  readFrom,
  readTo,
  type SipHeader,
  type SipRequest,
  type SipResponse,
} from './message.js';
import type { Parsed } from './syntax.js';
import type { SipProtocol, SipSource, SipTarget } from './transport.js';
import { formatUri, isSipUri, parseUri } from './uri.js';

/** Which side of the call set-up this leg was. */
export type DialogRole = 'uac' | 'uas';

/** One dialog; mutable: counters, remote target and state move as requests flow. */
export interface Dialog {
  role: DialogRole;
  callId: string;
  localTag: string;
  remoteTag: string;
  /** Our party as in From of our requests, without tag (e.g. `<sip:agent@host>`). */
  localUri: string;
  /** The peer as in To of our requests, without tag. */
  remoteUri: string;
  /** Our Contact URI, sent on re-INVITEs and target refreshes. */
  localContact: string;
  /** CSeq of the last request we sent in the dialog (0: none yet, for a UAS). */
  localSeq: number;
  /** CSeq of the last request the peer sent; undefined until one came (a UAC's dialog). */
  remoteSeq: number | undefined;
  /** Where in-dialog requests are addressed: the peer's Contact URI. */
  remoteTarget: string;
  /** Route header values for our requests, in the order they go on the wire. */
  routeSet: string[];
  /** Where the dialog-creating request came from (a UAS): reaches a phone behind NAT. */
  source?: SipSource;
  state: 'confirmed' | 'terminated';
}

/** The key of a dialog in a table: Call-ID with both tags. */
export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\n${localTag}\n${remoteTag}`;
}

/** The key of the dialog an incoming request belongs to, or undefined when it has no To tag. */
export function incomingDialogKey(req: SipRequest): string | undefined {
  const callId = readCallId(req);
  const from = readFrom(req);
  const to = readTo(req);
  if (!callId.ok || !from.ok || !to.ok) return undefined;
  const local = tagOf(to.value);
  if (local === undefined) return undefined;
  return dialogKey(callId.value, local, tagOf(from.value) ?? '');
}

/** The tag parameter of a From or To, if any. */
export function tagOf(party: NameAddr): string | undefined {
  const tag = party.params.get('tag');
  return typeof tag === 'string' && tag !== '' ? tag : undefined;
}

/**
 * The UAS dialog an INVITE creates when answered with a 2xx carrying localTag (RFC 3261 12.1.1).
 * @example const d = dialogFromInvite(tx.request, tx.toTag, 'sip:hotline@192.0.2.1:5060', tx.source)
 */
export function dialogFromInvite(
  invite: SipRequest,
  localTag: string,
  localContact: string,
  source?: SipSource,
): Parsed<Dialog> {
  const callId = readCallId(invite);
  const from = readFrom(invite);
  const cseq = readCSeq(invite);
  const target = contactUri(invite);
  if (!callId.ok || !from.ok || !cseq.ok) return { ok: false, reason: 'INVITE lacks Call-ID, From or CSeq' };
  if (!target.ok) return target;
  const remoteTag = tagOf(from.value);
  if (remoteTag === undefined) return { ok: false, reason: 'INVITE has no From tag' };
  const dialog: Dialog = {
    role: 'uas',
    callId: callId.value,
    localTag,
    remoteTag,
    localUri: withoutTag(headerValue(invite, 'To') ?? ''),
    remoteUri: withoutTag(headerValue(invite, 'From') ?? ''),
    localContact,
    localSeq: 0,
    remoteSeq: cseq.value.seq,
    remoteTarget: target.value,
    routeSet: headerList(invite, 'Record-Route'),
    state: 'confirmed',
  };
  if (source !== undefined) dialog.source = { ...source };
  return { ok: true, value: dialog };
}

/** The UAC dialog a 2xx to our INVITE creates (RFC 3261 12.1.2): routes reversed, target from Contact. */
export function dialogFromResponse(
  invite: SipRequest,
  response: SipResponse,
  localContact: string,
): Parsed<Dialog> {
  const callId = readCallId(invite);
  const from = readFrom(invite);
  const to = readTo(response);
  const cseq = readCSeq(invite);
  const target = contactUri(response);
  if (!callId.ok || !from.ok || !to.ok || !cseq.ok)
    return { ok: false, reason: 'missing Call-ID, From, To or CSeq' };
  if (!target.ok) return target;
  const localTag = tagOf(from.value);
  const remoteTag = tagOf(to.value);
  if (localTag === undefined || remoteTag === undefined) return { ok: false, reason: 'a tag is missing' };
  return {
    ok: true,
    value: {
      role: 'uac',
      callId: callId.value,
      localTag,
      remoteTag,
      localUri: withoutTag(headerValue(invite, 'From') ?? ''),
      remoteUri: withoutTag(headerValue(response, 'To') ?? ''),
      localContact,
      localSeq: cseq.value.seq,
      remoteSeq: undefined,
      remoteTarget: target.value,
      routeSet: headerList(response, 'Record-Route').reverse(),
      state: 'confirmed',
    },
  };
}

/** The key of a dialog, for tables. */
export function keyOf(dialog: Dialog): string {
  return dialogKey(dialog.callId, dialog.localTag, dialog.remoteTag);
}

/** Extra content of an in-dialog request. */
export interface RequestParts {
  headers?: SipHeader[];
  body?: Buffer;
  /** Content-Type of body; default application/sdp when there is one. */
  contentType?: string;
}

/**
 * A request within the dialog (RFC 3261 12.2.1.1): next local CSeq, Request-URI and Route from
 * the route set and remote target (loose or strict routing). Mutates dialog.localSeq.
 * @example endpoint.request(buildInDialogRequest(d, 'BYE'), nextHop(d))
 */
export function buildInDialogRequest(dialog: Dialog, method: string, parts: RequestParts = {}): SipRequest {
  dialog.localSeq += 1;
  return requestAt(dialog, method, dialog.localSeq, parts);
}

/** The ACK for a 2xx to the INVITE with CSeq inviteSeq (RFC 3261 13.2.2.4); body: a late SDP answer. */
export function buildAckFor2xx(dialog: Dialog, inviteSeq: number, parts: RequestParts = {}): SipRequest {
  return requestAt(dialog, 'ACK', inviteSeq, parts);
}

function requestAt(dialog: Dialog, method: string, seq: number, parts: RequestParts): SipRequest {
  const [first, ...rest] = dialog.routeSet;
  let uri = dialog.remoteTarget;
  let routes = dialog.routeSet;
  // A first route without lr is a strict router (RFC 2543): it takes the Request-URI's place.
  if (first !== undefined && !isLooseRoute(first)) {
    uri = routeUri(first);
    routes = [...rest, `<${dialog.remoteTarget}>`];
  }
  const headers: SipHeader[] = [
    ...routes.map((value) => ({ name: 'Route', value })),
    { name: 'From', value: `${dialog.localUri};tag=${dialog.localTag}` },
    { name: 'To', value: `${dialog.remoteUri};tag=${dialog.remoteTag}` },
    { name: 'Call-ID', value: dialog.callId },
    { name: 'CSeq', value: `${seq} ${method}` },
  ];
  // Target-refresh requests carry our Contact (RFC 3261 12.2.1.1); harmless on the others but omitted.
  if (method === 'INVITE' || method === 'UPDATE')
    headers.push({ name: 'Contact', value: `<${dialog.localContact}>` });
  const body = parts.body ?? Buffer.alloc(0);
  if (body.length > 0) headers.push({ name: 'Content-Type', value: parts.contentType ?? 'application/sdp' });
  if (parts.headers) headers.push(...parts.headers);
  return { kind: 'request', method, uri, version: 'SIP/2.0', headers, body };
}

/** What receiving an in-dialog request says: go on, or answer with this error. */
export type InDialogVerdict = { ok: true } | { ok: false; status: number; reason: string };

/**
 * Checks a request that matched the dialog (RFC 3261 12.2.2) and updates it: a CSeq not above the
 * last one is refused with 500; re-INVITE and UPDATE refresh the remote target.
 */
export function receiveInDialog(dialog: Dialog, req: SipRequest): InDialogVerdict {
  if (req.method === 'ACK' || req.method === 'CANCEL') return { ok: true };
  const cseq = readCSeq(req);
  if (!cseq.ok) return { ok: false, status: 400, reason: 'Bad CSeq' };
  if (dialog.remoteSeq !== undefined && cseq.value.seq <= dialog.remoteSeq) {
    return { ok: false, status: 500, reason: 'CSeq Out Of Order' };
  }
  dialog.remoteSeq = cseq.value.seq;
  if (req.method === 'INVITE' || req.method === 'UPDATE') {
    const target = contactUri(req);
    if (target.ok) dialog.remoteTarget = target.value;
  }
  if (req.method === 'BYE') dialog.state = 'terminated';
  return { ok: true };
}

/**
 * Where our in-dialog requests go: the first route, else the address the peer's requests came from
 * (its Contact may be a private address behind NAT), else the remote target.
 */
export function nextHop(dialog: Dialog): SipTarget | undefined {
  const first = dialog.routeSet[0];
  if (first === undefined && dialog.source !== undefined) return { ...dialog.source };
  const uri = parseUri(first === undefined ? dialog.remoteTarget : routeUri(first));
  if (!uri.ok || !isSipUri(uri.value)) return undefined;
  const transport = uri.value.params.get('transport')?.toLowerCase();
  const protocol: SipProtocol = transport === 'tcp' ? 'tcp' : 'udp';
  const host = uri.value.host.replace(/^\[(.*)\]$/, '$1');
  return { protocol, address: host, port: uri.value.port ?? 5060 };
}

/**
 * Dialogs by id, for matching the requests and ACKs that arrive within them.
 * @example const d = dialogs.match(tx.request); if (d) receiveInDialog(d, tx.request)
 */
export class DialogTable {
  private readonly byKey = new Map<string, Dialog>();

  /** Dialogs held. */
  get size(): number {
    return this.byKey.size;
  }

  add(dialog: Dialog): void {
    this.byKey.set(keyOf(dialog), dialog);
  }

  remove(dialog: Dialog): void {
    this.byKey.delete(keyOf(dialog));
  }

  /** The dialog an incoming request (BYE, re-INVITE, INFO, ACK...) belongs to. */
  match(req: SipRequest): Dialog | undefined {
    const key = incomingDialogKey(req);
    return key === undefined ? undefined : this.byKey.get(key);
  }
}

function contactUri(msg: SipRequest | SipResponse): Parsed<string> {
  const contacts = readContacts(msg);
  if (!contacts.ok) return contacts;
  const first = contacts.value === '*' ? undefined : contacts.value[0];
  return first === undefined
    ? { ok: false, reason: 'no Contact' }
    : { ok: true, value: formatUri(first.uri) };
}

/** The header value with its tag parameter removed. */
function withoutTag(value: string): string {
  const close = value.lastIndexOf('>');
  const head = close < 0 ? '' : value.slice(0, close + 1);
  const params = close < 0 ? value : value.slice(close + 1);
  return (head + params.replace(/;\s*tag\s*=\s*[^;\s]*/i, '')).trim();
}

function routeUri(route: string): string {
  const match = /<([^>]*)>/.exec(route);
  return match?.[1] ?? route.trim();
}

function isLooseRoute(route: string): boolean {
  const uri = parseUri(routeUri(route));
  return uri.ok && isSipUri(uri.value) && uri.value.params.has('lr');
}
