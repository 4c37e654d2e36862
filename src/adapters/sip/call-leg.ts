// One answered inbound call as the CallLeg port: media through the MediaChannel, hangups as BYE
// in the dialog either way.
import type { CallLeg, MediaChannel, PlaybackOptions } from '../../services/calls/ports.js';
import type { AcceptedInvite } from './dialog-uas.js';
import { buildInDialogRequest, nextHop, receiveInDialog } from './dialog.js';
import type { SipEndpoint } from './endpoint.js';
import type { SipRequest } from './message.js';
import type { ServerTransaction } from './transactions/server-transaction.js';

export class SipCallLeg implements CallLeg {
  private readonly hangupFns: (() => void)[] = [];
  private ended = false;

  constructor(
    private readonly accepted: Pick<AcceptedInvite, 'dialog' | 'stop' | 'receiveAck'>,
    readonly media: MediaChannel,
    private readonly endpoint: SipEndpoint,
    private readonly onClosed: () => void,
  ) {}

  play(files: string[], options: PlaybackOptions): void {
    if (!this.ended) this.media.play(files, options);
  }

  stopPlayback(): void {
    this.media.stopPlayback();
  }

  onDigit(fn: (digit: string) => void): void {
    this.media.onDigit(fn);
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
    this.endpoint.request(buildInDialogRequest(dialog, 'BYE'), target).then(
      () => undefined,
      () => undefined,
    );
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

  private close(): void {
    this.ended = true;
    this.accepted.stop();
    this.media.close();
    this.onClosed();
  }
}
