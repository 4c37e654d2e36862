/**
 * Blind transfer of a connected caller to an external number (POST /api/interactions/{id}/transfer
 * with `to.number`). The number is checked first (a refused number leaves the call as it was);
 * then the agent is released to wrap-up at once and the caller hears hold music while the number
 * rings through the trunk. Answered: the caller is bridged to it and recorded on the same
 * interaction, with CDRs for both legs. Busy, no answer or a trunk fault: the caller is not left
 * in silence but waits again in the interaction's queue, as a new linked interaction.
 */
import { DomainError } from '../../domain/errors.js';
import type { Clock, Logger, Store } from '../ports.js';
import type { AgentConnector } from './agent-connector.js';
import type { ExternalCalls } from './external-calls.js';

/** What number transfers need. */
export interface NumberTransferDeps {
  connector: Pick<AgentConnector, 'handOff'>;
  external: ExternalCalls;
  store: Pick<Store, 'interactions'>;
  clock: Clock;
  log: Logger;
  /** Looped to the caller while the number rings. */
  holdFiles: string[];
}

/**
 * Transfers connected callers to numbers; see the file comment.
 * @example await new NumberTransfers(deps).transferToNumber(interactionId, '+12025550143');
 */
export class NumberTransfers {
  constructor(private readonly deps: NumberTransferDeps) {}

  /** Resolves with the E.164 number once the agent is released and the number is ringing. */
  async transferToNumber(interactionId: string, input: string): Promise<string> {
    const { external, log } = this.deps;
    const number = external.allowed(input);
    if (!external.available) {
      throw new DomainError('TRUNK_UNAVAILABLE', 'Calls out need SIP enabled and an outbound trunk.');
    }
    const interaction = await this.deps.store.interactions.byId(interactionId);
    const { ivr } = await this.deps.connector.handOff(interactionId);
    const caller = ivr.inbound;
    caller.leg.play(this.deps.holdFiles, { loop: true, onEnd: () => undefined });
    const abort = new AbortController();
    let callerGone = false;
    caller.leg.onHangup(() => {
      callerGone = true;
      abort.abort();
    });
    log.info({ interactionId }, 'transferring the caller to a number');
    const startedAt = this.deps.clock.now();
    void this.ring(
      interactionId,
      number,
      abort.signal,
      () => callerGone,
      startedAt,
      ivr,
      interaction?.queueId ?? null,
    );
    return number;
  }

  private async ring(
    interactionId: string,
    number: string,
    signal: AbortSignal,
    callerGone: () => boolean,
    startedAt: number,
    ivr: Awaited<ReturnType<NumberTransferDeps['connector']['handOff']>>['ivr'],
    queueId: string | null,
  ): Promise<void> {
    const { external, log, clock } = this.deps;
    const caller = ivr.inbound;
    const near = {
      leg: caller.leg,
      callId: caller.callId,
      direction: 'inbound' as const,
      from: caller.caller,
      to: caller.dnis,
      agentId: null,
      startedAt: ivr.startedAt,
      answeredAt: ivr.startedAt,
    };
    try {
      const call = await external.dial(number, signal);
      const outcome = await call.outcome;
      if (outcome.kind === 'answered' && !callerGone()) {
        caller.leg.stopPlayback();
        external.connect({
          near,
          call,
          external: outcome.leg,
          startedAt,
          answeredAt: clock.now(),
          interactionId,
          agentId: null,
          record: true,
          externalIsCustomer: false,
          nearCause: 'caller_hangup',
          externalCause: 'callee_hangup',
        });
        log.info({ interactionId }, 'caller connected to the number');
        return;
      }
      if (outcome.kind === 'answered') outcome.leg.hangup();
      const cause = outcome.kind === 'failed' ? outcome.cause : 'cancelled';
      const status = outcome.kind === 'failed' ? outcome.status : 200;
      await external.failed(call, { startedAt, cause, status, agentId: null, interactionId });
      log.info({ interactionId, cause }, 'transfer to a number did not connect');
    } catch (err) {
      log.error({ err, interactionId }, 'transfer to a number failed');
    }
    if (callerGone()) return this.callerCdr(near, interactionId);
    caller.leg.stopPlayback();
    if (queueId === null) {
      caller.leg.hangup();
      return this.callerCdr(near, interactionId);
    }
    // Back to the queue the call came from, rather than silence or a dropped call.
    await ivr.requeue(queueId, interactionId).catch(() => undefined);
  }

  private async callerCdr(
    near: { callId: string; from: string; to: string; startedAt: number },
    interactionId: string,
  ): Promise<void> {
    await this.deps.external.callerEnded({
      callId: near.callId,
      caller: near.from,
      dnis: near.to,
      startedAt: near.startedAt,
      interactionId,
    });
  }
}
