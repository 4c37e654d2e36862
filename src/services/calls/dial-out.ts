/**
 * Dial-out (POST /api/calls): agent first. The agent's phone (SIP or browser, through the
 * AgentPhones port) rings; once the agent answers, the customer's number is rung through the trunk
 * (the agent hears silence meanwhile); once the customer answers both are bridged and recorded in
 * stereo (customer left, agent right). The call is an outbound voice interaction assigned to the
 * agent from the start (metadata.direction outbound, the customer matched by number); a hang-up on
 * either side ends it, CDRs for both legs are written, and the agent goes to wrap-up. A call that
 * does not come up ends the interaction too, with its cause in metadata.dialOut.cause and an event.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../auth/principal.js';
import type { CustomerBook } from '../customers.js';
import type { Clock, Logger, Store } from '../ports.js';
import type { CdrEndCause } from '../records.js';
import type { RoutingService } from '../routing/routing-service.js';
import type { CallControl } from './call-control.js';
import type { ExternalCalls } from './external-calls.js';
import type { AgentCall, AgentPhones, CallLeg } from './ports.js';
import type { TrunkCall } from './trunk-ports.js';
import { ringAgentPhone } from './agent-phone.js';
import type { SipAccounts } from './sip-accounts.js';

/** What dial-out needs. */
export interface DialOutDeps {
  store: Store;
  routing: Pick<RoutingService, 'assign' | 'complete' | 'engine'>;
  customers: Pick<CustomerBook, 'get' | 'byNumber'>;
  external: ExternalCalls;
  clock: Clock;
  log: Logger;
  /** The agents' SIP accounts (a SIP phone is rung by its account). */
  accounts: Pick<SipAccounts, 'byAgent'>;
  /** Hold and digits on the bridged call. */
  control?: Pick<CallControl, 'attach' | 'detach'>;
}

/** A dial-out request. */
export interface DialOutInput {
  to: string;
  /** Supervisors and admins may place the call for another agent; default the caller's own. */
  agentId?: string;
  customerId?: string;
  /** The queue the interaction is filed under (statistics, wrap-up time); default the first queue. */
  queueId?: string;
}

/** Why a dial-out ended before the customer talked. */
export type DialOutCause =
  | 'agent_no_answer'
  | 'agent_rejected'
  | 'agent_hangup'
  | 'busy'
  | 'no_answer'
  | 'rejected'
  | 'unreachable'
  | 'cancelled';

/**
 * Places agent-first outbound calls; see the file comment.
 * @example const { interactionId } = await dialOut.start(principal, { to: '+12025550143' });
 */
