// Calls to external numbers through a carrier's trunk (the TrunkDialer port): an INVITE to
// sip:<number>@<carrier domain> sent to the trunk's outbound proxy, From our caller ID. A 401/407
// is answered once with the trunk's digest credentials (a new transaction, CSeq plus one); 18x are
// "ringing" (early media is not played: the caller keeps hearing what we play); a 2xx is ACKed and
// becomes a CallLeg; a 4xx-6xx a failure with its cause. Giving up (signal, ring timeout) sends
// CANCEL; a 2xx that crosses it is ACKed and at once ended with BYE. BYE and re-INVITE within
// these dialogs are answered here.
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import type { MediaChannel, MediaChannels } from '../../services/calls/ports.js';
import type {
  TrunkCall,
  TrunkDialer,
  TrunkDialOutcome,
  TrunkFailure,
} from '../../services/calls/trunk-ports.js';
import { SipCallLeg } from './call-leg.js';
import { authorize, pickChallenge } from './digest.js';
import {
  buildAckFor2xx,
  buildInDialogRequest,
  DialogTable,
  dialogFromResponse,
  incomingDialogKey,
  keyOf,
  nextHop,
  type Dialog,
} from './dialog.js';
import type { SipEndpoint } from './endpoint.js';
import { headerValues, type SipRequest, type SipResponse } from './message.js';
import { readAudioOffer } from './sdp-audio.js';
import { newTag } from './transactions/messages.js';
import type { ServerTransaction } from './transactions/server-transaction.js';
import type { SipTarget } from './transport.js';
import { localHostToward, offerSdp } from './invite-offer.js';

/** Only these ever reach a Request-URI: the toll-fraud guard's last line. */
const NUMBER = /^\+?\d{2,20}$/;

/** The trunk calls go out through. */
export interface DialTrunk {
  name: string;
  /** The outbound proxy. */
  target: SipTarget;
  /** Host of the Request-URI and of our From (the carrier's domain). */
  domain: string;
  /** Digest credentials for 401/407; without them a challenge fails the call. */
  username?: string;
  password?: string;
  /** The center's number shown to the called party. */
  callerId: string;
}

/**
 * Dials out through one trunk.
 * @example const dialer = new SipTrunkDialer(endpoint, media, trunk); dialer.start();
 */
export class SipTrunkDialer implements TrunkDialer {
  private readonly dialogs = new DialogTable();
  private readonly legs = new Map<string, SipCallLeg>();

  constructor(
    private readonly endpoint: SipEndpoint,
    private readonly media: MediaChannels,
    private trunk: DialTrunk | null,
  ) {}

  /** The trunk new calls go out through (edited in the console); calls under way keep theirs. */
  use(trunk: DialTrunk | null): void {
    this.trunk = trunk;
  }

  /** External legs answered and not yet hung up. */
  get activeCalls(): number {
    return this.legs.size;
  }

  /** Takes the requests within trunk dialogs; attach before the inbound-call handler. */
  start(): void {
    this.endpoint.onRequest((tx) => this.request(tx));
  }

  /** Hangs up every external leg (shutdown). */
  hangupAll(): void {
    for (const leg of [...this.legs.values()]) leg.hangup();
  }

