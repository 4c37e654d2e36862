/**
 * The agent leg of an inbound call. When routing offers a voice interaction whose caller is on one
 * of our live legs (metadata.callId) to an agent, the agent's registered phone rings; an answer
 * accepts the offer, stops the hold music and bridges the two legs with a recording; a refusal or
 * an unregistered phone rejects the offer (the caller keeps their place). An offer that ends
 * otherwise (reservation timeout, caller gone) cancels the ringing. A hangup on either side ends
 * the other, closes the recording, writes both legs' CDRs, then completes the interaction.
 * A browser phone whose connection drops mid-call is not a hangup: the caller hears hold music
 * while a grace period runs; the call is re-bridged if the browser comes back, otherwise the caller
 * goes back to the queue in their old place and the agent is made not ready (connection_lost).
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import type { OfferCancelReason, RoutingEvent } from '../../domain/routing/types.js';
import type { EventHub } from '../events/event-hub.js';
import type { Clock, Logger, Store } from '../ports.js';
import type { CdrEndCause, CdrRecord } from '../records.js';
import type { SipAccounts } from './sip-accounts.js';
import type { RoutingService } from '../routing/routing-service.js';
import type { CallControl } from './call-control.js';
import type { CallerLegEnd, IvrCall } from './ivr-call.js';
import type { AgentPhones, CallLeg, MediaBridge, MediaChannels, ReferOutcome } from './ports.js';
import type { GraceTimers } from './reconnect-grace.js';
import { ringAgentPhone } from './agent-phone.js';

/** The not-ready reason of an agent whose browser phone did not come back in time. */
export const CONNECTION_LOST_REASON = 'connection_lost';

/** What the connector needs. */
export interface AgentConnectorDeps {
  hub: EventHub;
  routing: Pick<
    RoutingService,
    'accept' | 'reject' | 'complete' | 'openRecord' | 'canOfferTo' | 'setPresence'
  >;
  /** The agents' SIP accounts, read without a query per call. */
  accounts: Pick<SipAccounts, 'byAgent'>;
  store: Store;
  /** The calls now in the IVR or waiting, by signalling id. */
  calls: { live(callId: string): IvrCall | undefined };
  phones: AgentPhones;
  media: Pick<MediaChannels, 'bridge'>;
  clock: Clock;
  log: Logger;
  /** Where recordings are written (`<dir>/<recording id>.wav`). */
  recordingsDir: string;
  /** Told of each bridged call and its end (hold, digits); holds the caller while a phone reconnects. */
  control?: Pick<CallControl, 'attach' | 'detach'> & Partial<Pick<CallControl, 'connectionHold'>>;
  /**
   * Grace periods of agents' phones that lost their connection mid-call; without it a lost
   * connection ends the call like the agent hanging up.
   */
  grace?: GraceTimers;
}

/** An offer whose agent phone is being rung. */
interface Ringing {
  reservationId: string;
  interactionId: string;
  agentId: string;
  abort: AbortController;
  /** Why routing withdrew the offer, when it did. */
  withdrawn: OfferCancelReason | null;
  /** Settles once the ringing is over and its records are written. */
  done: Promise<void>;
}

/** An agent leg answered before its interaction exists (a consult completed): bridged without ringing. */
export interface AnsweredLeg {
  leg: CallLeg;
  callId: string;
  target: string;
  startedAt: number;
  answeredAt: number;
}

/** How long a transferred caller nobody answered waits for the first agent before the whole queue. */
const BACK_TO_FIRST_AGENT_MS = 60_000;

/** A connected call. */
interface Connected {
  interactionId: string;
  agentId: string;
  caller: { ivr: IvrCall; leg: CallLeg };
  agent: { leg: CallLeg; callId: string; target: string; startedAt: number; answeredAt: number };
  bridge: MediaBridge;
  recordingId: string | null;
  /** The recording's row is written (end waits for it before closing the row). */
  recordingSaved: Promise<void>;
  answeredAt: number;
  ended: boolean;
}

