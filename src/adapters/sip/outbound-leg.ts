// Calls to agents' registered phones (the AgentPhones port): an INVITE with our SDP offer to the
// contact the registrar holds, sent to the address the REGISTER came from (NAT); 180 is ringing,
// a 2xx is ACKed and becomes a CallLeg, a 4xx-6xx a refusal. Aborting cancels (CANCEL after the
// first provisional, RFC 3261 9.1); a 2xx that crosses the CANCEL is ACKed and at once ended with
// BYE. BYEs within these dialogs are answered here; anything else is left to the next handler.
import { randomBytes } from 'node:crypto';
import type {
  AgentCall,
  AgentPhones,
  MediaChannel,
  MediaChannels,
  RingOutcome,
} from '../../services/calls/ports.js';
import { SipCallLeg } from './call-leg.js';
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
import type { SipRequest, SipResponse } from './message.js';
import { addressOfRecord, type BindingStore } from './registrar.js';
import { readAudioOffer } from './sdp-audio.js';
import { newTag } from './transactions/messages.js';
import type { ServerTransaction } from './transactions/server-transaction.js';
import type { SipTarget } from './transport.js';
import { localHostToward, offerSdp } from './invite-offer.js';

/** Options of SipAgentPhones. */
export interface AgentPhonesOptions {
  bindings: BindingStore;
  /** The registrar's domain: AORs are sip:<username>@<domain>. */
  domain: string;
  now?: () => number;
}

/**
 * Rings agents' phones.
 * @example const phones = new SipAgentPhones(endpoint, media, { bindings, domain: 'hotline' }); phones.start();
 */
export class SipAgentPhones implements AgentPhones {
  private readonly dialogs = new DialogTable();
  private readonly legs = new Map<string, SipCallLeg>();

  constructor(
    private readonly endpoint: SipEndpoint,
    private readonly media: MediaChannels,
    private readonly options: AgentPhonesOptions,
  ) {}

  /** Agent legs answered and not yet hung up. */
  get activeCalls(): number {
    return this.legs.size;
  }

  /** Takes the requests within agent dialogs; must be attached before the inbound-call handler. */
  start(): void {
    this.endpoint.onRequest((tx) => this.request(tx));
    // ACKs for our 2xx to the phone's re-INVITEs (hold key) end their retransmission.
    this.endpoint.onAck((ack) => {
      const dialog = this.dialogs.match(ack);
      if (dialog) this.legs.get(keyOf(dialog))?.receiveAck(ack);
    });
  }

  /** Hangs up every agent leg (shutdown). */
  hangupAll(): void {
    for (const leg of [...this.legs.values()]) leg.hangup();
  }

  async ring(
    username: string,
    options: { caller: string; signal: AbortSignal; onRinging: () => void },
  ): Promise<AgentCall | null> {
    const now = this.options.now ?? Date.now;
    const [binding] = await this.options.bindings.lookup(
      addressOfRecord(username, this.options.domain),
      now(),
    );
    if (binding === undefined) return null;
    const target: SipTarget = { ...binding.source };
    const host = await localHostToward(this.endpoint, target);
    const media = await this.media.open('pcmu', 101);
    const callId = `${randomBytes(12).toString('hex')}@${host}`;
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const contact = `sip:hotline@${hostPart}:${this.endpoint.local('udp').port}`;
    const invite = this.invite(
      binding.contact,
      username,
      options.caller,
      callId,
      contact,
      offerSdp(host, media),
    );
    const outcome = this.dial(invite, target, contact, media, options);
    return { callId, target: binding.contact, outcome };
  }

  private invite(
    uri: string,
    username: string,
    caller: string,
    callId: string,
    contact: string,
    sdp: string,
  ): SipRequest {
    const domain = this.options.domain;
    const user = /^[A-Za-z0-9+*#._-]{1,64}$/.test(caller) ? caller : 'anonymous';
    return {
      kind: 'request',
      method: 'INVITE',
      uri,
      version: 'SIP/2.0',
      headers: [
        { name: 'From', value: `<sip:${user}@${domain}>;tag=${newTag()}` },
        { name: 'To', value: `<sip:${username}@${domain}>` },
        { name: 'Call-ID', value: callId },
        { name: 'CSeq', value: '1 INVITE' },
        { name: 'Contact', value: `<${contact}>` },
        { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS' },
        { name: 'Content-Type', value: 'application/sdp' },
      ],
      body: Buffer.from(sdp),
    };
  }

  private async dial(
    invite: SipRequest,
    target: SipTarget,
    contact: string,
    media: MediaChannel,
    options: { signal: AbortSignal; onRinging: () => void },
  ): Promise<RingOutcome> {
    let dialog: Dialog | undefined;
    const ack = (res: SipResponse): void => {
      if (dialog === undefined) {
        const made = dialogFromResponse(invite, res, contact);
        if (!made.ok) return;
        dialog = made.value;
        dialog.source = { ...target };
      }
      const hop = nextHop(dialog) ?? target;
      this.endpoint.sendAck(buildAckFor2xx(dialog, 1), hop).then(undefined, () => undefined);
    };
    let ringing = false;
    let res: SipResponse;
    try {
      res = await this.endpoint.request(invite, target, {
        signal: options.signal,
        onResponse: (r) => {
          if ((r.status === 180 || r.status === 183) && !ringing) {
            ringing = true;
            options.onRinging();
          }
          // Retransmitted 2xx (our ACK was lost) are ACKed again.
          if (r.status >= 200 && r.status < 300 && dialog !== undefined) ack(r);
        },
      });
    } catch {
      media.close();
      return { kind: 'refused', status: 503 };
    }
    if (res.status >= 300) {
      media.close();
      return options.signal.aborted
        ? { kind: 'cancelled', status: res.status }
        : { kind: 'refused', status: res.status };
    }
    ack(res);
    const confirmed = dialog;
    if (confirmed === undefined) {
      media.close();
      return { kind: 'refused', status: 502 };
    }
    const answer = readAudioOffer(res.body.toString('latin1'));
    if (options.signal.aborted || 'error' in answer) {
      // Answered as we cancelled, or with nothing we can speak: the call is up, so it ends with BYE.
      this.bye(confirmed);
      media.close();
      return options.signal.aborted
        ? { kind: 'cancelled', status: res.status }
        : { kind: 'refused', status: 488 };
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
    // Hold and resume from the phone, or a new media address.
    else if (tx.method === 'INVITE') leg.receiveReInvite(tx);
    // The agent's phone transfers the caller (RFC 3515).
    else if (tx.method === 'REFER') leg.receiveRefer(tx);
    else tx.respond(501, 'Not Implemented');
    return true;
  }
}
