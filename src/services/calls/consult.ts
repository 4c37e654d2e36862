/**
 * Consult transfer and three-way conference. Agent A, on a call, consults agent B: the caller is
 * held (hold music), B's phone rings (SIP or browser, through the AgentPhones port) and on answer A
 * and B talk on a side bridge of their own. Then A completes (the caller is bridged to B as a new
 * interaction assigned to B, A goes to wrap-up), cancels (B is hung up, A and the caller talk again)
 * or makes it a conference (B is mixed into the call's bridge, everyone hears everyone and the
 * recording goes on). In a conference anyone may hang up and the other two stay connected: B
 * leaving gives back the two-way call; A leaving hands the caller to B (as a completed consult);
 * the caller leaving keeps A and B talking until one of them hangs up.
 *
 * B may also be a queue: the consult waits there as an interaction of its own until routing offers
 * it to one of the queue's agents and their phone answers (A hears hold music meanwhile). Or B is
 * an external number called out through the trunk under the dial plan (ExternalCalls): completing
 * then bridges the caller to that number on the same interaction (recorded, caller left, number
 * right) and A goes to wrap-up.
 *
 * Each step is published on the event hub as `call.consult` (to both agents and the team's
 * supervisors) and kept on the interaction's timeline.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../auth/principal.js';
import type { EventHub } from '../events/event-hub.js';
import type { Clock, Logger, Store } from '../ports.js';
import type { CdrEndCause } from '../records.js';
import type { RoutingService } from '../routing/routing-service.js';
import type { AnsweredLeg } from './agent-connector.js';
import type { CallControl } from './call-control.js';
import type { AgentPhones, CallLeg, InboundCall, MediaBridge, MediaChannels } from './ports.js';
import { ringAgentPhone } from './agent-phone.js';
import type { SipAccounts } from './sip-accounts.js';
import type { ExternalCalls } from './external-calls.js';
import type { TrunkCall, TrunkDialOutcome } from './trunk-ports.js';
import type { InteractionDesk } from '../interactions.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import type { OfferCancelReason, RoutingEvent } from '../../domain/routing/types.js';

/** Where a consult stands. */
export type ConsultState = 'ringing' | 'talking' | 'conference';

/** A consult as the API shows it. */
export interface ConsultView {
  interactionId: string;
  fromAgentId: string;
  /** The consulted agent; null when an external number is consulted. */
  toAgentId: string | null;
  /** The consulted number (E.164); null when an agent is consulted. */
  toNumber: string | null;
  /** The queue consulted (its agent, once one answers, is `toAgentId`); null otherwise. */
  toQueueId: string | null;
  state: ConsultState;
}

/** Who is consulted: an agent, a queue (one of its agents), or an external number through the trunk. */
export type ConsultTarget = { agentId: string } | { queueId: string } | { number: string };

/** Why a consult ended (the `call.consult` event with state `ended`). */
export type ConsultEnd =
  'cancelled' | 'completed' | 'not_answered' | 'consulted_hangup' | 'call_ended' | 'handed_to_consulted';

/** The connected calls (the AgentConnector). */
export interface ConsultCalls {
  legs(interactionId: string): { agentId: string; caller: CallLeg; agent: CallLeg; bridge: MediaBridge };
  transferToAgent(interactionId: string, agentId: string, answered?: AnsweredLeg): Promise<string>;
  onCallEnded(fn: (interactionId: string) => void): void;
  agentLeaving: ((interactionId: string) => boolean) | null;
  callerLeaving: ((interactionId: string) => boolean) | null;
  /** Lets go of the caller (A hung up, the interaction to wrap-up), for a completed consult to a number. */
  handOff(interactionId: string): Promise<{ ivr: { inbound: InboundCall; startedAt: number } }>;
}