/**
 * Connects waiting callers to agents' phones; see the file comment.
 * @example const connector = new AgentConnector(deps); connector.start(); // callerEnded: connector.callerEnded
 */
export class AgentConnector {
  private readonly ringing = new Map<string, Ringing>();
  private readonly connected = new Map<string, Connected>();
  private unsubscribe: (() => void) | null = null;
  private readonly endedListeners: ((interactionId: string) => void)[] = [];
  /** Answered legs waiting for their offer, by the caller's call id. */
  private readonly handoffs = new Map<string, { agentId: string; answered: AnsweredLeg }>();
  /**
   * Asked first when the agent hangs up: true when someone else keeps the caller (a conference
   * goes on with the second agent) and the call must not end.
   */
  agentLeaving: ((interactionId: string) => boolean) | null = null;
  /** Carries out a transfer the agent's phone asks for (SIP REFER); without it REFERs are declined. */
  referred: ((interactionId: string, agentId: string, target: string) => Promise<ReferOutcome>) | null = null;
  /** Asked first when the caller hangs up: true when the agent's leg stays up (a conference's agents). */
  callerLeaving: ((interactionId: string) => boolean) | null = null;

  constructor(private readonly deps: AgentConnectorDeps) {}

  /** Calls now connected to an agent. */
  get activeCalls(): number {
    return this.connected.size;
  }

  start(): void {
    this.unsubscribe = this.deps.hub.subscribe((e) => {
      if (e.type === 'offer') this.offered(e.data as Extract<RoutingEvent, { type: 'offer' }>);
      else if (e.type === 'offer.cancelled') {
        const c = e.data as Extract<RoutingEvent, { type: 'offer_cancelled' }>;
        const r = this.ringing.get(c.reservationId);
        if (r !== undefined) this.withdraw(r, c.reason);
      }
    });
  }

  /** Stops listening; calls still up are hung up both ways, their recordings closed and CDRs written. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.deps.grace?.clear();
    for (const r of this.ringing.values()) r.abort.abort();
    await Promise.all([...this.connected.values()].map((c) => this.end(c, 'shutdown')));
  }

  /**
   * The caller's leg ended without an agent (hung up in the IVR or while waiting): any ringing
   * agent leg is cancelled and recorded first, then the caller's own CDR is written.
   */
  callerEnded = async (end: CallerLegEnd): Promise<void> => {
    if (end.interactionId !== null) {
      for (const r of this.ringing.values()) {
        if (r.interactionId !== end.interactionId) continue;
        this.withdraw(r, 'abandoned');
        await r.done;
      }
    }
    await this.deps.store.voice.insertCdrs([
      {
        id: randomUUID(),
        callId: end.callId,
        direction: 'inbound',
        fromAddress: end.caller,
        toAddress: end.dnis,
        agentId: null,
        interactionId: end.interactionId,
        recordingId: null,
        startedAt: new Date(end.startedAt),
        answeredAt: new Date(end.startedAt),
        endedAt: new Date(this.deps.clock.now()),
        endCause: end.cause,
        sipStatus: null,
      },
    ]);
  };

  /** The interaction's connected call (supervision mixes into its bridge), if any. */
  live(interactionId: string): { agentId: string; caller: string; bridge: MediaBridge } | undefined {
    const c = this.connected.get(interactionId);
    if (c === undefined || c.ended) return undefined;
    return { agentId: c.agentId, caller: c.caller.ivr.inbound.caller, bridge: c.bridge };
  }

  /** Hangs up both legs of the interaction's call (a supervisor's force release); false if none. */
  async release(interactionId: string): Promise<boolean> {
    const c = this.connected.get(interactionId);
    if (c === undefined || c.ended) return false;
    await this.end(c, 'forced_release');
    return true;
  }

  /** Called with the interaction's id whenever a connected call ends. */
  onCallEnded(fn: (interactionId: string) => void): void {
    this.endedListeners.push(fn);
  }

