// The non-INVITE client transaction (RFC 3261 17.1.2): a pure state machine.
//
//   trying --1xx--> proceeding --200-699--> completed --K--> terminated
//   trying --200-699--> completed
//   trying/proceeding --F--> terminated (timeout)
// Timer E retransmits over UDP: T1, 2*T1, ... capped at T2; in Proceeding every T2.
import type { SipRequest, SipResponse } from '../message.js';
import type { TimerName, TimerSettings, TransactionAction } from './timers.js';

/** States of a non-INVITE client transaction. */
export type ClientNonInviteState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/** The RFC 3261 17.1.2 state machine. */
export class ClientNonInviteMachine {
  private current: ClientNonInviteState = 'trying';
  private interval: number;

  constructor(
    readonly request: SipRequest,
    private readonly reliable: boolean,
    private readonly timers: TimerSettings,
  ) {
    this.interval = timers.t1;
  }

  /** Current state. */
  get state(): ClientNonInviteState {
    return this.current;
  }

  /** Sends the request and arms E (unreliable only) and F. */
  start(now: number): TransactionAction[] {
    const out: TransactionAction[] = [{ kind: 'send', message: this.request }];
    if (!this.reliable) out.push({ kind: 'arm', timer: 'E', at: now + this.interval });
    out.push({ kind: 'arm', timer: 'F', at: now + 64 * this.timers.t1 });
    return out;
  }

  /** A response matched to this transaction. */
  receive(res: SipResponse, now: number): TransactionAction[] {
    const s = this.current;
    if (s !== 'trying' && s !== 'proceeding') return []; // retransmitted finals are absorbed
    if (res.status < 200) {
      this.current = 'proceeding';
      return [{ kind: 'deliver', message: res }];
    }
    this.current = 'completed';
    const out: TransactionAction[] = [
      { kind: 'disarm', timer: 'E' },
      { kind: 'disarm', timer: 'F' },
      { kind: 'deliver', message: res },
    ];
    if (this.reliable) return [...out, ...this.end()];
    return [...out, { kind: 'arm', timer: 'K', at: now + this.timers.t4 }];
  }

  /** A timer armed by this machine fired. */
  fire(timer: TimerName, now: number): TransactionAction[] {
    const s = this.current;
    if (timer === 'E' && (s === 'trying' || s === 'proceeding')) {
      this.interval = s === 'proceeding' ? this.timers.t2 : Math.min(2 * this.interval, this.timers.t2);
      return [
        { kind: 'send', message: this.request },
        { kind: 'arm', timer: 'E', at: now + this.interval },
      ];
    }
    if (timer === 'F' && (s === 'trying' || s === 'proceeding')) {
      return [{ kind: 'fail', reason: 'timeout' }, ...this.end()];
    }
    if (timer === 'K' && s === 'completed') return this.end();
    return [];
  }

  /** The transport could not send. */
  transportError(): TransactionAction[] {
    const s = this.current;
    if (s === 'terminated') return [];
    const waiting = s === 'trying' || s === 'proceeding';
    return [...(waiting ? [{ kind: 'fail', reason: 'transport' } as const] : []), ...this.end()];
  }

  private end(): TransactionAction[] {
    this.current = 'terminated';
    return [{ kind: 'terminate' }];
  }
}
