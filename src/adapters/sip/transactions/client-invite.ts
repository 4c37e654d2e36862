// The INVITE client transaction (RFC 3261 17.1.1, with the Accepted state of RFC 6026): a pure
// state machine. Inputs carry `now`; outputs are actions for a driver to carry out.
//
//   calling --1xx--> proceeding --2xx--> accepted --M--> terminated
//      |                 |
//      +--300-699--------+--> completed (ACK sent) --D--> terminated
//   calling --B--> terminated (timeout)
import type { SipRequest, SipResponse } from '../message.js';
import { buildAck } from './messages.js';
import type { TimerName, TimerSettings, TransactionAction } from './timers.js';

/** States of an INVITE client transaction. */
export type ClientInviteState = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';

/** The RFC 3261 17.1.1 state machine; retransmits (Timer A) only over unreliable transports. */
export class ClientInviteMachine {
  private current: ClientInviteState = 'calling';
  private interval: number;
  private ack: SipRequest | undefined;

  constructor(
    readonly request: SipRequest,
    private readonly reliable: boolean,
    private readonly timers: TimerSettings,
  ) {
    this.interval = timers.t1;
  }

  /** Current state. */
  get state(): ClientInviteState {
    return this.current;
  }

  /** Sends the INVITE and arms A (unreliable only) and B. */
  start(now: number): TransactionAction[] {
    const out: TransactionAction[] = [{ kind: 'send', message: this.request }];
    if (!this.reliable) out.push({ kind: 'arm', timer: 'A', at: now + this.interval });
    out.push({ kind: 'arm', timer: 'B', at: now + 64 * this.timers.t1 });
    return out;
  }

  /** A response matched to this transaction. */
  receive(res: SipResponse, now: number): TransactionAction[] {
    const s = this.current;
    if (s === 'terminated') return [];
    if (res.status < 200) {
      if (s !== 'calling' && s !== 'proceeding') return [];
      // In Proceeding the INVITE waits as long as the far end rings: B only guards Calling.
      this.current = 'proceeding';
      return [...this.stopRetrying(), { kind: 'deliver', message: res }];
    }
    if (res.status < 300) {
      if (s === 'accepted') return [{ kind: 'deliver', message: res }]; // forks and retransmissions
      if (s === 'completed') return [];
      // RFC 6026: stay a while so that retransmitted 2xx still reach the TU, which ACKs them.
      this.current = 'accepted';
      return [
        ...this.stopRetrying(),
        { kind: 'deliver', message: res },
        { kind: 'arm', timer: 'M', at: now + 64 * this.timers.t1 },
      ];
    }
    if (s === 'completed') return this.ack ? [{ kind: 'send', message: this.ack }] : [];
    if (s === 'accepted') return [];
    this.current = 'completed';
    this.ack = buildAck(this.request, res);
    const out: TransactionAction[] = [
      ...this.stopRetrying(),
      { kind: 'send', message: this.ack },
      { kind: 'deliver', message: res },
    ];
    if (this.reliable) return [...out, ...this.end()];
    return [...out, { kind: 'arm', timer: 'D', at: now + this.timers.d }];
  }

  /** A timer armed by this machine fired. */
  fire(timer: TimerName, now: number): TransactionAction[] {
    const s = this.current;
    if (timer === 'A' && s === 'calling') {
      this.interval *= 2; // no T2 cap for INVITE: 0.5, 1, 2, 4, 8, 16 s
      return [
        { kind: 'send', message: this.request },
        { kind: 'arm', timer: 'A', at: now + this.interval },
      ];
    }
    if (timer === 'B' && s === 'calling') return [{ kind: 'fail', reason: 'timeout' }, ...this.end()];
    if ((timer === 'D' && s === 'completed') || (timer === 'M' && s === 'accepted')) return this.end();
    return [];
  }

  /** The transport could not send: the TU learns of it unless it already has a final response. */
  transportError(): TransactionAction[] {
    const s = this.current;
    if (s === 'terminated') return [];
    const waiting = s === 'calling' || s === 'proceeding';
    return [...(waiting ? [{ kind: 'fail', reason: 'transport' } as const] : []), ...this.end()];
  }

  /**
   * Gives up on an INVITE still without a final response (RFC 3261 9.1: 64*T1 after a CANCEL
   * brought no answer); does nothing once a final response arrived.
   */
  abandon(): TransactionAction[] {
    const s = this.current;
    if (s !== 'calling' && s !== 'proceeding') return [];
    return [{ kind: 'fail', reason: 'timeout' }, ...this.end()];
  }

  private stopRetrying(): TransactionAction[] {
    return [
      { kind: 'disarm', timer: 'A' },
      { kind: 'disarm', timer: 'B' },
    ];
  }

  private end(): TransactionAction[] {
    this.current = 'terminated';
    return [{ kind: 'terminate' }];
  }
}
