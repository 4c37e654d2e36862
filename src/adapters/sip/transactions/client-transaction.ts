// A client transaction as the transaction user sees it: every response as an event, and a promise
// of the first final one. Both RFC 3261 client machines sit behind it.
import type { SipMessage, SipRequest, SipResponse } from '../message.js';
import type { SipTarget } from '../transport.js';
import { ClientInviteMachine, type ClientInviteState } from './client-invite.js';
import { ClientNonInviteMachine, type ClientNonInviteState } from './client-non-invite.js';
import { type DriverContext, TransactionDriver, type TransactionEvents } from './driver.js';
import { buildResponse } from './messages.js';
import type { TimerSettings, TransactionFailure } from './timers.js';

/** Events of a client transaction. */
export interface ClientTransactionEvents extends TransactionEvents {
  /** Every response passed up: provisional, final, and for INVITE each later 2xx (forks). */
  response: [response: SipResponse];
}

/** States of any client transaction. */
export type ClientTransactionState = ClientInviteState | ClientNonInviteState;

type ClientMachine = ClientInviteMachine | ClientNonInviteMachine;

// RFC 3261 8.1.3.1: a timeout is to be treated as a 408, a transport failure as a 503.
const FAILURE_STATUS: Record<TransactionFailure, [number, string]> = {
  timeout: [408, 'Request Timeout'],
  transport: [503, 'Service Unavailable'],
};

/**
 * One outgoing request and its transaction.
 * @example const res = await layer.sendRequest(options, target).final;
 */
export class ClientTransaction extends TransactionDriver<ClientMachine, ClientTransactionEvents> {
  /** The first final response; a timeout resolves a local 408, a transport error a local 503. */
  readonly final: Promise<SipResponse>;
  private settle!: (res: SipResponse) => void;
  private settled = false;
  private provisional = false;

  constructor(
    key: string,
    readonly request: SipRequest,
    target: SipTarget,
    reliable: boolean,
    timers: TimerSettings,
    context: DriverContext,
  ) {
    const machine =
      request.method === 'INVITE'
        ? new ClientInviteMachine(request, reliable, timers)
        : new ClientNonInviteMachine(request, reliable, timers);
    super(key, machine, context, target);
    this.final = new Promise((resolve) => (this.settle = resolve));
    this.on('failed', (reason) => {
      const [status, phrase] = FAILURE_STATUS[reason];
      this.resolveFinal(buildResponse(request, status, phrase));
    });
  }

  /** True once a provisional response arrived (a CANCEL may be sent from then on). */
  get hasProvisional(): boolean {
    return this.provisional;
  }

  /** True once a final response (or a local 408/503) settled `final`. */
  get isSettled(): boolean {
    return this.settled;
  }

  /** Sends the request; called once by the transaction layer. */
  start(): void {
    this.run(this.machine.start(this.now()));
  }

  /** A response matched to this transaction; called by the layer. */
  receive(res: SipResponse): void {
    const machine = this.machine;
    this.run(
      machine instanceof ClientInviteMachine
        ? machine.receive(res, this.now())
        : machine.receive(res, this.now()),
    );
  }

  /** Gives up on an INVITE that got no final response (RFC 3261 9.1, after CANCEL). */
  abandon(): void {
    if (this.machine instanceof ClientInviteMachine) this.run(this.machine.abandon());
  }

  protected deliver(message: SipMessage): void {
    if (message.kind !== 'response') return;
    if (message.status < 200) this.provisional = true;
    else this.resolveFinal(message);
    this.emit('response', message);
  }

  private resolveFinal(res: SipResponse): void {
    if (this.settled) return;
    this.settled = true;
    this.settle(res);
  }
}
