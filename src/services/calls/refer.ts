/**
 * Transfers asked for by an agent's SIP phone (REFER, RFC 3515): the Refer-To user part names a
 * queue (its name, any case), an agent (their SIP user name) or a number. Queues and agents are
 * blind transfers as through the API; a number goes to the transfer-to-number handler when one is
 * plugged in (outbound trunk calls), else the phone is told 403. The outcome becomes the final
 * NOTIFY: 200 once the caller is handed over, 404 for nobody by that name, 480 for an agent not
 * available, 403 for a number nobody may dial.
 */
import { DomainError } from '../../domain/errors.js';
import type { Clock, Logger, Store } from '../ports.js';
import type { CallTransfers } from './call-control.js';
import type { ReferOutcome } from './ports.js';
import type { SipAccounts } from './sip-accounts.js';

/** Where a REFER's target went, after the look-ups. */
export type ReferDestination =
  | { kind: 'queue'; queueId: string }
  | { kind: 'agent'; agentId: string }
  | { kind: 'number'; number: string }
  | { kind: 'unknown' };

const NUMBER = /^\+?[0-9]{2,20}$/;

/** See the file comment. */
export class ReferTransfers {
  /** Set by main.ts while calls run. */
  transfers: CallTransfers | null = null;
  /**
   * The seam for transfers to a number (the outbound-calls feature plugs its dial-out here):
   * resolves with the new interaction's id. Null: REFERs to numbers are refused (403).
   */
  toNumber: ((interactionId: string, number: string) => Promise<string>) | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly accounts: Pick<SipAccounts, 'byUsername'>,
  ) {}

  /** Looks the target up: a queue name first, then an agent's SIP user, then a number. */
  async destination(target: string): Promise<ReferDestination> {
    const wanted = target.trim().toLowerCase();
    const queue = (await this.store.queues.list()).find((q) => q.name.trim().toLowerCase() === wanted);
    if (queue !== undefined) return { kind: 'queue', queueId: queue.id };
    const account = await this.accounts.byUsername(target.trim());
    if (account !== undefined) return { kind: 'agent', agentId: account.agentId };
    if (NUMBER.test(target.trim())) return { kind: 'number', number: target.trim() };
    return { kind: 'unknown' };
  }

  /** Carries out the REFER of the agent's phone on the interaction's call; never throws. */
  async referred(interactionId: string, agentId: string, target: string): Promise<ReferOutcome> {
    const transfers = this.transfers;
    if (transfers === null) return { status: 503, reason: 'Service Unavailable' };
    try {
      const to = await this.destination(target);
      let next: string;
      if (to.kind === 'queue') next = await transfers.transferToQueue(interactionId, to.queueId);
      else if (to.kind === 'agent') next = await transfers.transferToAgent(interactionId, to.agentId);
      else if (to.kind === 'number') {
        if (this.toNumber === null) return { status: 403, reason: 'Forbidden' };
        next = await this.toNumber(interactionId, to.number);
      } else return { status: 404, reason: 'Not Found' };
      // The number stays out of the timeline's details, as out of info logs.
      const shown = to.kind === 'number' ? { kind: 'number' } : to;
      await this.store.interactions
        .appendEvents([
          {
            interactionId,
            at: new Date(this.clock.now()),
            type: 'transferred',
            agentId,
            details: { ...shown, via: 'refer', to: next },
          },
        ])
        .catch((err: unknown) => this.log.warn({ err, interactionId }, 'transfer event not written'));
      this.log.info({ interactionId, kind: to.kind }, 'transferred by the agent’s phone (REFER)');
      return { status: 200, reason: 'OK' };
    } catch (err) {
      this.log.info({ err, interactionId }, 'REFER refused');
      return outcomeOf(err);
    }
  }
}

/** A transfer's refusal as the SIP status the phone is told. */
export function outcomeOf(err: unknown): ReferOutcome {
  if (!(err instanceof DomainError)) return { status: 500, reason: 'Server Internal Error' };
  if (err.code === 'AGENT_NOT_AVAILABLE') return { status: 480, reason: 'Temporarily Unavailable' };
  if (err.code === 'QUEUE_NOT_FOUND') return { status: 404, reason: 'Not Found' };
  if (err.code === 'CALL_NOT_CONNECTED') return { status: 481, reason: 'Call Does Not Exist' };
  // DIAL_PLAN_REFUSED: the outbound-calls feature's refusal of a number.
  const code: string = err.code;
  if (code === 'DIAL_PLAN_REFUSED' || code === 'AUTH_FORBIDDEN') return { status: 403, reason: 'Forbidden' };
  return { status: 500, reason: 'Server Internal Error' };
}
