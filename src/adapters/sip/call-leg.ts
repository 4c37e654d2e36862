// One answered call (inbound, or to an agent's phone) as the CallLeg port: media through the
// MediaChannel, hangups as BYE in the dialog either way, re-INVITEs (hold, resume, a new address)
// answered from our last description.
import type { CallLeg, MediaChannel, PlaybackOptions, ReferOutcome } from '../../services/calls/ports.js';
import { AcceptedInvite } from './dialog-uas.js';
import { buildInDialogRequest, nextHop, receiveInDialog } from './dialog.js';
import type { SipEndpoint } from './endpoint.js';
import { headerValue, readCSeq, type SipRequest } from './message.js';
import { infoDtmf } from './info-dtmf.js';
import { referTarget } from './refer.js';
import { answerReInvite, readLocalSdp, type LocalSdp } from './reinvite.js';
import type { ServerTransaction } from './transactions/server-transaction.js';
import { realScheduler, type Scheduler } from './transactions/timers.js';

export class SipCallLeg implements CallLeg {
  private readonly hangupFns: (() => void)[] = [];
  private readonly holdFns: ((held: boolean) => void)[] = [];
  /** Listeners for digits sent as SIP INFO (RFC 4733 digits come through the media). */
  private readonly digitFns: ((digit: string) => void)[] = [];
  private referFn: ((target: string) => Promise<ReferOutcome>) | null = null;
  /** A REFER being carried out: our BYE waits for its final NOTIFY (which must come first). */
  private referring: Promise<void> | null = null;
  /** Our 2xx to the last re-INVITE, resent until its ACK (RFC 3261 13.3.1.4). */
  private reinviteAnswer: AcceptedInvite | null = null;
  private ended = false;
  private held = false;
  private local: LocalSdp | undefined;

  constructor(
    private readonly accepted: Pick<AcceptedInvite, 'dialog' | 'stop' | 'receiveAck'>,
    readonly media: MediaChannel,
    private readonly endpoint: SipEndpoint,
    private readonly onClosed: () => void,
    /** The SDP we sent when the call was set up (our answer, or our offer to a phone). */
    localSdp = '',
    /** Told of each BYE we send, until its answer (so shutdown can wait for them). */
    private readonly trackBye: (answered: Promise<unknown>) => void = () => undefined,
    /** Times the 2xx retransmissions of re-INVITEs we answer. */
    private readonly scheduler: Scheduler = realScheduler,
  ) {
    this.local = readLocalSdp(localSdp);
  }

  get remoteHeld(): boolean {
    return this.held;
  }

  onRemoteHold(fn: (held: boolean) => void): void {
    this.holdFns.push(fn);
  }

  /**
   * A re-INVITE: its offer answered 200 with the mirrored direction (RFC 3264 8.4), media moved to
   * the address and codec it names, and hold listeners told when the hold state changed. An offer
   * we cannot take is refused 488 and the session stays as it was (RFC 3261 14.2).
   */
  receiveReInvite(tx: ServerTransaction): void {
    const verdict = receiveInDialog(this.accepted.dialog, tx.request);
    if (!verdict.ok) {
      tx.respond(verdict.status, verdict.reason);
      return;
    }
    if (this.ended || this.local === undefined) {
      tx.respond(488, 'Not Acceptable Here');
      return;
    }
    const answer = answerReInvite(tx.request.body.toString('latin1'), this.local, this.media.localPort);
    if ('error' in answer) {
      tx.respond(488, 'Not Acceptable Here');
      return;
    }
    this.local = answer.local;
    this.media.setCodec(answer.offer.codec);
    if (answer.offer.address !== '0.0.0.0') this.media.setRemote(answer.offer.address, answer.offer.port);
    tx.respond(
      200,
      'OK',
      [
        { name: 'Contact', value: `<${this.accepted.dialog.localContact}>` },
        { name: 'Content-Type', value: 'application/sdp' },
      ],
      Buffer.from(answer.sdp),
    );
    this.retransmitUntilAck(tx);
    if (answer.held === this.held) return;
    this.held = answer.held;
    for (const fn of this.holdFns) fn(answer.held);
  }

  play(files: string[], options: PlaybackOptions): void {
    if (!this.ended) this.media.play(files, options);
  }

  stopPlayback(): void {
    this.media.stopPlayback();
  }

  onDigit(fn: (digit: string) => void): void {
    this.media.onDigit(fn);
    this.digitFns.push(fn);
  }

  onAudio(fn: (samples: Int16Array) => void): () => void {
    return this.media.onAudio(fn);
  }

  /** An ACK for a 2xx (the INVITE's or a re-INVITE's): stops its retransmissions. */
  receiveAck(ack: SipRequest): void {
    if (this.reinviteAnswer?.receiveAck(ack) === true) return;
    this.accepted.receiveAck(ack);
  }

