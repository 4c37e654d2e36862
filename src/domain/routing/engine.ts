/**
 * The routing engine (ACD): one engine for every channel. Pure and deterministic: each operation
 * takes `now` and returns the events it caused in causal order, ending with one queue_stats event
 * per queue whose statistics changed. After every operation the floor is drained: no waiting
 * interaction has an eligible agent with room (sticky ones wait only for their agent).
 *
 * Choices worth knowing (see each method): waiting counts and clocks (overflow, max wait) cover
 * the waiting phase only, an offered interaction catches up when it returns; reject and timeout
 * put it back at its original place; queue_stats come in queue creation order and only for
 * queues whose numbers changed; agent ids order round_robin and ties (string order).
 *
 * @example
 * const engine = new RoutingEngine();
 * engine.upsertQueue(salesQueue, now);
 * engine.upsertAgent(alice, now);
 * engine.login('alice', now, 'available');
 * const events = engine.enqueue({ id: 'i1', queueId: 'sales', channel: 'voice', priority: 0,
 *   vip: false, arrivedAt: now, seq: 1 }, now); // → offer to alice, agent_state, queue_stats
 */
import { DomainError } from '../errors.js';
import { assertCanLogin, assertCanRemove, assertLoggedIn } from './agent-state.js';
import { removeAgent, upsertAgent, upsertQueue } from './configuration.js';
import { createInteraction, deriveRouting, forget, switchQueue } from './interactions.js';
import { drain } from './matching.js';
import { expire } from './expiry.js';
import type { InteractionRecord, Reservation } from './model.js';
import { isRoutable, hasRoomFor } from './eligibility.js';
import { CHANNEL_INDEX } from './model.js';
import { accept, cancelOffers, miss, offer, withdraw } from './offers.js';
import { Operation } from './operation.js';
import { DEFAULT_TUNING, RoutingState, type RoutingTuning } from './state.js';
import type { AgentConfig, InteractionInput, QueueConfig, QueueStats, RoutingEvent } from './types.js';
import { validateAgent, validateInput, validatePresence, validateQueue } from './validation.js';
import {
  agentView,
  interactionView,
  waitingView,
  type AgentView,
  type InteractionView,
  type WaitingView,
} from './views.js';
import { place, unplace } from './waiting-room.js';
import { complete, endWrapUp } from './work.js';

export class RoutingEngine {
  private readonly s: RoutingState;
  private readonly op = new Operation();

  /** `tuning` only trades cost between internal paths (tests use it to cover each); decisions are the same. */
  constructor(tuning: Partial<RoutingTuning> = {}) {
    this.s = new RoutingState({ ...DEFAULT_TUNING, ...tuning });
  }

  // --- configuration ---------------------------------------------------------------------------

  /** Adds or changes a queue; waiting interactions are re-evaluated. */
  upsertQueue(cfg: QueueConfig, now: number): RoutingEvent[] {
    validateQueue(cfg);
    return this.run(now, (op) => upsertQueue(this.s, cfg, op));
  }

  /** Removes a queue; QUEUE_NOT_EMPTY while interactions wait or are offered in it. */
  removeQueue(queueId: string, now: number): RoutingEvent[] {
    const queue = this.s.queues.require(queueId);
    if (queue.unserved > 0) {
      throw new DomainError('QUEUE_NOT_EMPTY', `Queue ${queueId} still has interactions.`, { queueId });
    }
    return this.run(now, () => {
      this.s.lanes.destroyQueueLanes(queue);
      this.s.queues.delete(queue);
    });
  }

  /** Adds an agent (logged out) or changes one (state and work are kept). */
  upsertAgent(cfg: AgentConfig, now: number): RoutingEvent[] {
    validateAgent(cfg);
    return this.run(now, (op) => upsertAgent(this.s, cfg, op));
  }

  /** Removes a logged-out agent; AGENT_STATE_INVALID otherwise. */
  removeAgent(agentId: string, now: number): RoutingEvent[] {
    const agent = this.s.agents.require(agentId);
    assertCanRemove(agent);
    return this.run(now, () => removeAgent(this.s, agent));
  }

  // --- agent presence --------------------------------------------------------------------------