/** What the service needs. */
export interface ConsultDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  hub: EventHub;
  control: Pick<CallControl, 'hold' | 'resume' | 'holdState'>;
  routing: Pick<RoutingService, 'canOfferTo' | 'accept' | 'reject' | 'complete' | 'endWrapUp' | 'remove'>;
  /** Creates the consult's own interaction in a consulted queue; without it queues get QUEUE_NOT_FOUND. */
  desk?: Pick<InteractionDesk, 'create'>;
  /** Looped to the consulting agent while a consulted queue finds an agent. */
  holdFiles?: string[];
  /** The agents' SIP accounts (a SIP phone is rung by its account). */
  accounts: Pick<SipAccounts, 'byAgent'>;
  /** Calls out through the trunk (consulting a number); without it numbers get TRUNK_UNAVAILABLE. */
  external?: Pick<ExternalCalls, 'allowed' | 'available' | 'dial' | 'connect'>;
}

interface Consult extends ConsultView {
  callerNumber: string;
  abort: AbortController;
  /** B's leg once answered. */
  leg: AnsweredLeg | null;
  /** B's call id and target while ringing (for the CDR of an unanswered consult). */
  ringing: { callId: string; target: string; startedAt: number } | null;
  /** The call out through the trunk, when a number is consulted. */
  trunkCall: TrunkCall | null;
  /** A queue consult's own interaction, routed to one of the queue's agents. */
  queued: { id: string; reservationId: string | null } | null;
  /** A's leg (hears hold music while a consulted queue finds an agent). */
  agentLeg: CallLeg;
  music: boolean;
  /** A and B talking while the caller holds. */
  side: MediaBridge | null;
  /** The consult put the caller on hold (and takes it off again). */
  heldByUs: boolean;
  /** The caller is being handed to B: the old call's end is not the consult's. */
  handingOver: boolean;
  teamId: string | null;
  actor: Principal;
}