  /**
   * The transaction layer sends a 2xx once: we resend it (T1 doubling to T2) until the ACK, and
   * after 64*T1 without one end the call with a BYE, as for the first INVITE.
   */
  private retransmitUntilAck(tx: ServerTransaction): void {
    const response = tx.lastResponse;
    const cseq = readCSeq(tx.request);
    if (response === undefined || !cseq.ok) return;
    this.reinviteAnswer?.stop();
    this.reinviteAnswer = new AcceptedInvite(
      this.accepted.dialog,
      response,
      cseq.value.seq,
      tx,
      {
        contact: this.accepted.dialog.localContact,
        scheduler: this.scheduler,
        onAckTimeout: () => this.hangup(),
      },
      500,
      4000,
    );
  }

  onHangup(fn: () => void): void {
    this.hangupFns.push(fn);
  }

  /** Sends BYE; the answer does not matter, the call is over for us either way. */
  hangup(): void {
    if (this.ended) return;
    this.close();
    const dialog = this.accepted.dialog;
    const target = nextHop(dialog);
    if (target === undefined) return;
    const send = (): Promise<void> =>
      this.endpoint.request(buildInDialogRequest(dialog, 'BYE'), target).then(
        () => undefined,
        () => undefined,
      );
    this.trackBye(this.referring === null ? send() : this.referring.then(send));
  }

  onRefer(fn: (target: string) => Promise<ReferOutcome>): void {
    this.referFn = fn;
  }

  /**
   * A REFER (RFC 3515): 202 Accepted, a NOTIFY with message/sipfrag "100 Trying", then the
   * handler's outcome as the final NOTIFY (subscription terminated). No handler, or a Refer-To we
   * cannot read: refused outright (603, 400).
   */
  receiveRefer(tx: ServerTransaction): void {
    const verdict = receiveInDialog(this.accepted.dialog, tx.request);
    if (!verdict.ok) {
      tx.respond(verdict.status, verdict.reason);
      return;
    }
    const fn = this.referFn;
    if (this.ended || fn === null || this.referring !== null) {
      tx.respond(603, 'Decline');
      return;
    }
    const target = referTarget(headerValue(tx.request, 'Refer-To'));
    if (target === undefined) {
      tx.respond(400, 'Bad Refer-To');
      return;
    }
    tx.respond(202, 'Accepted', [{ name: 'Contact', value: `<${this.accepted.dialog.localContact}>` }]);
    const cseq = /^\s*(\d+)/.exec(headerValue(tx.request, 'CSeq') ?? '')?.[1];
    const notify = (status: number, reason: string, final: boolean): Promise<void> => {
      const dialog = this.accepted.dialog;
      const hop = nextHop(dialog);
      if (hop === undefined) return Promise.resolve();
      const request = buildInDialogRequest(dialog, 'NOTIFY', {
        contentType: 'message/sipfrag;version=2.0',
        body: Buffer.from(`SIP/2.0 ${status} ${reason}\r\n`),
        headers: [
          { name: 'Event', value: cseq === undefined ? 'refer' : `refer;id=${cseq}` },
          { name: 'Subscription-State', value: final ? 'terminated;reason=noresource' : 'active;expires=60' },
          { name: 'Contact', value: `<${dialog.localContact}>` },
        ],
      });
      return this.endpoint.request(request, hop).then(
        () => undefined,
        () => undefined,
      );
    };
    const trying = notify(100, 'Trying', false);
    this.referring = (async () => {
      await trying;
      const outcome = await fn(target).catch(() => ({ status: 500, reason: 'Server Internal Error' }));
      await notify(outcome.status, outcome.reason, true);
    })();
  }

  /** The caller's BYE: answered 200, then the call is torn down. */
  receiveBye(tx: ServerTransaction): void {
    const verdict = receiveInDialog(this.accepted.dialog, tx.request);
    if (!verdict.ok) {
      tx.respond(verdict.status, verdict.reason);
      return;
    }
    tx.respond(200, 'OK');
    if (this.ended) return;
    this.close();
    for (const fn of this.hangupFns) fn();
  }

  /** An INFO in the dialog: a DTMF digit is answered 200 and heard like an RFC 4733 one. */
  receiveInfo(tx: ServerTransaction): void {
    const verdict = receiveInDialog(this.accepted.dialog, tx.request);
    if (!verdict.ok) {
      tx.respond(verdict.status, verdict.reason);
      return;
    }
    const read = infoDtmf(headerValue(tx.request, 'Content-Type'), tx.request.body.toString('latin1'));
    if (read.kind === 'not_dtmf') {
      tx.respond(415, 'Unsupported Media Type', [
        { name: 'Accept', value: 'application/dtmf-relay, application/dtmf' },
      ]);
      return;
    }
    if (read.kind === 'malformed') {
      tx.respond(400, 'Bad DTMF Body');
      return;
    }
    tx.respond(200, 'OK');
    if (this.ended) return;
    for (const fn of this.digitFns) fn(read.digit);
  }

  private close(): void {
    this.ended = true;
    this.reinviteAnswer?.stop();
    this.accepted.stop();
    this.media.close();
    this.onClosed();
  }
}
