/**
 * The IVR's transfer node through the trunk: the number checked again (E.164, dial plan), the
 * INVITE sent, and once the external party answers the caller is bridged to it (CDRs for both
 * legs). Anything else answers `ok: false` with a reason, so the flow's error branch runs.
 */
import type { Clock, Logger } from '../ports.js';
import type { ExternalCalls } from './external-calls.js';
import type { TransferRequest } from './ivr-call.js';
import type { TrunkCall } from './trunk-ports.js';

/** What the IVR gets back from a transfer. */
export type TransferResult = { ok: true } | { ok: false; reason: string };

/**
 * The IvrCall's `transferOut` dependency.
 * @example new CallService(inbound, { ...deps, transferOut: ivrTransfers(external, clock, log) }, settings)
 */
export function ivrTransfers(
  external: ExternalCalls,
  clock: Clock,
  log: Logger,
): (o: TransferRequest) => Promise<TransferResult> {
  return async ({ call, to, startedAt, signal, takeOver }) => {
    let number: string;
    try {
      number = external.allowed(to);
    } catch {
      return { ok: false, reason: 'transfer_refused' };
    }
    let out: TrunkCall;
    try {
      out = await external.dial(number, signal);
    } catch (err) {
      log.warn({ err, callId: call.callId }, 'transfer: no trunk');
      return { ok: false, reason: 'trunk_unavailable' };
    }
    const dialStarted = clock.now();
    const outcome = await out.outcome;
    const failed = { startedAt: dialStarted, agentId: null, interactionId: null };
    if (outcome.kind === 'failed') {
      await external.failed(out, { ...failed, cause: outcome.cause, status: outcome.status });
      return { ok: false, reason: outcome.cause };
    }
    if (!takeOver()) {
      // The caller hung up as the far end answered.
      outcome.leg.hangup();
      await external.failed(out, { ...failed, cause: 'cancelled', status: 200 });
      return { ok: false, reason: 'cancelled' };
    }
    const answeredAt = clock.now();
    external.connect({
      near: {
        leg: call.leg,
        callId: call.callId,
        direction: 'inbound',
        from: call.caller,
        to: call.dnis,
        agentId: null,
        startedAt,
        answeredAt: startedAt,
      },
      call: out,
      external: outcome.leg,
      startedAt: dialStarted,
      answeredAt,
      interactionId: null,
      agentId: null,
      record: false,
      externalIsCustomer: false,
      nearCause: 'caller_hangup',
      externalCause: 'callee_hangup',
    });
    return { ok: true };
  };
}