  /** Pauses the recording of the interaction's call (card details): silence until resumed. */
  pauseRecording(interactionId: string): void {
    this.bridgeOf(interactionId).pauseRecording();
    this.deps.log.info({ interactionId }, 'recording paused');
  }

  resumeRecording(interactionId: string): void {
    this.bridgeOf(interactionId).resumeRecording();
    this.deps.log.info({ interactionId }, 'recording resumed');
  }

  /** Whether the interaction's call is being recorded now, and paused. */
  recordingState(interactionId: string): { active: boolean; paused: boolean } {
    const c = this.connected.get(interactionId);
    if (c === undefined || c.ended || c.recordingId === null) return { active: false, paused: false };
    return { active: true, paused: c.bridge.recordingPaused };
  }

  /**
   * Blind transfer to a queue: the caller waits again as a new interaction linked to this one
   * (hold music until an agent answers), the agent's leg is hung up with its CDR, and this
   * interaction completes (the agent goes to wrap-up). Resolves with the new interaction's id.
   */
  async transferToQueue(interactionId: string, queueId: string): Promise<string> {
    const c = this.connectedCall(interactionId);
    if (!(await this.deps.store.queues.byId(queueId)))
      throw new DomainError('QUEUE_NOT_FOUND', 'No such queue.');
    return this.handOver(c, queueId, undefined);
  }

  /**
   * Blind transfer to an agent (logged in and available, else AGENT_NOT_AVAILABLE): as a transfer
   * to the call's queue, but offered straight to that agent, whose phone rings. Nobody answering,
   * the caller waits for the first agent (a minute, once their wrap-up ends), then at the front of
   * the queue. With `answered` (a consult completed) the agent's leg is already up: bridged at once.
   */
  async transferToAgent(interactionId: string, agentId: string, answered?: AnsweredLeg): Promise<string> {
    const c = this.connectedCall(interactionId);
    if (agentId === c.agentId || !this.deps.routing.canOfferTo(agentId, 'voice')) {
      throw new DomainError('AGENT_NOT_AVAILABLE', 'That agent is not logged in and available now.', {
        agentId,
      });
    }
    const current = await this.deps.store.interactions.byId(interactionId);
    if (current?.queueId == null) throw new DomainError('QUEUE_NOT_FOUND', 'The call has no queue.');
    const callerCallId = c.caller.ivr.inbound.callId;
    if (answered !== undefined) this.handoffs.set(callerCallId, { agentId, answered });
    try {
      return await this.handOver(c, current.queueId, {
        agentId,
        fallbackAgentId: c.agentId,
        fallbackUntil: this.deps.clock.now() + BACK_TO_FIRST_AGENT_MS,
        arrivedAt: (current.queuedAt ?? current.createdAt).getTime(),
      });
    } finally {
      this.handoffs.delete(callerCallId);
    }
  }

  /** The legs and bridge of the interaction's connected call (consult and conference use them). */
  legs(interactionId: string): { agentId: string; caller: CallLeg; agent: CallLeg; bridge: MediaBridge } {
    const c = this.connectedCall(interactionId);
    return { agentId: c.agentId, caller: c.caller.leg, agent: c.agent.leg, bridge: c.bridge };
  }

  private connectedCall(interactionId: string): Connected {
    const c = this.connected.get(interactionId);
    if (c === undefined || c.ended) {
      throw new DomainError('CALL_NOT_CONNECTED', 'This interaction has no call connected to an agent now.');
    }
    return c;
  }