  /** Logs an agent in (or cancels its pending logout). */
  login(
    agentId: string,
    now: number,
    presence: 'available' | 'not_ready' = 'not_ready',
    reason: string | null = null,
  ): RoutingEvent[] {
    validatePresence(presence);
    const agent = this.s.agents.require(agentId);
    assertCanLogin(agent);
    return this.run(now, (op) => {
      if (presence === 'available' && (!agent.loggedIn || agent.presence !== 'available'))
        agent.idleSince = now;
      agent.pendingLogout = false;
      agent.loggedIn = true;
      agent.presence = presence;
      agent.reason = presence === 'not_ready' ? reason : null;
      this.s.agents.refresh(agent, 'login', op);
    });
  }

  /**
   * Available or not ready. Not ready keeps current work and any pending offer (it may still be
   * accepted, or it times out); only new offers stop.
   */
  setPresence(
    agentId: string,
    presence: 'available' | 'not_ready',
    reason: string | null,
    now: number,
  ): RoutingEvent[] {
    validatePresence(presence);
    const agent = this.s.agents.require(agentId);
    assertLoggedIn(agent);
    return this.run(now, (op) => {
      if (presence === 'available' && agent.presence !== 'available') agent.idleSince = now;
      agent.presence = presence;
      agent.reason = presence === 'not_ready' ? reason : null;
      this.s.agents.refresh(agent, 'presence', op);
    });
  }

  /**
   * Logs out at once when the agent has no work; otherwise the logout is pending until the last
   * work ends. Pending offers go back to their queues at once (cancel reason 'rejected').
   */
  logout(agentId: string, now: number): RoutingEvent[] {
    const agent = this.s.agents.require(agentId);
    assertLoggedIn(agent);
    return this.run(now, (op) => {
      if (agent.pendingLogout) return;
      agent.pendingLogout = true;
      const offers = [...agent.work.values()].flatMap((w) => (w.reservation ? [w.reservation] : []));
      for (const r of offers) withdraw(this.s, r, now, op);
      this.s.agents.refresh(agent, 'logout', op);
    });
  }

  // --- interactions ----------------------------------------------------------------------------

  /** Queues an interaction; overflow steps already due since `arrivedAt` apply at once. */
  enqueue(input: InteractionInput, now: number): RoutingEvent[] {
    validateInput(input);
    const queue = this.s.queues.require(input.queueId);
    if (this.s.interactions.has(input.id)) {
      throw new DomainError('CONFLICT', `Interaction ${input.id} is already queued.`, {
        interactionId: input.id,
      });
    }
    return this.run(now, (op) => {
      const ix = createInteraction(input, queue, now);
      this.s.interactions.set(ix.id, ix);
      queue.unserved++;
      if (ix.sticky && ix.preferredUntil !== null) {
        ix.stickyTimer = this.s.deadlines.schedule(ix.preferredUntil, 'sticky', ix);
      }
      place(this.s, ix, now, op);
    });
  }

  /**
   * An interaction the agent starts (an outbound call): created, offered to and accepted by the
   * agent at once, so it takes the agent's room like any other work. The agent must be logged in
   * (any presence) and have no other work on the channel but wrap-up (AGENT_BUSY).
   */
  assign(input: InteractionInput, agentId: string, now: number): RoutingEvent[] {
    validateInput(input);
    const queue = this.s.queues.require(input.queueId);
    if (this.s.interactions.has(input.id)) {
      throw new DomainError('CONFLICT', `Interaction ${input.id} already exists.`, {
        interactionId: input.id,
      });
    }
    const agent = this.s.agents.require(agentId);
    assertLoggedIn(agent);
    // Wrap-up of an earlier call does not stop the agent from calling out.
    if (
      [...agent.work.values()].some((w) => w.phase !== 'wrap_up' && w.interaction.channel === input.channel)
    ) {
      throw new DomainError('AGENT_BUSY', `Agent ${agentId} is busy on ${input.channel}.`, { agentId });
    }
    return this.run(now, (op) => {
      const ix = createInteraction(input, queue, now);
      this.s.interactions.set(ix.id, ix);
      queue.unserved++;
      // Never placed in a lane: straight to the agent.
      ix.phase = 'offered';
      accept(this.s, offer(this.s, ix, agent, false, op), op);
    });
  }