export class DialOut {
  /** Set by main.ts once SIP runs (null: dial-out answers TRUNK_UNAVAILABLE). */
  phones: AgentPhones | null = null;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: DialOutDeps) {}

  /** Checks everything that can be checked at once, rings the agent, answers with the interaction. */
  async start(actor: Principal, input: DialOutInput): Promise<{ interactionId: string }> {
    const { store, routing, external } = this.deps;
    const own = actor.kind === 'user' ? actor.agentId : null;
    const agentId = input.agentId ?? own;
    if (agentId === null || agentId === undefined) {
      throw new DomainError('VALIDATION_FAILED', 'Name the agent who places the call.', { path: '/agentId' });
    }
    if (actor.kind === 'user' && actor.role === 'agent' && agentId !== own) {
      throw new DomainError('AUTH_FORBIDDEN', 'Agents place calls for themselves only.');
    }
    const number = external.allowed(input.to);
    const phones = this.phones;
    if (!external.available || phones === null) {
      throw new DomainError('TRUNK_UNAVAILABLE', 'Calls out need SIP enabled and an outbound trunk.');
    }
    if (!routing.engine.hasAgent(agentId)) throw new DomainError('AGENT_NOT_FOUND', 'No such agent.');
    const view = routing.engine.agentState(agentId);
    if (view.presence === 'logged_out') {
      throw new DomainError('AGENT_STATE_INVALID', 'The agent is not logged in.');
    }
    if (view.work.some((w) => w.channel === 'voice' && w.phase !== 'wrap_up')) {
      throw new DomainError('AGENT_BUSY', 'The agent is on another call.');
    }
    const queueId = input.queueId ?? (await store.queues.list())[0]?.id;
    if (queueId === undefined) throw new DomainError('QUEUE_NOT_FOUND', 'Create a queue first.');
    const customer = input.customerId
      ? await this.deps.customers.get(input.customerId)
      : await this.deps.customers.byNumber(number);
    const account = await this.deps.accounts.byAgent(agentId);
    const abort = new AbortController();
    const ringStarted = this.deps.clock.now();
    const agentCall = await ringAgentPhone(phones, agentId, account?.username, {
      caller: number,
      signal: abort.signal,
      onRinging: () => undefined,
    });
    if (agentCall === null) {
      throw new DomainError('AGENT_PHONE_UNAVAILABLE', 'The agent has no phone registered or connected.');
    }
    const at = new Date(ringStarted);
    let interactionId: string;
    try {
      const row = await routing.assign(
        {
          id: randomUUID(),
          channel: 'voice',
          direction: 'outbound',
          customerId: customer?.id ?? null,
          queueId,
          priority: 0,
          vip: customer?.vip ?? false,
          status: 'queued',
          outcome: null,
          agentId: null,
          subject: null,
          fromAddress: number,
          metadata: { direction: 'outbound', to: number, dialOut: { state: 'ringing_agent' } },
          wrapUpCode: null,
          wrapUpNotes: null,
          idempotencyKey: null,
          createdAt: at,
          queuedAt: at,
          offeredAt: null,
          acceptedAt: null,
          endedAt: null,
          wrapUpEndedAt: null,
        },
        agentId,
      );
      interactionId = row.id;
    } catch (err) {
      abort.abort();
      throw err;
    }
    this.deps.log.info({ interactionId, agentId }, 'dial-out: ringing the agent');
    const run = this.run({ interactionId, agentId, number, agentCall, abort, ringStarted }).catch(
      (err: unknown) => this.deps.log.error({ err, interactionId }, 'dial-out failed'),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return { interactionId };
  }

  /** Waits for dial-outs in progress (shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.running]);
  }

  private async run(o: {
    interactionId: string;
    agentId: string;
    number: string;
    agentCall: AgentCall;
    abort: AbortController;
    ringStarted: number;
  }): Promise<void> {
    const { external, clock } = this.deps;
    const { interactionId, agentId, agentCall } = o;
    const ringing = await agentCall.outcome;
    const agentLeg = {
      callId: agentCall.callId,
      target: agentCall.target,
      startedAt: o.ringStarted,
    };
    if (ringing.kind !== 'answered') {
      const cause: DialOutCause =
        ringing.kind === 'refused' && ringing.status !== 408 && ringing.status !== 480
          ? 'agent_rejected'
          : 'agent_no_answer';
      await this.agentCdr(
        o,
        agentLeg,
        null,
        cause === 'agent_rejected' ? 'rejected' : 'no_answer',
        ringing.status,
      );
      return this.fail(o, cause);
    }
    const leg: CallLeg = ringing.leg;
    const answeredAt = clock.now();
    await this.note(interactionId, 'ringing_customer', null);
    // The agent hanging up while the customer's number rings gives the call up (CANCEL).
    const dialAbort = new AbortController();
    let agentGone = false;
    leg.onHangup(() => {
      agentGone = true;
      dialAbort.abort();
    });
    let call: TrunkCall;
    try {
      call = await external.dial(o.number, dialAbort.signal);
    } catch (err) {
      this.deps.log.error({ err, interactionId }, 'dial-out: the trunk refused');
      leg.hangup();
      await this.agentCdr(o, agentLeg, answeredAt, 'unreachable', 200);
      return this.fail(o, 'unreachable');
    }
    const dialStarted = clock.now();
    const outcome = await call.outcome;
    if (outcome.kind !== 'answered' || agentGone) {
      if (outcome.kind === 'answered') outcome.leg.hangup();
      const cause = outcome.kind === 'failed' ? outcome.cause : 'cancelled';
      const status = outcome.kind === 'failed' ? outcome.status : 200;
      await external.failed(call, { startedAt: dialStarted, cause, status, agentId, interactionId });
      if (!agentGone) leg.hangup();
      await this.agentCdr(o, agentLeg, answeredAt, agentGone ? 'agent_hangup' : cause, 200);
      return this.fail(o, agentGone ? 'agent_hangup' : cause);
    }
    const bridged = external.connect({
      near: {
        leg,
        callId: agentCall.callId,
        direction: 'outbound',
        from: call.callerId,
        to: agentCall.target,
        agentId,
        startedAt: o.ringStarted,
        answeredAt,
      },
      call,
      external: outcome.leg,
      startedAt: dialStarted,
      answeredAt: clock.now(),
      interactionId,
      agentId,
      record: true,
      externalIsCustomer: true,
      nearCause: 'agent_hangup',
      externalCause: 'callee_hangup',
    });
    this.deps.control?.attach({
      interactionId,
      agentId,
      caller: outcome.leg,
      agent: leg,
      bridge: bridged.bridge,
      hangUp: () => bridged.end('agent_hangup'),
    });
    await this.note(interactionId, 'connected', null);
    this.deps.log.info({ interactionId, agentId }, 'dial-out: customer connected');
    const cause = await bridged.ended;
    this.deps.control?.detach(interactionId);
    await this.note(interactionId, 'ended', cause);
    await this.deps.routing
      .complete(interactionId)
      .catch((err: unknown) => this.deps.log.warn({ err, interactionId }, 'complete failed'));
  }

  /** The call did not come up: the cause is kept and the interaction completes (wrap-up). */
  private async fail(o: { interactionId: string }, cause: DialOutCause): Promise<void> {
    this.deps.log.info({ interactionId: o.interactionId, cause }, 'dial-out did not connect');
    await this.note(o.interactionId, 'failed', cause);
    await this.deps.routing
      .complete(o.interactionId)
      .catch((err: unknown) =>
        this.deps.log.warn({ err, interactionId: o.interactionId }, 'complete failed'),
      );
  }

  /** metadata.dialOut = { state, cause } and a `dial_out` event. */
  private async note(interactionId: string, state: string, cause: string | null): Promise<void> {
    const { store, clock, log } = this.deps;
    try {
      const row = await store.interactions.byId(interactionId);
      const dialOut = { state, ...(cause === null ? {} : { cause }) };
      await store.interactions.update(interactionId, { metadata: { ...(row?.metadata ?? {}), dialOut } });
      await store.interactions.appendEvents([
        { interactionId, at: new Date(clock.now()), type: 'dial_out', agentId: null, details: dialOut },
      ]);
    } catch (err) {
      log.warn({ err, interactionId }, 'dial-out state not written');
    }
  }

  private async agentCdr(
    o: { interactionId: string; agentId: string; number: string },
    leg: { callId: string; target: string; startedAt: number },
    answeredAt: number | null,
    cause: CdrEndCause,
    sipStatus: number,
  ): Promise<void> {
    await this.deps.store.voice
      .insertCdrs([
        {
          id: randomUUID(),
          callId: leg.callId,
          direction: 'outbound',
          fromAddress: o.number,
          toAddress: leg.target,
          agentId: o.agentId,
          interactionId: o.interactionId,
          recordingId: null,
          startedAt: new Date(leg.startedAt),
          answeredAt: answeredAt === null ? null : new Date(answeredAt),
          endedAt: new Date(this.deps.clock.now()),
          endCause: cause,
          sipStatus,
        },
      ])
      .catch((err: unknown) =>
        this.deps.log.error({ err, interactionId: o.interactionId }, 'call record failed'),
      );
  }
}
