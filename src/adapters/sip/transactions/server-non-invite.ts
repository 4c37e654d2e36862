// The non-INVITE server transaction (RFC 3261 17.2.2): a pure state machine.
//
//   trying --1xx--> proceeding --200-699--> completed --J--> terminated
//   trying --200-699--> completed
// Retransmitted requests are absorbed in Trying and answered with the last response afterwards.
import type { SipRequest, SipResponse } from '../message.js';
import type { TimerName, TimerSettings, TransactionAction } from './timers.js';

/** States of a non-INVITE server transaction. */
export type ServerNonInviteState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/** The RFC 3261 17.2.2 state machine. */
export class ServerNonInviteMachine {
  private current: ServerNonInviteState = 'trying';
  private last: SipResponse | undefined;

  constructor(
    readonly request: SipRequest,
    private readonly reliable: boolean,
    private readonly timers: TimerSettings,
  ) {}

  /** Current state. */
  get state(): ServerNonInviteState {
    return this.current;
  }

  /** The last response sent, if any. */
  get lastResponse(): SipResponse | undefined {
    return this.last;
  }

  /** Hands the request to the TU. */
  start(_now: number): TransactionAction[] {
    return [{ kind: 'deliver', message: this.request }];
  }

  /** A retransmission of the request. */
  receive(_req: SipRequest, _now: number): TransactionAction[] {
    const s = this.current;
    if ((s === 'proceeding' || s === 'completed') && this.last) return [{ kind: 'send', message: this.last }];
    return [];
  }

  /** A response from the TU; returns no actions when the state no longer allows one. */
  respond(res: SipResponse, now: number): TransactionAction[] {
    const s = this.current;
    if (s !== 'trying' && s !== 'proceeding') return [];
    this.last = res;
    if (res.status < 200) {
      this.current = 'proceeding';
      return [{ kind: 'send', message: res }];
    }
    this.current = 'completed';
    const sent: TransactionAction = { kind: 'send', message: res };
    if (this.reliable) return [sent, ...this.end()];
    // J = 64*T1 keeps answering retransmissions for as long as the client may send them.
    return [sent, { kind: 'arm', timer: 'J', at: now + 64 * this.timers.t1 }];
  }

  /** A timer armed by this machine fired. */
  fire(timer: TimerName, _now: number): TransactionAction[] {
    return timer === 'J' && this.current === 'completed' ? this.end() : [];
  }

  /** The transport could not send a response. */
  transportError(): TransactionAction[] {
    if (this.current === 'terminated') return [];
    return [{ kind: 'fail', reason: 'transport' }, ...this.end()];
  }

  private end(): TransactionAction[] {
    this.current = 'terminated';
    return [{ kind: 'terminate' }];
  }
}