  /** The caller leaves this agent for a new interaction; see transferToQueue. */
  private async handOver(
    c: Connected,
    queueId: string,
    offerTo: Parameters<IvrCall['requeue']>[2],
  ): Promise<string> {
    const { interactionId } = c;
    if (c.ended) throw new DomainError('CALL_NOT_CONNECTED', 'The call ended meanwhile.');
    c.ended = true;
    this.connected.delete(interactionId);
    this.deps.grace?.cancel(interactionId);
    this.deps.control?.detach(interactionId);
    for (const fn of this.endedListeners) fn(interactionId);
    // The bridge stops at once (closing), before the caller's hold music starts.
    const closed = this.closeRecording(c).catch((err: unknown) =>
      this.deps.log.warn({ err, interactionId }, 'recording close failed'),
    );
    // The caller is waiting again from here: a hangup now abandons the new interaction.
    const requeued = c.caller.ivr.requeue(queueId, interactionId, offerTo);
    requeued.catch(() => undefined);
    c.agent.leg.hangup();
    await closed;
    const inbound = c.caller.ivr.inbound;
    await this.deps.store.voice
      .insertCdrs([
        {
          id: randomUUID(),
          callId: c.agent.callId,
          direction: 'outbound',
          fromAddress: inbound.caller,
          toAddress: c.agent.target,
          agentId: c.agentId,
          interactionId,
          recordingId: c.recordingId,
          startedAt: new Date(c.agent.startedAt),
          answeredAt: new Date(c.agent.answeredAt),
          endedAt: new Date(this.deps.clock.now()),
          endCause: 'transferred',
          sipStatus: 200,
        },
      ])
      .catch((err: unknown) => this.deps.log.error({ err, interactionId }, 'call records failed'));
    this.deps.log.info(
      { interactionId, queueId, toAgent: offerTo?.agentId ?? null },
      offerTo === undefined ? 'caller transferred to a queue' : 'caller transferred to an agent',
    );
    await this.deps.routing
      .complete(interactionId)
      .catch((err: unknown) => this.deps.log.warn({ err, interactionId }, 'complete failed'));
    return requeued;
  }

  /**
   * Lets go of the caller of a connected call for a transfer elsewhere (a number through the
   * trunk): the agent's leg is hung up with its CDR (transferred), the bridge and recording close
   * and the interaction completes (the agent goes to wrap-up). The caller's leg stays up and is
   * the caller's from now on. CALL_NOT_CONNECTED when there is no such call.
   */
  async handOff(interactionId: string): Promise<{ ivr: IvrCall; recordingId: string | null }> {
    const c = this.connected.get(interactionId);
    if (c === undefined || c.ended) {
      throw new DomainError('CALL_NOT_CONNECTED', 'This interaction has no call connected to an agent now.');
    }
    c.ended = true;
    this.connected.delete(interactionId);
    this.deps.control?.detach(interactionId);
    for (const fn of this.endedListeners) fn(interactionId);
    c.agent.leg.hangup();
    await this.closeRecording(c).catch((err: unknown) =>
      this.deps.log.warn({ err, interactionId }, 'recording close failed'),
    );
    await this.deps.store.voice
      .insertCdrs([
        {
          id: randomUUID(),
          callId: c.agent.callId,
          direction: 'outbound',
          fromAddress: c.caller.ivr.inbound.caller,
          toAddress: c.agent.target,
          agentId: c.agentId,
          interactionId,
          recordingId: c.recordingId,
          startedAt: new Date(c.agent.startedAt),
          answeredAt: new Date(c.agent.answeredAt),
          endedAt: new Date(this.deps.clock.now()),
          endCause: 'transferred',
          sipStatus: 200,
        },
      ])
      .catch((err: unknown) => this.deps.log.error({ err, interactionId }, 'call records failed'));
    await this.deps.routing
      .complete(interactionId)
      .catch((err: unknown) => this.deps.log.warn({ err, interactionId }, 'complete failed'));
    return { ivr: c.caller.ivr, recordingId: c.recordingId };
  }

  private bridgeOf(interactionId: string): MediaBridge {
    const c = this.connected.get(interactionId);
    if (c === undefined || c.ended || c.recordingId === null) {
      throw new DomainError('RECORDING_NOT_ACTIVE', 'This interaction has no call being recorded now.');
    }
    return c.bridge;
  }

  private withdraw(r: Ringing, reason: OfferCancelReason): void {
    if (r.withdrawn === null) r.withdrawn = reason;
    r.abort.abort();
  }