  /**
   * Queues an interaction as an offer made straight to one agent (a transfer to that agent), skipping
   * the queue's skills: AGENT_NOT_AVAILABLE unless the agent is logged in, available and has room on
   * the channel. A rejection or timeout puts it in the queue as any other (its sticky window and
   * `arrivedAt` decide where: a transfer's caller goes back to the first agent, else to the front).
   */
  enqueueFor(input: InteractionInput, agentId: string, now: number): RoutingEvent[] {
    validateInput(input);
    const queue = this.s.queues.require(input.queueId);
    const agent = this.s.agents.require(agentId);
    if (this.s.interactions.has(input.id)) {
      throw new DomainError('CONFLICT', `Interaction ${input.id} is already queued.`, {
        interactionId: input.id,
      });
    }
    if (!isRoutable(agent) || !hasRoomFor(agent, CHANNEL_INDEX[input.channel])) {
      throw new DomainError('AGENT_NOT_AVAILABLE', 'The agent is not logged in and available now.', {
        agentId,
      });
    }
    return this.run(now, (op) => {
      const ix = createInteraction(input, queue, now);
      this.s.interactions.set(ix.id, ix);
      queue.unserved++;
      if (ix.sticky && ix.preferredUntil !== null) {
        ix.stickyTimer = this.s.deadlines.schedule(ix.preferredUntil, 'sticky', ix);
      }
      // Never placed: offered at once, so offer() has nothing to take out of a lane.
      ix.phase = 'offered';
      offer(this.s, ix, agent, false, op);
    });
  }

  /** The agent takes the offer; other ring_all offers of it are cancelled ('taken_by_other'). */
  accept(reservationId: string, now: number): RoutingEvent[] {
    const r = this.reservation(reservationId);
    return this.run(now, (op) => accept(this.s, r, op));
  }

  /** The agent declines: it goes not_ready ('missed'); the interaction returns to its original place. */
  reject(reservationId: string, now: number): RoutingEvent[] {
    const r = this.reservation(reservationId);
    return this.run(now, (op) => miss(this.s, r, 'rejected', now, op));
  }

  /** Active work ends; wrap-up follows when the queue has wrap-up time. */
  complete(interactionId: string, now: number): RoutingEvent[] {
    const ix = this.inPhase(interactionId, 'active', 'complete');
    const agent = ix.agent;
    if (!agent) throw this.stateError(ix, 'complete');
    return this.run(now, (op) => complete(this.s, ix, agent, op));
  }

  /** The agent ends wrap-up early. */
  endWrapUp(interactionId: string, now: number): RoutingEvent[] {
    const ix = this.inPhase(interactionId, 'wrap_up', 'end wrap-up of');
    const agent = ix.agent;
    if (!agent) throw this.stateError(ix, 'end wrap-up of');
    return this.run(now, (op) => {
      ix.wrapUpTimer = this.s.deadlines.cancel(ix.wrapUpTimer);
      endWrapUp(this.s, ix, agent, 'agent', now, op);
    });
  }

  /** The customer left while waiting or being offered; counts as abandoned. */
  abandon(interactionId: string, now: number): RoutingEvent[] {
    return this.leave(interactionId, now, true);
  }

  /** Takes a waiting or offered interaction out without counting an abandon. */
  remove(interactionId: string, now: number): RoutingEvent[] {
    return this.leave(interactionId, now, false);
  }

  /** Moves a waiting interaction to another queue keeping its place; an offer is cancelled ('moved'). */
  move(interactionId: string, toQueueId: string, now: number): RoutingEvent[] {
    const ix = this.unserved(interactionId, 'move');
    const target = this.s.queues.require(toQueueId);
    return this.run(now, (op) => {
      if (target === ix.queue) return;
      this.takeOut(ix, 'moved', op);
      op.touch(ix.queue);
      switchQueue(ix, target);
      ix.phase = 'waiting';
      place(this.s, ix, now, op);
    });
  }

  /**
   * Changes an interaction's own priority. A waiting one takes its new place at once; an offered
   * one keeps its offer and the priority applies if it returns to the queue.
   */
  setPriority(interactionId: string, priority: number, now: number): RoutingEvent[] {
    const ix = this.unserved(interactionId, 'reprioritize');
    if (!Number.isFinite(priority)) {
      throw new DomainError('VALIDATION_FAILED', 'Priority must be a number.', { interactionId });
    }
    return this.run(now, (op) => {
      const waiting = ix.phase === 'waiting';
      if (waiting) unplace(this.s, ix, op);
      ix.priority = priority;
      deriveRouting(ix);
      if (waiting) place(this.s, ix, now, op);
    });
  }

  // --- time ------------------------------------------------------------------------------------

  /** Processes every deadline due by `now` in time order, then matches. */
  tick(now: number): RoutingEvent[] {
    return this.run(now, (op) => {
      for (let t = this.s.deadlines.takeDue(now); t !== undefined; t = this.s.deadlines.takeDue(now)) {
        expire(this.s, t, op);
      }
    });
  }

