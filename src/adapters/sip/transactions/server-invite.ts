// The INVITE server transaction (RFC 3261 17.2.1, with the Accepted state of RFC 6026): a pure
// state machine.
//
//   proceeding --300-699--> completed --ACK--> confirmed --I--> terminated
//        |                      +--H--> terminated (no ACK: timeout)
//        +--2xx--> accepted --L--> terminated
// 100 Trying goes out on its own when the TU has not answered within `trying` ms. Timer G
// retransmits the final response over UDP (T1, 2*T1, ... capped at T2) until the ACK comes.
import type { SipRequest, SipResponse } from '../message.js';
import { buildResponse } from './messages.js';
import type { TimerName, TimerSettings, TransactionAction } from './timers.js';

/** States of an INVITE server transaction. */
export type ServerInviteState = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

/** The RFC 3261 17.2.1 state machine. */
export class ServerInviteMachine {
  private current: ServerInviteState = 'proceeding';
  private last: SipResponse | undefined;
  private interval: number;

  constructor(
    readonly request: SipRequest,
    private readonly reliable: boolean,
    private readonly timers: TimerSettings,
  ) {
    this.interval = timers.t1;
  }

  /** Current state. */
  get state(): ServerInviteState {
    return this.current;
  }

  /** The last response sent, if any. */
  get lastResponse(): SipResponse | undefined {
    return this.last;
  }

  /** Hands the INVITE to the TU and arms the 100 Trying delay. */
  start(now: number): TransactionAction[] {
    return [
      { kind: 'deliver', message: this.request },
      { kind: 'arm', timer: 'Trying', at: now + this.timers.trying },
    ];
  }

  /** A request matched to this transaction: a retransmitted INVITE, or an ACK. */
  receive(req: SipRequest, now: number): TransactionAction[] {
    const s = this.current;
    if (req.method === 'ACK') {
      if (s === 'completed') {
        this.current = 'confirmed';
        const out: TransactionAction[] = [
          { kind: 'disarm', timer: 'G' },
          { kind: 'disarm', timer: 'H' },
        ];
        if (this.reliable) return [...out, ...this.end()];
        return [...out, { kind: 'arm', timer: 'I', at: now + this.timers.t4 }];
      }
      // An ACK matching an accepted INVITE is for the TU (RFC 6026 8.7; RFC 2543 peers).
      return s === 'accepted' ? [{ kind: 'deliver', message: req }] : [];
    }
    if (s === 'proceeding') {
      // A retransmission while the TU thinks: answering now stops the client's Timer A.
      if (this.last === undefined) return this.sendTrying();
      return [{ kind: 'send', message: this.last }];
    }
    if (s === 'completed' && this.last) return [{ kind: 'send', message: this.last }];
    return []; // confirmed, accepted: absorbed
  }

  /** A response from the TU; returns no actions when the state no longer allows one. */
  respond(res: SipResponse, now: number): TransactionAction[] {
    const s = this.current;
    if (s === 'accepted' && res.status >= 200 && res.status < 300) {
      return [{ kind: 'send', message: res }]; // the TU's 2xx retransmissions (RFC 6026 8.5)
    }
    if (s !== 'proceeding') return [];
    this.last = res;
    const out: TransactionAction[] = [
      { kind: 'disarm', timer: 'Trying' },
      { kind: 'send', message: res },
    ];
    if (res.status < 200) return out;
    if (res.status < 300) {
      this.current = 'accepted';
      return [...out, { kind: 'arm', timer: 'L', at: now + 64 * this.timers.t1 }];
    }
    this.current = 'completed';
    if (!this.reliable) out.push({ kind: 'arm', timer: 'G', at: now + this.interval });
    return [...out, { kind: 'arm', timer: 'H', at: now + 64 * this.timers.t1 }];
  }

  /** A timer armed by this machine fired. */
  fire(timer: TimerName, now: number): TransactionAction[] {
    const s = this.current;
    if (timer === 'Trying' && s === 'proceeding' && this.last === undefined) return this.sendTrying();
    if (timer === 'G' && s === 'completed' && this.last) {
      this.interval = Math.min(2 * this.interval, this.timers.t2);
      return [
        { kind: 'send', message: this.last },
        { kind: 'arm', timer: 'G', at: now + this.interval },
      ];
    }
    if (timer === 'H' && s === 'completed') return [{ kind: 'fail', reason: 'timeout' }, ...this.end()];
    if ((timer === 'I' && s === 'confirmed') || (timer === 'L' && s === 'accepted')) return this.end();
    return [];
  }

  /** The transport could not send a response. */
  transportError(): TransactionAction[] {
    if (this.current === 'terminated') return [];
    return [{ kind: 'fail', reason: 'transport' }, ...this.end()];
  }

  private sendTrying(): TransactionAction[] {
    this.last = buildResponse(this.request, 100);
    return [
      { kind: 'disarm', timer: 'Trying' },
      { kind: 'send', message: this.last },
    ];
  }

  private end(): TransactionAction[] {
    this.current = 'terminated';
    return [{ kind: 'terminate' }];
  }
}