  private offered(offer: Extract<RoutingEvent, { type: 'offer' }>): void {
    if (offer.channel !== 'voice') return;
    let finish!: () => void;
    const r: Ringing = {
      reservationId: offer.reservationId,
      interactionId: offer.interactionId,
      agentId: offer.agentId,
      abort: new AbortController(),
      withdrawn: null,
      done: new Promise<void>((resolve) => (finish = resolve)),
    };
    // Registered at once, so a cancellation that overtakes the look-ups below still finds it.
    this.ringing.set(r.reservationId, r);
    this.ring(r)
      .catch((err: unknown) =>
        this.deps.log.error({ err, interactionId: r.interactionId }, 'agent leg failed'),
      )
      .finally(() => {
        this.ringing.delete(r.reservationId);
        finish();
      });
  }

  private async ring(r: Ringing): Promise<void> {
    const { store, log } = this.deps;
    // The offer is published while the caller's enqueue is still resolving; after one turn of the
    // event loop the IVR call knows the interaction it waits as.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const interaction =
      this.deps.routing.openRecord(r.interactionId) ?? (await store.interactions.byId(r.interactionId));
    const callId = interaction?.metadata.callId;
    const ivr = typeof callId === 'string' ? this.deps.calls.live(callId) : undefined;
    // Not a caller on our line (an API-created voice interaction): the agent desktop handles it.
    if (ivr === undefined || ivr.waitingAs !== r.interactionId) return;
    const handoff = this.handoffs.get(ivr.inbound.callId);
    if (handoff !== undefined && handoff.agentId === r.agentId) {
      this.handoffs.delete(ivr.inbound.callId);
      await this.takeAnswered(r, ivr, handoff.answered);
      return;
    }
    const account = await this.deps.accounts.byAgent(r.agentId);
    if (r.abort.signal.aborted) return;
    const startedAt = this.deps.clock.now();
    const ringOptions = {
      caller: ivr.inbound.caller,
      signal: r.abort.signal,
      onRinging: () =>
        log.info({ interactionId: r.interactionId, agentId: r.agentId }, 'agent phone ringing'),
    };
    const call = await ringAgentPhone(this.deps.phones, r.agentId, account?.username, ringOptions);
    if (call === null) {
      log.info({ interactionId: r.interactionId, agentId: r.agentId }, 'agent has no registered phone');
      if (!r.abort.signal.aborted) await this.reject(r);
      return;
    }
    const outcome = await call.outcome;
    const leg = {
      callId: call.callId,
      target: call.target,
      startedAt,
      to: account?.username ?? '',
      from: ivr.inbound.caller,
    };
    if (outcome.kind !== 'answered') {
      const cause: CdrEndCause =
        outcome.kind === 'refused'
          ? outcome.status === 408 || outcome.status === 480
            ? 'no_answer'
            : 'rejected'
          : r.withdrawn === 'timeout'
            ? 'no_answer'
            : 'cancelled';
      log.info({ interactionId: r.interactionId, agentId: r.agentId, cause }, 'agent leg not answered');
      await this.agentCdr(r, leg, null, cause, null, outcome.status);
      if (outcome.kind === 'refused' && !r.abort.signal.aborted) await this.reject(r);
      return;
    }
    await this.takeAnswered(r, ivr, { ...leg, leg: outcome.leg, answeredAt: this.deps.clock.now() });
  }