  async dial(
    number: string,
    options: { signal: AbortSignal; ringTimeoutMs: number; onRinging?: () => void },
  ): Promise<TrunkCall> {
    const trunk = this.trunk;
    if (trunk === null) {
      throw new DomainError('TRUNK_UNAVAILABLE', 'No SIP trunk is configured for outbound calls.');
    }
    if (!NUMBER.test(number)) {
      throw new DomainError('DIAL_PLAN_REFUSED', 'Only digits and a leading "+" can be dialled.');
    }
    const host = await localHostToward(this.endpoint, trunk.target);
    const media = await this.media.open('pcmu', 101);
    const callId = `${randomBytes(12).toString('hex')}@${host}`;
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const transport = trunk.target.protocol === 'tcp' ? ';transport=tcp' : '';
    const contact = `sip:hotline@${hostPart}:${this.endpoint.local(trunk.target.protocol).port}${transport}`;
    const uri = `sip:${number}@${trunk.domain}`;
    const invite: SipRequest = {
      kind: 'request',
      method: 'INVITE',
      uri,
      version: 'SIP/2.0',
      headers: [
        { name: 'From', value: `<sip:${trunk.callerId}@${trunk.domain}>;tag=${newTag()}` },
        { name: 'To', value: `<${uri}>` },
        { name: 'Call-ID', value: callId },
        { name: 'CSeq', value: '1 INVITE' },
        { name: 'Contact', value: `<${contact}>` },
        { name: 'P-Asserted-Identity', value: `<sip:${trunk.callerId}@${trunk.domain}>` },
        { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS' },
        { name: 'Content-Type', value: 'application/sdp' },
      ],
      body: Buffer.from(offerSdp(host, media)),
    };
    // Giving up: the caller's signal, or ringing for too long.
    const giveUp = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      giveUp.abort();
    }, options.ringTimeoutMs);
    const onAbort = () => giveUp.abort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal.aborted) giveUp.abort();
    const outcome = this.call(trunk, invite, contact, media, giveUp.signal, () => timedOut, options.onRinging)
      .catch((): TrunkDialOutcome => {
        media.close();
        return { kind: 'failed', cause: 'unreachable', status: 503 };
      })
      .finally(() => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
      });
    return { callId, trunk: trunk.name, target: uri, callerId: trunk.callerId, outcome };
  }

  private async call(
    trunk: DialTrunk,
    first: SipRequest,
    contact: string,
    media: MediaChannel,
    signal: AbortSignal,
    timedOut: () => boolean,
    onRinging: (() => void) | undefined,
  ): Promise<TrunkDialOutcome> {
    let invite = first;
    let res = await this.send(trunk, invite, contact, signal, onRinging);
    if ((res.response.status === 401 || res.response.status === 407) && !signal.aborted) {
      const retry = this.authorized(trunk, invite, res.response);
      if (retry !== null) {
        invite = retry;
        res = await this.send(trunk, invite, contact, signal, onRinging);
      }
    }
    const { response } = res;
    if (response.status >= 300) {
      media.close();
      const cause: TrunkFailure = signal.aborted
        ? timedOut()
          ? 'no_answer'
          : 'cancelled'
        : failureCause(response.status);
      return { kind: 'failed', cause, status: response.status };
    }
    const confirmed = res.dialog();
    if (confirmed === undefined) {
      media.close();
      return { kind: 'failed', cause: 'rejected', status: 502 };
    }
    const answer = readAudioOffer(response.body.toString('latin1'));
    if (signal.aborted || 'error' in answer) {
      // Answered as we gave up, or with nothing we can speak: the call is up, so it ends with BYE.
      this.bye(confirmed);
      media.close();
      if (!signal.aborted) return { kind: 'failed', cause: 'rejected', status: 488 };
      return { kind: 'failed', cause: timedOut() ? 'no_answer' : 'cancelled', status: response.status };
    }
    media.setCodec(answer.codec);
    media.setRemote(answer.address, answer.port);
    const key = keyOf(confirmed);
    const leg = new SipCallLeg(
      { dialog: confirmed, stop: () => undefined, receiveAck: () => false },
      media,
      this.endpoint,
      () => {
        this.legs.delete(key);
        this.dialogs.remove(confirmed);
      },
      invite.body.toString('latin1'),
    );
    this.dialogs.add(confirmed);
    this.legs.set(key, leg);
    return { kind: 'answered', leg };
  }

  /** One INVITE transaction; 2xx (and their retransmissions) are ACKed as they come. */
  private async send(
    trunk: DialTrunk,
    invite: SipRequest,
    contact: string,
    signal: AbortSignal,
    onRinging: (() => void) | undefined,
  ): Promise<{ response: SipResponse; dialog: () => Dialog | undefined }> {
    let dialog: Dialog | undefined;
    const ack = (res: SipResponse): void => {
      if (dialog === undefined) {
        const made = dialogFromResponse(invite, res, contact);
        if (!made.ok) return;
        dialog = made.value;
        dialog.source = { ...trunk.target };
      }
      const hop = nextHop(dialog) ?? trunk.target;
      const seq = Number(/^\s*(\d+)/.exec(invite.headers.find((h) => h.name === 'CSeq')?.value ?? '')?.[1]);
      this.endpoint.sendAck(buildAckFor2xx(dialog, seq || 1), hop).then(undefined, () => undefined);
    };
    let ringing = false;
    const response = await this.endpoint.request(invite, trunk.target, {
      signal,
      onResponse: (r) => {
        if ((r.status === 180 || r.status === 183) && !ringing) {
          ringing = true;
          onRinging?.();
        }
        if (r.status >= 200 && r.status < 300 && dialog !== undefined) ack(r);
      },
    });
    if (response.status >= 200 && response.status < 300) ack(response);
    return { response, dialog: () => dialog };
  }

  /** The INVITE again with credentials for the challenge, or null when we cannot answer it. */
  private authorized(trunk: DialTrunk, invite: SipRequest, res: SipResponse): SipRequest | null {
    if (trunk.username === undefined || trunk.password === undefined) return null;
    const proxy = res.status === 407;
    const challenge = pickChallenge(headerValues(res, proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate'));
    if (challenge === undefined) return null;
    const value = authorize(
      challenge,
      { username: trunk.username, password: trunk.password },
      { method: 'INVITE', uri: invite.uri },
    );
    return {
      ...invite,
      headers: [
        ...invite.headers.map((h) => (h.name === 'CSeq' ? { name: 'CSeq', value: '2 INVITE' } : h)),
        { name: proxy ? 'Proxy-Authorization' : 'Authorization', value },
      ],
    };
  }

  private bye(dialog: Dialog): void {
    const hop = nextHop(dialog);
    if (hop === undefined) return;
    this.endpoint.request(buildInDialogRequest(dialog, 'BYE'), hop).then(
      () => undefined,
      () => undefined,
    );
  }

  private request(tx: ServerTransaction): boolean {
    if (incomingDialogKey(tx.request) === undefined) return false;
    const dialog = this.dialogs.match(tx.request);
    const leg = dialog && this.legs.get(keyOf(dialog));
    if (leg === undefined) return false;
    if (tx.method === 'BYE') leg.receiveBye(tx);
    else if (tx.method === 'INVITE') leg.receiveReInvite(tx);
    else if (tx.method === 'INFO') leg.receiveInfo(tx);
    else tx.respond(501, 'Not Implemented');
    return true;
  }
}

/** The CDR cause of a carrier's final answer. */
export function failureCause(status: number): TrunkFailure {
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480 || status === 487) return 'no_answer';
  if (status === 503 || status === 502 || status === 504) return 'unreachable';
  return 'rejected';
}
