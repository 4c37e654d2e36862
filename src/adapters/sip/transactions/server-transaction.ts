// A server transaction as the transaction user sees it: the request, where it came from, and
// respond(). Both RFC 3261 server machines sit behind it.
import { readTo, type SipHeader, type SipMessage, type SipRequest, type SipResponse } from '../message.js';
import type { SipSource, SipTarget } from '../transport.js';
import { type DriverContext, TransactionDriver, type TransactionEvents } from './driver.js';
import { buildResponse, newTag, REASONS } from './messages.js';
import { ServerInviteMachine, type ServerInviteState } from './server-invite.js';
import { ServerNonInviteMachine, type ServerNonInviteState } from './server-non-invite.js';
import type { TimerSettings } from './timers.js';

/** Events of a server transaction. */
export interface ServerTransactionEvents extends TransactionEvents {
  /** A CANCEL matched this INVITE; the stack has already answered 487 if it could. */
  cancelled: [cancel: SipRequest];
  /** The ACK for a non-2xx final response arrived and was absorbed. */
  acknowledged: [ack: SipRequest];
  /** An ACK matched this INVITE after a 2xx (RFC 6026); it is the TU's to handle. */
  ack: [ack: SipRequest];
}

/** States of any server transaction. */
export type ServerTransactionState = ServerInviteState | ServerNonInviteState;

type ServerMachine = ServerInviteMachine | ServerNonInviteMachine;

/**
 * One incoming request and its transaction.
 * @example endpoint.onRequest((tx) => { tx.respond(486, 'Busy Here'); });
 */
export class ServerTransaction extends TransactionDriver<ServerMachine, ServerTransactionEvents> {
  private tag: string | undefined;

  constructor(
    key: string,
    readonly request: SipRequest,
    /** Where the request came from. */
    readonly source: SipSource,
    target: SipTarget,
    reliable: boolean,
    timers: TimerSettings,
    context: DriverContext,
  ) {
    const machine =
      request.method === 'INVITE'
        ? new ServerInviteMachine(request, reliable, timers)
        : new ServerNonInviteMachine(request, reliable, timers);
    super(key, machine, context, target);
  }

  /** The request's method. */
  get method(): string {
    return this.request.method;
  }

  /**
   * The tag of this side in To: the request's own for an in-dialog request, else one made up for
   * the transaction, so that a 180 and its 200 agree.
   */
  get toTag(): string {
    if (this.tag === undefined) {
      const to = readTo(this.request);
      const tag = to.ok ? to.value.params.get('tag') : undefined;
      this.tag = typeof tag === 'string' && tag !== '' ? tag : newTag();
    }
    return this.tag;
  }

  /** True once a final response went out. */
  get answered(): boolean {
    const last = this.machine.lastResponse;
    return last !== undefined && last.status >= 200;
  }

  /** The last response sent. */
  get lastResponse(): SipResponse | undefined {
    return this.machine.lastResponse;
  }

  /**
   * Answers the request; returns false when the transaction no longer takes that response (a
   * second final, anything after terminated).
   * @example tx.respond(200, 'OK', [{ name: 'Content-Type', value: 'application/sdp' }], sdp)
   */
  respond(
    status: number,
    reason = REASONS[status] ?? '',
    headers: SipHeader[] = [],
    body?: Buffer,
    toTag = this.toTag,
  ): boolean {
    const parts = body === undefined ? { toTag, headers } : { toTag, headers, body };
    return this.send(buildResponse(this.request, status, reason, parts));
  }

  /** Sends a response the TU built itself (a B2BUA relaying one); same rules as respond. */
  send(response: SipResponse): boolean {
    const machine = this.machine;
    const actions =
      machine instanceof ServerInviteMachine
        ? machine.respond(response, this.now())
        : machine.respond(response, this.now());
    this.run(actions);
    return actions.length > 0;
  }

  /** Starts the machine; called once by the transaction layer. */
  start(): void {
    this.run(this.machine.start(this.now()));
  }

  /** A request matched to this transaction (retransmission or ACK); called by the layer. */
  receive(req: SipRequest): void {
    const before = this.state;
    const machine = this.machine;
    this.run(
      machine instanceof ServerInviteMachine
        ? machine.receive(req, this.now())
        : machine.receive(req, this.now()),
    );
    if (req.method === 'ACK' && before === 'completed') this.emit('acknowledged', req);
  }

  /** Marks the INVITE cancelled: 487 if no final response went out yet; tells the TU. */
  cancel(cancel: SipRequest): void {
    if (!this.answered) this.respond(487);
    this.emit('cancelled', cancel);
  }

  protected deliver(message: SipMessage): void {
    // The request itself reaches the TU through the layer; only an ACK after 2xx comes this way.
    if (message.kind === 'request' && message.method === 'ACK') this.emit('ack', message);
  }
}