  /** The agent's phone is up: the offer is accepted and the caller bridged to it. */
  private async takeAnswered(r: Ringing, ivr: IvrCall, answered: AnsweredLeg): Promise<void> {
    const { log } = this.deps;
    const { leg: agentLeg, ...leg } = answered;
    const cdrLeg = { ...leg, from: ivr.inbound.caller };
    // Listening from the answer on: a BYE that comes while the offer is being accepted still counts.
    let agentHungUp = false;
    agentLeg.onHangup(() => {
      agentHungUp = true;
      const c = this.connected.get(r.interactionId);
      if (c === undefined || c.agent.leg !== agentLeg) return;
      if (this.agentLeaving?.(r.interactionId) === true) return;
      void this.end(c, 'agent_hangup');
    });
    try {
      await this.deps.routing.accept(r.agentId, r.reservationId);
    } catch (err) {
      // The offer ended while the answer was on its way (timeout, caller gone).
      log.info({ err, interactionId: r.interactionId }, 'answered too late: hanging up the agent');
      agentLeg.hangup();
      await this.agentCdr(r, cdrLeg, leg.answeredAt, 'cancelled', null, 200);
      return;
    }
    if (!ivr.takeOver()) {
      agentLeg.hangup();
      await this.agentCdr(r, cdrLeg, leg.answeredAt, 'cancelled', null, 200);
      return;
    }
    await this.connect(r, ivr, agentLeg, leg, () => agentHungUp);
  }

  private async reject(r: Ringing): Promise<void> {
    try {
      await this.deps.routing.reject(r.agentId, r.reservationId);
    } catch (err) {
      // The offer already ended another way; nothing to give back.
      this.deps.log.debug({ err, interactionId: r.interactionId }, 'reject after the offer ended');
    }
  }

  private async connect(
    r: Ringing,
    ivr: IvrCall,
    agentLeg: CallLeg,
    leg: { callId: string; target: string; startedAt: number; answeredAt: number },
    agentGone: () => boolean,
  ): Promise<void> {
    const { store, log } = this.deps;
    const callerLeg = ivr.inbound.leg;
    let recordingId: string | null = randomUUID();
    let bridge: MediaBridge;
    const path = `${this.deps.recordingsDir}/${recordingId}.wav`;
    try {
      bridge = this.deps.media.bridge(callerLeg.media, agentLeg.media, path);
    } catch (err) {
      // A recording that cannot be written must not drop the call: talk unrecorded.
      log.error({ err, interactionId: r.interactionId }, 'recording could not start');
      recordingId = null;
      bridge = this.deps.media.bridge(callerLeg.media, agentLeg.media, null);
    }
    const saved =
      recordingId === null
        ? Promise.resolve()
        : store.voice.insertRecording({
            id: recordingId,
            interactionId: r.interactionId,
            filePath: path,
            startedAt: new Date(leg.answeredAt),
            endedAt: null,
            durationMs: null,
            pauses: [],
          });
    const c: Connected = {
      interactionId: r.interactionId,
      agentId: r.agentId,
      caller: { ivr, leg: callerLeg },
      agent: { leg: agentLeg, ...leg },
      bridge,
      recordingId,
      recordingSaved: saved.catch((err: unknown) => {
        log.error({ err, interactionId: r.interactionId }, 'recording row not written');
        c.recordingId = null;
      }),
      answeredAt: leg.answeredAt,
      ended: false,
    };
    this.connected.set(r.interactionId, c);
    this.deps.control?.attach({
      interactionId: r.interactionId,
      agentId: r.agentId,
      caller: callerLeg,
      agent: agentLeg,
      bridge,
      hangUp: () => this.hangUpFromDesk(c),
    });
    callerLeg.onHangup(() => void this.end(c, 'caller_hangup'));
    agentLeg.onRefer?.((target) =>
      this.referred === null || c.ended
        ? Promise.resolve({ status: 603, reason: 'Decline' })
        : this.referred(r.interactionId, r.agentId, target),
    );
    agentLeg.onLinkChange?.((up) => this.linkChanged(c, up));
    log.info(
      { interactionId: r.interactionId, agentId: r.agentId, recordingId },
      'caller connected to agent',
    );
    if (agentGone()) await this.end(c, 'agent_hangup');
    else await c.recordingSaved;
  }

  /** The agent hangs up from the desk: their phone gets a BYE as well (it did not send one). */
  private async hangUpFromDesk(c: Connected): Promise<void> {
    if (c.ended) return;
    c.agent.leg.hangup();
    await this.end(c, 'agent_hangup');
  }

