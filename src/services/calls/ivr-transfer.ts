/**
 * The IVR's transfer node through the trunk: the number checked again (E.164, dial plan), the
 * INVITE sent, and once the external party answers the caller is bridged to it. The bridged call is
 * an interaction of its own (voice, inbound, no queue or agent; metadata.ivrPath and
 * metadata.transferredTo the number), recorded in stereo (caller left, external party right) with
 * CDRs for both legs, so it is found like any other call. Anything else answers `ok: false` with a
 * reason, so the flow's error branch runs.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Logger, Store } from '../ports.js';
import type { ExternalCalls } from './external-calls.js';
import type { TransferRequest } from './ivr-call.js';
import type { TrunkCall } from './trunk-ports.js';

/** What the IVR gets back from a transfer. */
export type TransferResult = { ok: true } | { ok: false; reason: string };

/**
 * The IvrCall's `transferOut` dependency.
 * @example new CallService(inbound, { ...deps, transferOut: ivrTransfers(external, clock, log, store) }, settings)
 */
export function ivrTransfers(
  external: ExternalCalls,
  clock: Clock,
  log: Logger,
  store?: Pick<Store, 'interactions'>,
): (o: TransferRequest) => Promise<TransferResult> {
  return async ({ call, to, startedAt, signal, takeOver, ivrPath, flowId }) => {
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
    const interactionId =
      store === undefined
        ? null
        : await openInteraction(store, {
            caller: call.caller,
            callId: call.callId,
            dnis: call.dnis,
            number,
            ivrPath,
            flowId,
            startedAt,
            answeredAt,
          }).catch((err: unknown) => {
            // The call goes on unrecorded rather than being dropped.
            log.error({ err, callId: call.callId }, 'transfer interaction not written');
            return null;
          });
    const bridged = external.connect({
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
      interactionId,
      agentId: null,
      record: interactionId !== null,
      externalIsCustomer: false,
      nearCause: 'caller_hangup',
      externalCause: 'callee_hangup',
    });
    if (interactionId !== null && store !== undefined) {
      log.info({ callId: call.callId, interactionId }, 'IVR transfer bridged');
      void bridged.ended
        .then((cause) => closeInteraction(store, interactionId, clock.now(), cause))
        .catch((err: unknown) => log.warn({ err, interactionId }, 'transfer interaction not closed'));
    }
    return { ok: true };
  };
}

async function openInteraction(
  store: Pick<Store, 'interactions'>,
  o: {
    caller: string;
    callId: string;
    dnis: string;
    number: string;
    ivrPath: string[];
    flowId: string | null;
    startedAt: number;
    answeredAt: number;
  },
): Promise<string> {
  const at = new Date(o.answeredAt);
  const row = await store.interactions.insert({
    id: randomUUID(),
    channel: 'voice',
    direction: 'inbound',
    customerId: null,
    queueId: null,
    priority: 0,
    vip: false,
    status: 'active',
    outcome: null,
    agentId: null,
    subject: null,
    fromAddress: o.caller,
    metadata: {
      callId: o.callId,
      dnis: o.dnis,
      ivrPath: o.ivrPath,
      ...(o.flowId === null ? {} : { flowId: o.flowId }),
      transferredTo: o.number,
    },
    wrapUpCode: null,
    wrapUpNotes: null,
    idempotencyKey: null,
    createdAt: new Date(o.startedAt),
    queuedAt: null,
    offeredAt: null,
    acceptedAt: at,
    endedAt: null,
    wrapUpEndedAt: null,
  });
  await store.interactions.appendEvents([
    {
      interactionId: row.id,
      at,
      type: 'ivr_transferred',
      agentId: null,
      details: { to: 'number', ivrPath: o.ivrPath },
    },
  ]);
  return row.id;
}

async function closeInteraction(
  store: Pick<Store, 'interactions'>,
  interactionId: string,
  now: number,
  cause: string,
): Promise<void> {
  const at = new Date(now);
  await store.interactions.update(interactionId, { status: 'ended', outcome: 'completed', endedAt: at });
  await store.interactions.appendEvents([
    { interactionId, at, type: 'ended', agentId: null, details: { cause } },
  ]);
}
