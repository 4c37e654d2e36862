/**
 * The IVR's transfer node through the trunk: the number checked again (E.164, dial plan), the
 * INVITE sent, and once the external party answers the caller is bridged to it. The bridged call is
 * an interaction of its own (voice, inbound, no queue or agent; metadata.ivrPath and
 * metadata.transferredTo the number), recorded in stereo (caller left, external party right) with
 * CDRs for both legs, so it is found like any other call, and announced on the event hub as
 * `interaction.updated` (staff) when it starts and when it ends, as routed interactions are. Anything
 * else answers `ok: false` with a reason, so the flow's error branch runs.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Logger, Store } from '../ports.js';
import type { InteractionRecord } from '../records.js';
import type { EventHub } from '../events/event-hub.js';
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
  hub?: Pick<EventHub, 'publish'>,
): (o: TransferRequest) => Promise<TransferResult> {
  const announce = (row: InteractionRecord): void => {
    hub?.publish('interaction.updated', row, { staff: true }, clock.now());
  };
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
    const opened =
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
    const interactionId = opened?.id ?? null;
    if (opened !== null) announce(opened);
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
    if (opened !== null && store !== undefined) {
      log.info({ callId: call.callId, interactionId }, 'IVR transfer bridged');
      void bridged.ended
        .then((cause) => closeInteraction(store, opened, clock.now(), cause))
        .then(announce)
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
): Promise<InteractionRecord> {
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
  return row;
}

/** Ends the interaction; answers it as it now stands. */
async function closeInteraction(
  store: Pick<Store, 'interactions'>,
  row: InteractionRecord,
  now: number,
  cause: string,
): Promise<InteractionRecord> {
  const at = new Date(now);
  const patch = { status: 'ended', outcome: 'completed', endedAt: at } as const;
  await store.interactions.update(row.id, patch);
  await store.interactions.appendEvents([
    { interactionId: row.id, at, type: 'ended', agentId: null, details: { cause } },
  ]);
  return { ...row, ...patch };
}