  /** Either side hung up: the other is hung up, then records, then the interaction completes. */
  private async end(
    c: Connected,
    cause: 'caller_hangup' | 'agent_hangup' | 'shutdown' | 'forced_release',
  ): Promise<void> {
    if (c.ended) return;
    const agentStays = cause === 'caller_hangup' && this.callerLeaving?.(c.interactionId) === true;
    c.ended = true;
    this.connected.delete(c.interactionId);
    this.deps.grace?.cancel(c.interactionId);
    this.deps.control?.detach(c.interactionId);
    if (cause !== 'agent_hangup' && !agentStays) c.agent.leg.hangup();
    if (cause !== 'caller_hangup') c.caller.leg.hangup();
    for (const fn of this.endedListeners) fn(c.interactionId);
    const { log } = this.deps;
    try {
      await this.closeRecording(c);
      const now = new Date(this.deps.clock.now());
      const inbound = c.caller.ivr.inbound;
      const common = {
        agentId: c.agentId,
        interactionId: c.interactionId,
        recordingId: c.recordingId,
        endedAt: now,
        endCause: cause,
      };
      await this.deps.store.voice.insertCdrs([
        {
          id: randomUUID(),
          callId: inbound.callId,
          direction: 'inbound',
          fromAddress: inbound.caller,
          toAddress: inbound.dnis,
          startedAt: new Date(c.caller.ivr.startedAt),
          answeredAt: new Date(c.caller.ivr.startedAt),
          sipStatus: null,
          ...common,
        },
        {
          id: randomUUID(),
          callId: c.agent.callId,
          direction: 'outbound',
          fromAddress: inbound.caller,
          toAddress: c.agent.target,
          startedAt: new Date(c.agent.startedAt),
          answeredAt: new Date(c.agent.answeredAt),
          sipStatus: 200,
          ...common,
        },
      ]);
    } catch (err) {
      log.error({ err, interactionId: c.interactionId }, 'call records failed');
    }
    log.info({ interactionId: c.interactionId, cause }, 'call ended');
    // Completed last: the interaction's final events come after its records.
    await this.deps.routing
      .complete(c.interactionId)
      .catch((err: unknown) => log.warn({ err, interactionId: c.interactionId }, 'complete failed'));
  }

  /**
   * The agent's phone lost (false) or regained (true) its connection: the grace period starts, the
   * caller hears hold music and supervisors are told; or it ends and the call talks again.
   */
  private linkChanged(c: Connected, up: boolean): void {
    if (c.ended) return;
    const { interactionId, agentId } = c;
    const { grace, log, hub, clock } = this.deps;
    if (grace === undefined) {
      if (!up) void this.end(c, 'agent_hangup');
      return;
    }
    const now = clock.now();
    const audience = { staff: true, agentIds: [agentId] };
    if (!up) {
      if (grace.running(interactionId)) return;
      const until = grace.start(interactionId, () => void this.connectionLost(c));
      log.warn({ interactionId, agentId, graceMs: grace.graceMs }, 'agent phone lost its connection');
      void this.deps.control?.connectionHold?.(interactionId, true);
      const data = { interactionId, agentId, until: new Date(until).toISOString() };
      hub.publish('call.reconnecting', data, audience, now);
      this.note(interactionId, agentId, 'connection_lost', { graceSeconds: grace.graceMs / 1000 });
      return;
    }
    if (!grace.cancel(interactionId)) return;
    log.info({ interactionId, agentId }, 'agent phone reconnected');
    void this.deps.control?.connectionHold?.(interactionId, false);
    hub.publish('call.reconnected', { interactionId, agentId }, audience, now);
    this.note(interactionId, agentId, 'reconnected', {});
  }