/** See the file comment. */
export class Consultations {
  private calls: { calls: ConsultCalls; phones: AgentPhones; media: Pick<MediaChannels, 'bridge'> } | null =
    null;
  private readonly consults = new Map<string, Consult>();
  /** Queue consults by their own interaction's id. */
  private readonly byQueued = new Map<string, Consult>();
  /** Offers of queue consults whose agent's phone rings, by reservation. */
  private readonly offers = new Map<string, AbortController>();
  /**
   * Offers routing made while a queue consult's interaction was still being created: with an
   * agent of the queue available, the offer comes before `create` returns (and before `byQueued`
   * knows the id), so it waits here to be rung once it does.
   */
  private readonly early = new Map<string, Extract<RoutingEvent, { type: 'offer' }>>();
  private creating = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: ConsultDeps) {}

  /** Called by main.ts once the call side runs (null when it stops). */
  attach(
    calls: { calls: ConsultCalls; phones: AgentPhones; media: Pick<MediaChannels, 'bridge'> } | null,
  ): void {
    if (calls === null) {
      for (const c of [...this.consults.values()]) this.finish(c, 'call_ended');
      this.unsubscribe?.();
      this.unsubscribe = null;
    } else {
      this.unsubscribe?.();
      this.unsubscribe = this.deps.hub.subscribe((e) => {
        if (e.type === 'offer') this.offered(e.data as Extract<RoutingEvent, { type: 'offer' }>);
        else if (e.type === 'offer.cancelled') {
          const d = e.data as { reservationId: string; reason: OfferCancelReason };
          this.offers.get(d.reservationId)?.abort();
        }
      });
      calls.calls.onCallEnded((id) => {
        const c = this.consults.get(id);
        // A completed consult or a conference the caller left ends elsewhere.
        if (c !== undefined && !c.handingOver) this.finish(c, 'call_ended');
      });
      calls.calls.agentLeaving = (id) => this.agentLeft(id);
      calls.calls.callerLeaving = (id) => this.callerLeft(id);
    }
    this.calls = calls;
  }

  /** The agents who could be consulted or transferred to now (available, not the one on the call). */
  async candidates(actor: Principal, interactionId: string): Promise<{ id: string; displayName: string }[]> {
    await this.deps.control.holdState(actor, interactionId);
    const onCall = this.calls?.calls.legs(interactionId).agentId;
    return (await this.deps.store.agents.list())
      .filter((a) => a.id !== onCall && this.deps.routing.canOfferTo(a.id, 'voice'))
      .map((a) => ({ id: a.id, displayName: a.displayName }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  /** The interaction's consult now (CONSULT_NOT_ACTIVE when none). */
  async current(actor: Principal, interactionId: string): Promise<ConsultView> {
    await this.deps.control.holdState(actor, interactionId);
    return view(this.consult(interactionId));
  }

  /**
   * Holds the caller and rings agent `toAgentId`'s phone (logged in and available, with a phone,
   * else AGENT_NOT_AVAILABLE), or calls a number out through the trunk (the dial plan first:
   * DIAL_PLAN_REFUSED / PHONE_NUMBER_INVALID leave the call as it was; TRUNK_UNAVAILABLE without a
   * trunk); on answer A talks to them. Resolves once the phone rings (the INVITE is sent).
   */
  async start(actor: Principal, interactionId: string, to: ConsultTarget): Promise<ConsultView> {
    // Who may: the agent on the call or a supervisor (CALL_NOT_CONNECTED, AUTH_FORBIDDEN, NOT_FOUND).
    const hold = await this.deps.control.holdState(actor, interactionId);
    const calls = this.calls;
    if (calls === null) throw new DomainError('CALL_NOT_CONNECTED', 'No call is connected now.');
    if (this.consults.has(interactionId)) {
      throw new DomainError('CONSULT_ACTIVE', 'This call already has a consult or conference under way.');
    }
    const legs = calls.calls.legs(interactionId);
    const toAgentId = 'agentId' in to ? to.agentId : null;
    const toQueueId = 'queueId' in to ? to.queueId : null;
    const unavailable = (): DomainError =>
      new DomainError('AGENT_NOT_AVAILABLE', 'That agent is not logged in and available with a phone now.', {
        agentId: toAgentId,
      });
    let toNumber: string | null = null;
    const external = this.deps.external;
    if (toAgentId !== null) {
      if (toAgentId === legs.agentId || !this.deps.routing.canOfferTo(toAgentId, 'voice'))
        throw unavailable();
    } else if (toQueueId !== null) {
      if (this.deps.desk === undefined || !(await this.deps.store.queues.byId(toQueueId))) {
        throw new DomainError('QUEUE_NOT_FOUND', 'No such queue.');
      }
    } else {
      if (external === undefined) {
        throw new DomainError('TRUNK_UNAVAILABLE', 'Calls out need SIP enabled and an outbound trunk.');
      }
      toNumber = external.allowed((to as { number: string }).number);
      if (!external.available) {
        throw new DomainError('TRUNK_UNAVAILABLE', 'Calls out need SIP enabled and an outbound trunk.');
      }
    }
    const from = await this.deps.store.agents.byId(legs.agentId);
    const interaction = await this.deps.store.interactions.byId(interactionId);
    const c: Consult = {
      interactionId,
      fromAgentId: legs.agentId,
      toAgentId,
      toNumber,
      toQueueId,
      state: 'ringing',
      callerNumber: interaction?.fromAddress ?? '',
      abort: new AbortController(),
      leg: null,
      ringing: null,
      trunkCall: null,
      queued: null,
      agentLeg: legs.agent,
      music: false,
      side: null,
      heldByUs: !hold.heldBy.includes('api'),
      handingOver: false,
      teamId: from?.teamId ?? null,
      actor,
    };
    this.consults.set(interactionId, c);
    try {
      if (c.heldByUs) await this.deps.control.hold(actor, interactionId);
      const startedAt = this.deps.clock.now();
      if (toQueueId !== null) {
        await this.queue(c, toQueueId);
      } else if (toNumber !== null) {
        const call = await external!.dial(toNumber, c.abort.signal, () =>
          this.deps.log.info({ interactionId }, 'consulted number ringing'),
        );
        c.trunkCall = call;
        c.ringing = { callId: call.callId, target: call.target, startedAt };
        void call.outcome.then(
          (outcome) => this.answered(c, outcome.kind === 'answered' ? outcome.leg : null, trunkEnd(outcome)),
          (err: unknown) => {
            this.deps.log.error({ err, interactionId }, 'consult call out failed');
            this.finish(c, 'not_answered');
          },
        );
      } else {
        const account = await this.deps.accounts.byAgent(toAgentId!);
        const call = await ringAgentPhone(calls.phones, toAgentId!, account?.username, {
          caller: c.callerNumber,
          signal: c.abort.signal,
          onRinging: () =>
            this.deps.log.info({ interactionId, toAgentId }, 'consulted agent’s phone ringing'),
        });
        if (call === null) throw unavailable();
        c.ringing = { callId: call.callId, target: call.target, startedAt };
        void call.outcome.then(
          (outcome) => this.answered(c, outcome.kind === 'answered' ? outcome.leg : null, ringEnd(outcome)),
          (err: unknown) => {
            this.deps.log.error({ err, interactionId }, 'consult leg failed');
            this.finish(c, 'not_answered');
          },
        );
      }
    } catch (err) {
      this.consults.delete(interactionId);
      this.stopMusic(c);
      if (c.heldByUs) await this.deps.control.resume(actor, interactionId).catch(() => undefined);
      throw err;
    }
    this.publish(c, { state: 'ringing' });
    this.note(c, 'consult_started', {});
    return view(c);
  }

  /** Ends the consult: B is hung up (or stops ringing) and A and the caller talk again. */
  async cancel(actor: Principal, interactionId: string): Promise<void> {
    await this.deps.control.holdState(actor, interactionId);
    const c = this.consult(interactionId);
    if (c.state === 'conference') {
      throw new DomainError('CONSULT_STATE_INVALID', 'A conference is not cancelled: the agent hangs up.');
    }
    this.finish(c, 'cancelled');
  }

  /**
   * Completes a consult transfer: the caller is bridged to B as a new interaction assigned to B
   * (metadata.transferredFrom), A's leg is hung up and A goes to wrap-up. Resolves with the new id.
   */
  async complete(
    actor: Principal,
    interactionId: string,
  ): Promise<{ interactionId: string; transferredFrom: string; number?: string }> {
    await this.deps.control.holdState(actor, interactionId);
    const c = this.consult(interactionId);
    if (c.leg === null) {
      throw new DomainError('CONSULT_STATE_INVALID', 'The consulted party has not answered yet.');
    }
    const next = await this.handOver(c, 'completed');
    return {
      interactionId: next,
      transferredFrom: interactionId,
      ...(c.toNumber === null ? {} : { number: c.toNumber }),
    };
  }

  /** Joins B into the call: all three hear each other, and the call's recording goes on. */
  async conference(actor: Principal, interactionId: string): Promise<ConsultView> {
    await this.deps.control.holdState(actor, interactionId);
    const c = this.consult(interactionId);
    const calls = this.calls;
    if (c.leg === null || c.state !== 'talking' || calls === null) {
      throw new DomainError(
        'CONSULT_STATE_INVALID',
        'Only a consult whose agent answered can become a conference.',
      );
    }
    const { bridge } = calls.calls.legs(interactionId);
    if (bridge.mixMode !== null) {
      throw new DomainError('SUPERVISION_ACTIVE', 'A supervisor is mixed into this call; they leave first.');
    }
    c.side?.stop();
    c.side = null;
    c.state = 'conference';
    bridge.join(c.leg.leg.media, 'conference');
    if (c.heldByUs) {
      c.heldByUs = false;
      await this.deps.control.resume(actor, interactionId);
    }
    this.deps.log.info({ interactionId }, 'conference started');
    this.publish(c, { state: 'conference' });
    this.note(c, 'conference_started', {});
    return view(c);
  }

  /** A and B left talking after the caller hung up in a conference. */
  private readonly pairs = new Set<Consult>();

  private answered(
    c: Consult,
    leg: CallLeg | null,
    end: { cause: CdrEndCause; status: number | null },
  ): void {
    const live = this.consults.get(c.interactionId) === c;
    if (leg === null || !live || this.calls === null) {
      leg?.hangup();
      if (c.ringing !== null) this.cdr(c, { ...c.ringing, answeredAt: null }, end.cause, end.status);
      if (live) this.finish(c, 'not_answered', false, leg === null ? { cause: end.cause } : {});
      return;
    }
    const ringing = c.ringing!;
    this.stopMusic(c);
    c.leg = { leg, ...ringing, answeredAt: this.deps.clock.now() };
    c.state = 'talking';
    const { agent } = this.calls.calls.legs(c.interactionId);
    c.side = this.calls.media.bridge(agent.media, leg.media, null);
    leg.onHangup(() => this.consultedHungUp(c));
    this.deps.log.info({ interactionId: c.interactionId }, 'consult connected');
    this.publish(c, { state: 'talking' });
  }

  /** B hung up: a consult ends (A and the caller talk again), a conference goes on two-way. */
  private consultedHungUp(c: Consult): void {
    if (this.pairs.has(c)) {
      this.endPair(c, 'consulted_hangup');
      return;
    }
    if (this.consults.get(c.interactionId) !== c) return;
    if (c.state === 'conference') this.calls?.calls.legs(c.interactionId).bridge.leave();
    this.finish(c, 'consulted_hangup', true);
  }

  /** A hung up: in a conference the caller goes on with B (as a completed consult). */
  private agentLeft(interactionId: string): boolean {
    const c = this.consults.get(interactionId);
    if (c === undefined || c.state !== 'conference' || c.leg === null) return false;
    this.handOver(c, 'handed_to_consulted').catch((err: unknown) =>
      this.deps.log.error({ err, interactionId }, 'hand-over to the consulted agent failed'),
    );
    return true;
  }

  /** The caller hung up: in a conference A and B keep talking (the caller's call ends). */
  private callerLeft(interactionId: string): boolean {
    const c = this.consults.get(interactionId);
    const calls = this.calls;
    if (c === undefined || c.state !== 'conference' || c.leg === null || calls === null) return false;
    const { bridge, agent } = calls.calls.legs(interactionId);
    bridge.leave();
    c.side = calls.media.bridge(agent.media, c.leg.leg.media, null);
    this.pairs.add(c);
    this.consults.delete(interactionId);
    agent.onHangup(() => this.endPair(c, 'call_ended'));
    this.publish(c, { state: 'talking', callerLeft: true });
    return true;
  }

  private endPair(c: Consult, why: ConsultEnd): void {
    if (!this.pairs.delete(c)) return;
    void this.closeQueued(c);
    c.side?.stop();
    c.side = null;
    const legs = c.leg;
    if (legs !== null) {
      legs.leg.hangup();
      this.cdr(c, legs, why === 'consulted_hangup' ? 'agent_hangup' : 'caller_hangup', 200);
    }
    this.publish(c, { state: 'ended', reason: why });
  }

  private async handOver(c: Consult, why: 'completed' | 'handed_to_consulted'): Promise<string> {
    const calls = this.calls;
    const leg = c.leg;
    if (calls === null || leg === null)
      throw new DomainError('CALL_NOT_CONNECTED', 'No call is connected now.');
    c.handingOver = true;
    let next: string;
    try {
      // The consulted agent is free of the consult's own interaction before the caller is offered to them.
      await this.closeQueued(c);
      next =
        c.toAgentId !== null
          ? await calls.calls.transferToAgent(c.interactionId, c.toAgentId, leg)
          : await this.bridgeToNumber(c, calls.calls, leg);
    } catch (err) {
      c.handingOver = false;
      throw err;
    }
    c.side?.stop();
    c.side = null;
    if (this.consults.get(c.interactionId) === c) this.consults.delete(c.interactionId);
    this.deps.log.info({ interactionId: c.interactionId, next, why }, 'caller handed to the consulted agent');
    this.publish(c, { state: 'ended', reason: why, next });
    this.note(c, why === 'completed' ? 'consult_completed' : 'conference_handed_over', { to: next });
    return next;
  }

  /**
   * The caller is bridged to the consulted number on the same interaction, recorded (caller left,
   * number right); A's leg is let go (CDR transferred) and the interaction goes to wrap-up.
   */
  private async bridgeToNumber(c: Consult, calls: ConsultCalls, leg: AnsweredLeg): Promise<string> {
    const external = this.deps.external;
    const trunkCall = c.trunkCall;
    if (external === undefined || trunkCall === null) {
      throw new DomainError('TRUNK_UNAVAILABLE', 'Calls out need SIP enabled and an outbound trunk.');
    }
    c.side?.stop();
    c.side = null;
    const { ivr } = await calls.handOff(c.interactionId);
    const caller = ivr.inbound;
    // The hold music the consult started is the call control's, which let go of the call.
    caller.leg.stopPlayback();
    external.connect({
      near: {
        leg: caller.leg,
        callId: caller.callId,
        direction: 'inbound',
        from: caller.caller,
        to: caller.dnis,
        agentId: null,
        startedAt: ivr.startedAt,
        answeredAt: ivr.startedAt,
      },
      call: trunkCall,
      external: leg.leg,
      startedAt: leg.startedAt,
      answeredAt: leg.answeredAt,
      interactionId: c.interactionId,
      agentId: null,
      record: true,
      externalIsCustomer: false,
      externalRole: 'consulted',
      nearCause: 'caller_hangup',
      externalCause: 'callee_hangup',
    });
    return c.interactionId;
  }

  /** Ends a consult: B hung up or cancelled, the side bridge gone, the caller's hold taken off. */
  private finish(
    c: Consult,
    why: ConsultEnd,
    consultedGone = false,
    details: { cause?: CdrEndCause } = {},
  ): void {
    if (this.consults.get(c.interactionId) !== c) return;
    this.consults.delete(c.interactionId);
    c.abort.abort();
    this.stopMusic(c);
    void this.closeQueued(c);
    c.side?.stop();
    c.side = null;
    if (c.leg !== null) {
      if (!consultedGone) c.leg.leg.hangup();
      this.cdr(c, c.leg, consultedGone ? 'agent_hangup' : 'cancelled', 200);
    }
    if (c.heldByUs && why !== 'call_ended') {
      this.deps.control
        .resume(c.actor, c.interactionId)
        .catch((err: unknown) => this.deps.log.debug({ err }, 'resume after a consult'));
    }
    this.deps.log.info({ interactionId: c.interactionId, why }, 'consult ended');
    this.publish(c, { state: 'ended', reason: why, ...details });
    this.note(c, 'consult_ended', { reason: why, ...details });
  }

  /**
   * A queue consult: its own interaction waits in the queue (routing offers it to an agent with
   * the queue's skills, whose phone `offered` rings) while A hears hold music.
   */
  private async queue(c: Consult, queueId: string): Promise<void> {
    this.creating++;
    let interaction;
    try {
      ({ interaction } = await this.deps.desk!.create(SYSTEM_ACTOR, {
        channel: 'voice',
        queueId,
        from: c.callerNumber,
        subject: 'Consult',
        metadata: { consultFor: c.interactionId, fromAgentId: c.fromAgentId },
        // The caller is on the line already: a consult is not refused for the hour.
        ignoreBusinessHours: true,
      }));
    } finally {
      this.creating--;
    }
    c.queued = { id: interaction.id, reservationId: null };
    this.byQueued.set(interaction.id, c);
    const early = this.early.get(interaction.id);
    this.early.delete(interaction.id);
    // Offers of other interactions are not consults: forget them once no consult is being created.
    if (this.creating === 0) this.early.clear();
    const files = this.deps.holdFiles ?? [];
    if (files.length > 0) {
      c.agentLeg.play(files, { loop: true, onEnd: () => undefined });
      c.music = true;
    }
    this.deps.log.info({ interactionId: c.interactionId, queueId }, 'consult waiting in a queue');
    if (early !== undefined) this.offered(early);
  }

  /** Routing offered a queue consult to an agent: their phone rings; an answer accepts the offer. */
  private offered(o: Extract<RoutingEvent, { type: 'offer' }>): void {
    const c = this.byQueued.get(o.interactionId);
    if (c === undefined && this.creating > 0) this.early.set(o.interactionId, o);
    const calls = this.calls;
    if (c === undefined || calls === null || c.leg !== null) return;
    const ring = new AbortController();
    const stop = (): void => ring.abort();
    c.abort.signal.addEventListener('abort', stop, { once: true });
    this.offers.set(o.reservationId, ring);
    const { routing, log, accounts, clock } = this.deps;
    const give = (): Promise<void> =>
      ring.signal.aborted
        ? Promise.resolve()
        : routing
            .reject(o.agentId, o.reservationId)
            .catch((err: unknown) => log.debug({ err }, 'consult reject'));
    const run = async (): Promise<void> => {
      const account = await accounts.byAgent(o.agentId);
      const startedAt = clock.now();
      const call = await ringAgentPhone(calls.phones, o.agentId, account?.username, {
        caller: c.callerNumber,
        signal: ring.signal,
        onRinging: () =>
          log.info({ interactionId: c.interactionId, toAgentId: o.agentId }, 'queue consult ringing'),
      });
      if (call === null) return give();
      const outcome = await call.outcome;
      const leg = { callId: call.callId, target: call.target, startedAt };
      if (outcome.kind !== 'answered') {
        this.cdr(
          { ...c, toAgentId: o.agentId },
          { ...leg, answeredAt: null },
          ringEnd(outcome).cause,
          outcome.status,
        );
        return give();
      }
      const q = c.queued;
      try {
        await routing.accept(o.agentId, o.reservationId);
      } catch (err) {
        log.info({ err, interactionId: c.interactionId }, 'queue consult answered too late');
        outcome.leg.hangup();
        this.cdr({ ...c, toAgentId: o.agentId }, { ...leg, answeredAt: clock.now() }, 'cancelled', 200);
        return;
      }
      if (q === null || c.queued !== q || this.consults.get(c.interactionId) !== c) {
        // The consult ended while the answer was on its way: the consulted agent is let go at once.
        outcome.leg.hangup();
        this.cdr({ ...c, toAgentId: o.agentId }, { ...leg, answeredAt: clock.now() }, 'cancelled', 200);
        await routing.complete(o.interactionId).then(() => routing.endWrapUp(o.interactionId));
        return;
      }
      q.reservationId = o.reservationId;
      c.toAgentId = o.agentId;
      c.ringing = leg;
      this.answered(c, outcome.leg, { cause: 'cancelled', status: 200 });
    };
    run()
      .catch((err: unknown) => log.error({ err, interactionId: c.interactionId }, 'queue consult leg failed'))
      .finally(() => {
        this.offers.delete(o.reservationId);
        c.abort.signal.removeEventListener('abort', stop);
      });
  }

  /** A queue consult's own interaction ends: taken out of the queue, or completed with no wrap-up. */
  private async closeQueued(c: Consult): Promise<void> {
    const q = c.queued;
    if (q === null) return;
    c.queued = null;
    this.byQueued.delete(q.id);
    const { routing, log } = this.deps;
    try {
      if (q.reservationId === null) await routing.remove(q.id);
      else {
        await routing.complete(q.id);
        await routing.endWrapUp(q.id);
      }
    } catch (err) {
      log.warn({ err, interactionId: q.id }, 'queue consult interaction not closed');
    }
  }

  private stopMusic(c: Consult): void {
    if (!c.music) return;
    c.music = false;
    c.agentLeg.stopPlayback();
  }

  private consult(interactionId: string): Consult {
    const c = this.consults.get(interactionId);
    if (c === undefined) throw new DomainError('CONSULT_NOT_ACTIVE', 'This call has no consult under way.');
    return c;
  }

  private publish(c: Consult, data: Record<string, unknown>): void {
    this.deps.hub.publish(
      'call.consult',
      {
        interactionId: c.interactionId,
        fromAgentId: c.fromAgentId,
        toAgentId: c.toAgentId,
        toNumber: c.toNumber,
        toQueueId: c.toQueueId,
        ...data,
      },
      {
        agentIds: c.toAgentId === null ? [c.fromAgentId] : [c.fromAgentId, c.toAgentId],
        ...(c.teamId === null ? {} : { teamIds: [c.teamId] }),
      },
      this.deps.clock.now(),
    );
  }

  /** The consulted agent's leg, under the consulting interaction. */
  private cdr(
    c: Consult,
    leg: { callId: string; target: string; startedAt: number; answeredAt: number | null },
    cause: CdrEndCause,
    sipStatus: number | null,
  ): void {
    this.deps.store.voice
      .insertCdrs([
        {
          id: randomUUID(),
          callId: leg.callId,
          direction: 'outbound',
          fromAddress: c.trunkCall?.callerId ?? c.callerNumber,
          toAddress: leg.target,
          agentId: c.toAgentId,
          interactionId: c.interactionId,
          recordingId: null,
          startedAt: new Date(leg.startedAt),
          answeredAt: leg.answeredAt === null ? null : new Date(leg.answeredAt),
          endedAt: new Date(this.deps.clock.now()),
          endCause: cause,
          sipStatus,
          role: 'consulted',
        },
      ])
      .catch((err: unknown) =>
        this.deps.log.error({ err, interactionId: c.interactionId }, 'consult CDR failed'),
      );
  }

  /** Kept on the interaction's timeline; failures are only logged. */
  private note(c: Consult, type: string, details: Record<string, unknown>): void {
    this.deps.store.interactions
      .appendEvents([
        {
          interactionId: c.interactionId,
          at: new Date(this.deps.clock.now()),
          type,
          agentId: c.fromAgentId,
          // The number itself is not kept on the timeline (the CDR has it).
          details: {
            ...(c.toNumber !== null ? { to: 'number' } : { toAgentId: c.toAgentId }),
            ...(c.toQueueId === null ? {} : { toQueueId: c.toQueueId }),
            ...details,
          },
        },
      ])
      .catch((err: unknown) =>
        this.deps.log.warn({ err, interactionId: c.interactionId }, 'consult event not written'),
      );
  }
}

function view(c: Consult): ConsultView {
  return {
    interactionId: c.interactionId,
    fromAgentId: c.fromAgentId,
    toAgentId: c.toAgentId,
    toNumber: c.toNumber,
    toQueueId: c.toQueueId,
    state: c.state,
  };
}

/** The CDR cause and status of an agent phone's ringing that did not end in an answer. */
function ringEnd(outcome: { kind: string; status?: number }): { cause: CdrEndCause; status: number | null } {
  const cause: CdrEndCause =
    outcome.kind === 'refused'
      ? outcome.status === 486 || outcome.status === 603
        ? 'rejected'
        : 'no_answer'
      : 'cancelled';
  return { cause, status: outcome.status ?? null };
}

/** The same for a call out through the trunk (busy, no answer, refused, unreachable, cancelled). */
function trunkEnd(outcome: TrunkDialOutcome): { cause: CdrEndCause; status: number | null } {
  return outcome.kind === 'failed'
    ? { cause: outcome.cause, status: outcome.status }
    : { cause: 'cancelled', status: 200 };
}