  /** The earliest pending deadline (the caller keeps one timer set to it), or null. */
  nextDeadline(): number | null {
    return this.s.deadlines.next();
  }

  // --- reading ---------------------------------------------------------------------------------

  /** An agent's state, presence and work; AGENT_NOT_FOUND for an unknown agent. */
  agentState(agentId: string): AgentView {
    return agentView(this.s.agents.require(agentId));
  }

  /** A queue's statistics; QUEUE_NOT_FOUND for an unknown queue. */
  queueStats(queueId: string): QueueStats {
    return this.s.queues.require(queueId).stats.snapshot(queueId);
  }

  /** A queue's waiting interactions in service order. */
  waiting(queueId: string): WaitingView[] {
    return waitingView(this.s.queues.require(queueId));
  }

  /** An interaction the engine holds (waiting, offered, active or wrap-up). */
  interaction(interactionId: string): InteractionView | undefined {
    const ix = this.s.interactions.get(interactionId);
    return ix ? interactionView(ix) : undefined;
  }

  /** Whether the queue exists. */
  hasQueue(queueId: string): boolean {
    return this.s.queues.get(queueId) !== undefined;
  }

  /** Whether the agent could be offered one more interaction on the channel now (see enqueueFor). */
  canOfferTo(agentId: string, channel: InteractionInput['channel']): boolean {
    const agent = this.s.agents.get(agentId);
    return agent !== undefined && isRoutable(agent) && hasRoomFor(agent, CHANNEL_INDEX[channel]);
  }

  /** Whether the agent exists. */
  hasAgent(agentId: string): boolean {
    return this.s.agents.get(agentId) !== undefined;
  }

  // --- internals -------------------------------------------------------------------------------

  /** Runs one operation: changes, then draining, then one queue_stats per queue whose stats changed. */
  private run(now: number, change: (op: Operation) => void): RoutingEvent[] {
    const op = this.op;
    op.begin(now);
    change(op);
    drain(this.s, op);
    const touched = op.touched;
    if (touched.length > 1) touched.sort((a, b) => a.order - b.order);
    for (const q of touched) {
      const stats = q.removed ? null : q.stats.reportChange(q.id);
      if (stats) op.emit({ type: 'queue_stats', stats });
    }
    return op.events;
  }

  private leave(interactionId: string, now: number, abandoned: boolean): RoutingEvent[] {
    const ix = this.unserved(interactionId, abandoned ? 'abandon' : 'remove');
    return this.run(now, (op) => {
      this.takeOut(ix, 'abandoned', op);
      if (abandoned) ix.queue.stats.recordAbandon();
      op.touch(ix.queue);
      forget(this.s, ix);
    });
  }

  /** Takes a waiting or offered interaction away from its lane or its agents (without penalty). */
  private takeOut(ix: InteractionRecord, reason: 'abandoned' | 'moved', op: Operation): void {
    if (ix.phase === 'waiting') unplace(this.s, ix, op);
    else cancelOffers(this.s, ix, reason, op);
  }

  private reservation(reservationId: string): Reservation {
    const r = this.s.reservations.get(reservationId);
    if (!r) throw new DomainError('RESERVATION_NOT_FOUND', `No offer ${reservationId}.`, { reservationId });
    return r;
  }

  private interactionRecord(interactionId: string): InteractionRecord {
    const ix = this.s.interactions.get(interactionId);
    if (!ix)
      throw new DomainError('INTERACTION_NOT_FOUND', `No interaction ${interactionId}.`, { interactionId });
    return ix;
  }

  private inPhase(interactionId: string, phase: 'active' | 'wrap_up', action: string): InteractionRecord {
    const ix = this.interactionRecord(interactionId);
    if (ix.phase !== phase) throw this.stateError(ix, action);
    return ix;
  }

  /** A waiting or offered interaction (supervisor actions, abandon, remove). */
  private unserved(interactionId: string, action: string): InteractionRecord {
    const ix = this.interactionRecord(interactionId);
    if (ix.phase !== 'waiting' && ix.phase !== 'offered') throw this.stateError(ix, action);
    return ix;
  }

  private stateError(ix: InteractionRecord, action: string): DomainError {
    return new DomainError(
      'INTERACTION_STATE_INVALID',
      `Cannot ${action} interaction ${ix.id}: it is ${ix.phase}.`,
      {
        interactionId: ix.id,
        phase: ix.phase,
      },
    );
  }
}
