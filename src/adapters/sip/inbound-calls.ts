// Inbound calls over SIP (the InboundCalls port): an INVITE with an audio offer is answered 100 then
// 200 with our SDP and RTP port, the 2xx resent until its ACK; BYE either way ends the call. A CANCEL
// before the answer is the transaction layer's (487), and the opened media is closed again.
import { randomInt } from 'node:crypto';
import type { InboundCall, InboundCalls, MediaChannel, MediaChannels } from '../../services/calls/ports.js';
import type { InviteAdmission } from './admission.js';
import { acceptInvite } from './dialog-uas.js';
import { DialogTable, incomingDialogKey, keyOf } from './dialog.js';
import type { SipEndpoint } from './endpoint.js';
import { readFrom, requestUri, type SipRequest } from './message.js';
import { SipCallLeg } from './call-leg.js';
import { readAudioOffer, writeAudioAnswer } from './sdp-audio.js';
import type { ServerTransaction } from './transactions/server-transaction.js';
import { realScheduler, type Scheduler } from './transactions/timers.js';

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/**
 * Answers inbound calls and hands each to the onCall listener.
 * @example const calls = new SipInboundCalls(endpoint, media); calls.start(); callService(calls)
 */
export class SipInboundCalls implements InboundCalls {
  private readonly dialogs = new DialogTable();
  private readonly legs = new Map<string, SipCallLeg>();
  private listener: ((call: InboundCall) => void) | null = null;
  /** BYEs we sent that are not answered yet. */
  private readonly byes = new Set<Promise<unknown>>();

  constructor(
    private readonly endpoint: SipEndpoint,
    private readonly media: MediaChannels,
    private readonly scheduler: Scheduler = realScheduler,
    /** Trunk rules for new INVITEs; without it every source is admitted. */
    private readonly admission?: InviteAdmission,
  ) {}

  /** Answered calls not yet hung up. */
  get activeCalls(): number {
    return this.legs.size;
  }

  onCall(fn: (call: InboundCall) => void): void {
    this.listener = fn;
  }

  /** Starts taking INVITEs and the requests within their dialogs. */
  start(): void {
    this.endpoint.onRequest((tx) => this.request(tx));
    this.endpoint.onAck((ack) => {
      const dialog = this.dialogs.match(ack);
      if (dialog) this.legs.get(keyOf(dialog))?.receiveAck(ack);
    });
  }

  /** Hangs up every call (shutdown). */
  hangupAll(): void {
    for (const leg of [...this.legs.values()]) leg.hangup();
  }

  /** Waits until the BYEs we sent are answered, or `maxMs` passed (before the transports close). */
  async byesAnswered(maxMs: number): Promise<void> {
    if (this.byes.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((r) => (timer = setTimeout(r, maxMs)));
    await Promise.race([Promise.all([...this.byes]), late]);
    clearTimeout(timer);
  }

  private request(tx: ServerTransaction): boolean | Promise<void> {
    const req = tx.request;
    if (incomingDialogKey(req) !== undefined) {
      const dialog = this.dialogs.match(req);
      const leg = dialog && this.legs.get(keyOf(dialog));
      if (leg === undefined) tx.respond(481, 'Call/Transaction Does Not Exist');
      else if (req.method === 'BYE') leg.receiveBye(tx);
      else if (req.method === 'INFO') leg.receiveInfo(tx);
      else if (req.method === 'INVITE') leg.receiveReInvite(tx);
      else tx.respond(501, 'Not Implemented');
      return true;
    }
    if (req.method !== 'INVITE') return false;
    const verdict = this.admission?.check(tx.source.address, parties(req).dnis);
    if (verdict !== undefined && !verdict.ok) {
      tx.respond(verdict.status, verdict.reason);
      return true;
    }
    return this.answer(tx);
  }

  private async answer(tx: ServerTransaction): Promise<void> {
    const offer = readAudioOffer(tx.request.body.toString('latin1'));
    if ('error' in offer) {
      tx.respond(488, 'Not Acceptable Here');
      return;
    }
    tx.respond(100, 'Trying');
    let media: MediaChannel;
    try {
      media = await this.media.open(offer.codec, offer.dtmfPayloadType ?? 101);
    } catch {
      tx.respond(503, 'Service Unavailable');
      return;
    }
    if (tx.answered) {
      media.close(); // CANCELled (487) while the port was opening
      return;
    }
    media.setRemote(offer.address, offer.port);
    const host = this.localHost(tx.request);
    // The Contact names the transport the call came in on, so the caller's BYE comes back on it.
    const tcp = tx.source.protocol === 'tcp';
    const port = this.endpoint.local(tx.source.protocol).port;
    const sdp = writeAudioAnswer(host, media.localPort, offer, randomInt(1, 2 ** 31));
    const accepted = acceptInvite(tx, {
      contact: `sip:hotline@${host.includes(':') ? `[${host}]` : host}:${port}${tcp ? ';transport=tcp' : ''}`,
      body: Buffer.from(sdp),
      scheduler: this.scheduler,
      // No ACK: the call was confirmed by our 2xx all the same, so it ends with a BYE.
      onAckTimeout: (dialog) => this.legs.get(keyOf(dialog))?.hangup(),
    });
    if (accepted === undefined) {
      media.close();
      return;
    }
    const key = keyOf(accepted.dialog);
    const leg = new SipCallLeg(
      accepted,
      media,
      this.endpoint,
      () => {
        this.legs.delete(key);
        this.dialogs.remove(accepted.dialog);
      },
      sdp,
      (bye) => {
        this.byes.add(bye);
        void bye.then(() => this.byes.delete(bye));
      },
    );
    this.dialogs.add(accepted.dialog);
    this.legs.set(key, leg);
    this.listener?.({ callId: accepted.dialog.callId, ...parties(tx.request), leg });
  }

  /** Where the caller reached us: our bound address, or the Request-URI's host behind a wildcard. */
  private localHost(req: SipRequest): string {
    const bound = this.endpoint.local('udp').address;
    if (!WILDCARD.has(bound)) return bound;
    const uri = requestUri(req);
    const host = uri.ok && 'host' in uri.value ? uri.value.host.replace(/^\[(.*)\]$/, '$1') : '';
    return host === '' ? '127.0.0.1' : host;
  }
}

/** The caller (From user) and the dialed number (Request-URI user). */
function parties(req: SipRequest): { caller: string; dnis: string } {
  const from = readFrom(req);
  const uri = requestUri(req);
  const caller = from.ok && 'user' in from.value.uri ? (from.value.uri.user ?? '') : '';
  const dnis = uri.ok && 'user' in uri.value ? (uri.value.user ?? '') : '';
  return { caller: caller || 'anonymous', dnis };
}
