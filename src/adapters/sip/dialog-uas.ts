// The UAS side of a 2xx to an INVITE (RFC 3261 13.3.1.4, RFC 6026): the transaction layer sends
// the 2xx once and forgets it, so the dialog's owner retransmits it (T1, doubling up to T2) until
// the ACK comes, and after 64*T1 without one gives the call up, which the owner ends with a BYE.
import { dialogFromInvite, type Dialog } from './dialog.js';
import { headerValues, readCSeq, type SipHeader, type SipRequest, type SipResponse } from './message.js';
import type { ServerTransaction } from './transactions/server-transaction.js';
import type { Scheduler, TimerSettings } from './transactions/timers.js';

/** Options of acceptInvite. */
export interface AcceptOptions {
  /** Our Contact URI for the dialog. */
  contact: string;
  /** Extra headers of the 2xx (Allow, Supported, Content-Type is added for a body). */
  headers?: SipHeader[];
  /** The SDP answer (or offer, for an INVITE without one). */
  body?: Buffer;
  scheduler: Scheduler;
  /** T1 and T2 in ms; default 500 and 4000. */
  timers?: Partial<Pick<TimerSettings, 't1' | 't2'>>;
  /** No ACK within 64*T1: the session is confirmed and must now be ended with a BYE. */
  onAckTimeout?: (dialog: Dialog) => void;
}

/**
 * A 2xx sent and retransmitted until its ACK.
 * @example const call = acceptInvite(tx, { contact, body: sdp, scheduler }); endpoint.onAck((ack) => call.receiveAck(ack));
 */
export class AcceptedInvite {
  private interval: number;
  private cancelTimer: () => void = () => undefined;
  private done = false;

  constructor(
    readonly dialog: Dialog,
    readonly response: SipResponse,
    private readonly inviteSeq: number,
    private readonly tx: ServerTransaction,
    private readonly options: AcceptOptions,
    private readonly t1: number,
    private readonly t2: number,
  ) {
    this.interval = t1;
    const start = options.scheduler.now();
    this.schedule(start + t1, start + 64 * t1);
  }

  /** True once the ACK came or the wait gave up. */
  get settled(): boolean {
    return this.done;
  }

  /** An ACK for this dialog; true when it acknowledges this 2xx (same CSeq number). */
  receiveAck(ack: SipRequest): boolean {
    const cseq = readCSeq(ack);
    if (this.done || !cseq.ok || cseq.value.seq !== this.inviteSeq) return false;
    this.stop();
    return true;
  }

  /** Stops retransmitting (the call ended some other way). */
  stop(): void {
    this.done = true;
    this.cancelTimer();
  }

  private schedule(at: number, giveUpAt: number): void {
    if (at >= giveUpAt) {
      this.cancelTimer = this.options.scheduler.at(giveUpAt, () => {
        this.done = true;
        this.options.onAckTimeout?.(this.dialog);
      });
      return;
    }
    this.cancelTimer = this.options.scheduler.at(at, () => {
      this.tx.send(this.response);
      this.interval = Math.min(2 * this.interval, this.t2);
      this.schedule(at + this.interval, giveUpAt);
    });
  }
}

/**
 * Answers an INVITE with 200 OK: a To tag, our Contact, the Record-Route copied (RFC 3261 12.1.1),
 * and starts the retransmissions. Undefined when the INVITE cannot make a dialog (no Contact or
 * From tag), after answering it 400.
 */
export function acceptInvite(tx: ServerTransaction, options: AcceptOptions): AcceptedInvite | undefined {
  const invite = tx.request;
  const made = dialogFromInvite(invite, tx.toTag, options.contact, tx.source);
  const cseq = readCSeq(invite);
  if (!made.ok || !cseq.ok) {
    tx.respond(400, made.ok ? 'Bad CSeq' : made.reason);
    return undefined;
  }
  const headers: SipHeader[] = [
    ...headerValues(invite, 'Record-Route').map((value) => ({ name: 'Record-Route', value })),
    { name: 'Contact', value: `<${options.contact}>` },
    ...(options.headers ?? []),
  ];
  const body = options.body;
  if (body !== undefined && body.length > 0) headers.push({ name: 'Content-Type', value: 'application/sdp' });
  tx.respond(200, 'OK', headers, body);
  const response = tx.lastResponse;
  if (response === undefined || response.status !== 200) return undefined;
  const t1 = options.timers?.t1 ?? 500;
  const t2 = options.timers?.t2 ?? 4000;
  return new AcceptedInvite(made.value, response, cseq.value.seq, tx, options, t1, t2);
}
