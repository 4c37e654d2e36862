/**
 * What outbound calls need from telephony: an INVITE through a carrier's SIP trunk (the
 * TrunkDialer), and what the trunk health check reads. The service hands over a number that is
 * already normalised and allowed by the dial plan; the adapter never decides what may be dialled.
 */
import type { CallLeg } from './ports.js';

/** Why a call to an external number did not come up (also the CDR's end cause). */
export type TrunkFailure = 'busy' | 'no_answer' | 'rejected' | 'unreachable' | 'cancelled';

/** How dialling an external number ended. */
export type TrunkDialOutcome =
  { kind: 'answered'; leg: CallLeg } | { kind: 'failed'; cause: TrunkFailure; status: number };

/** A call placed through a trunk. */
export interface TrunkCall {
  /** The signalling's call id of the external leg. */
  readonly callId: string;
  /** The trunk it went through. */
  readonly trunk: string;
  /** The Request-URI it went to (digits and '+' only in the user part). */
  readonly target: string;
  /** The calling number sent (From user). */
  readonly callerId: string;
  /** Settles once answered, refused, timed out or cancelled (the signal fired). */
  readonly outcome: Promise<TrunkDialOutcome>;
}

/** Places calls to external numbers through the configured outbound trunk. */
export interface TrunkDialer {
  /**
   * Sends an INVITE for `number` (E.164, checked by the caller). Ringing longer than `ringTimeoutMs`
   * or an aborted `signal` cancels it. Throws TRUNK_UNAVAILABLE when no trunk can place calls.
   */
  dial(
    number: string,
    options: { signal: AbortSignal; ringTimeoutMs: number; onRinging?: () => void },
  ): Promise<TrunkCall>;
}

/** A trunk's reachability as the OPTIONS ping last saw it. */
export interface TrunkReachability {
  trunk: string;
  /** Null until the first ping answered or timed out. */
  up: boolean | null;
  detail: string;
}