  /**
   * The grace period ran out: the agent is made not ready (so the caller is not offered straight
   * back to a phone that is gone), the caller waits again in the same queue with their priority and
   * first waiting time (at the front), the agent's leg ends with its CDR (connection_lost), and the
   * interaction completes.
   */
  private async connectionLost(c: Connected): Promise<void> {
    if (c.ended) return;
    const { interactionId, agentId } = c;
    const { store, log, routing, hub, clock } = this.deps;
    c.ended = true;
    this.connected.delete(interactionId);
    this.deps.control?.detach(interactionId);
    for (const fn of this.endedListeners) fn(interactionId);
    log.warn({ interactionId, agentId }, 'agent phone did not come back: the caller is queued again');
    await routing
      .setPresence(agentId, 'not_ready', CONNECTION_LOST_REASON)
      .catch((err: unknown) => log.warn({ err, agentId }, 'agent could not be made not ready'));
    const closed = this.closeRecording(c).catch((err: unknown) =>
      log.warn({ err, interactionId }, 'recording close failed'),
    );
    const original = await store.interactions.byId(interactionId);
    let requeued: string | null = null;
    if (original?.queueId) {
      const place = {
        priority: original.priority,
        queuedAt: original.queuedAt ?? original.createdAt,
        reason: CONNECTION_LOST_REASON,
      };
      requeued = await c.caller.ivr
        .requeue(original.queueId, interactionId, undefined, place)
        .catch((err: unknown) => {
          log.error({ err, interactionId }, 'the caller could not be queued again');
          return null;
        });
    } else {
      c.caller.leg.hangup();
    }
    c.agent.leg.hangup(CONNECTION_LOST_REASON);
    await closed;
    const inbound = c.caller.ivr.inbound;
    await store.voice
      .insertCdrs([
        {
          id: randomUUID(),
          callId: c.agent.callId,
          direction: 'outbound',
          fromAddress: inbound.caller,
          toAddress: c.agent.target,
          agentId,
          interactionId,
          recordingId: c.recordingId,
          startedAt: new Date(c.agent.startedAt),
          answeredAt: new Date(c.agent.answeredAt),
          endedAt: new Date(clock.now()),
          endCause: 'connection_lost',
          sipStatus: 200,
        },
      ])
      .catch((err: unknown) => log.error({ err, interactionId }, 'call records failed'));
    this.note(interactionId, agentId, 'requeued_after_connection_lost', { to: requeued });
    hub.publish(
      'call.reconnect_failed',
      { interactionId, agentId, requeuedAs: requeued },
      { staff: true, agentIds: [agentId] },
      clock.now(),
    );
    await routing
      .complete(interactionId)
      .catch((err: unknown) => log.warn({ err, interactionId }, 'complete failed'));
  }

  /** An event on the interaction's timeline; a failure is only logged. */
  private note(interactionId: string, agentId: string, type: string, details: Record<string, unknown>): void {
    this.deps.store.interactions
      .appendEvents([{ interactionId, at: new Date(this.deps.clock.now()), type, agentId, details }])
      .catch((err: unknown) => this.deps.log.warn({ err, interactionId }, 'event not written'));
  }

  private async closeRecording(c: Connected): Promise<void> {
    const summary = c.bridge.stop();
    await c.recordingSaved;
    if (c.recordingId === null) return;
    await this.deps.store.voice.updateRecording(c.recordingId, {
      endedAt: new Date(this.deps.clock.now()),
      durationMs: summary?.durationMs ?? 0,
      pauses: summary?.pauses ?? [],
    });
  }

  private async agentCdr(
    r: Ringing,
    leg: { callId: string; target: string; startedAt: number; from: string },
    answeredAt: number | null,
    cause: CdrEndCause,
    recordingId: string | null,
    sipStatus: number,
  ): Promise<void> {
    const row: CdrRecord = {
      id: randomUUID(),
      callId: leg.callId,
      direction: 'outbound',
      fromAddress: leg.from,
      toAddress: leg.target,
      agentId: r.agentId,
      interactionId: r.interactionId,
      recordingId,
      startedAt: new Date(leg.startedAt),
      answeredAt: answeredAt === null ? null : new Date(answeredAt),
      endedAt: new Date(this.deps.clock.now()),
      endCause: cause,
      sipStatus,
    };
    await this.deps.store.voice.insertCdrs([row]);
  }
}
