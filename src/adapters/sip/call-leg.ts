// One answered inbound call as the CallLeg port: media through the MediaChannel, hangups as BYE
// in the dialog either way.
import type { CallLeg, MediaChannel, PlaybackOptions } from '../../services/calls/ports.js';
import type { AcceptedInvite } from './dialog-uas.js';
import { buildInDialogRequest, nextHop, receiveInDialog } from './dialog.js';
import type { SipEndpoint } from './endpoint.js';
import { headerValue, type SipRequest } from './message.js';
import { infoDtmf } from './info-dtmf.js';
import type { ServerTransaction } from './transactions/server-transaction.js';

export class SipCallLeg implements CallLeg {
  private readonly hangupFns: (() => void)[] = [];
  /** Listeners for digits sent as SIP INFO (RFC 4733 digits come through the media). */
  private readonly digitFns: ((digit: string) => void)[] = [];
  private ended = false;

  constructor(
    private readonly accepted: Pick<AcceptedInvite, 'dialog' | 'stop' | 'receiveAck'>,
    readonly media: MediaChannel,
    private readonly endpoint: SipEndpoint,
    private readonly onClosed: () => void,
    /** Told of each BYE we send, until its answer (so shutdown can wait for them). */
    private readonly trackBye: (answered: Promise<unknown>) => void = () => undefined,
  ) {}

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

  /** An ACK for the 2xx: stops its retransmissions. */
  receiveAck(ack: SipRequest): void {
    this.accepted.receiveAck(ack);
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
    const answered = this.endpoint.request(buildInDialogRequest(dialog, 'BYE'), target).then(
      () => undefined,
      () => undefined,
    );
    this.trackBye(answered);
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
    this.accepted.stop();
    this.media.close();
    this.onClosed();
  }
}
