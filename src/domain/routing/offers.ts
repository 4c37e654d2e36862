/**
 * Reservations: offering an interaction to an agent, and every way an offer ends — accepted, missed
 * (rejected or timed out), or cancelled without blame (taken by another, abandoned, moved).
 */
import { addLoad, removeLoad } from './capacity.js';
import type { AgentRecord, InteractionRecord, Reservation } from './model.js';
import type { Operation } from './operation.js';
import type { RoutingState } from './state.js';
import type { OfferCancelReason } from './types.js';
import { place, unplace } from './waiting-room.js';

/** Reserves the interaction for the agent (several agents for ring_all). */
export function offer(
  s: RoutingState,
  ix: InteractionRecord,
  agent: AgentRecord,
  ringAll: boolean,
  op: Operation,
): Reservation {
  if (ix.phase === 'waiting') {
    unplace(s, ix, op);
    ix.phase = 'offered';
  }
  const r: Reservation = {
    id: `r${++s.reservationCounter}`,
    interaction: ix,
    agent,
    expiresAt: op.now + ix.queue.config.reservationTimeoutMs,
    ringAll,
    timer: null,
  };
  r.timer = s.deadlines.schedule(r.expiresAt, 'reservation', ix, r);
  s.reservations.set(r.id, r);
  ix.offers.push(r);
  agent.work.set(ix.id, { interaction: ix, phase: 'offered', reservation: r });
  agent.offers++;
  addLoad(agent, ix.channelIndex);
  op.emit({
    type: 'offer',
    reservationId: r.id,
    interactionId: ix.id,
    agentId: agent.id,
    queueId: ix.queue.id,
    channel: ix.channel,
    expiresAt: r.expiresAt,
  });
  s.agents.refresh(agent, 'offer', op);
  return r;
}

/** The agent takes the interaction; other ring_all offers are cancelled and those agents freed. */
export function accept(s: RoutingState, r: Reservation, op: Operation): void {
  const ix = r.interaction;
  const agent = r.agent;
  r.timer = s.deadlines.cancel(r.timer);
  s.reservations.delete(r.id);
  ix.offers.splice(ix.offers.indexOf(r), 1);
  const item = agent.work.get(ix.id);
  if (item) {
    item.phase = 'active';
    item.reservation = null;
  }
  agent.offers--;
  agent.active++;
  ix.queue.unserved--;
  ix.phase = 'active';
  ix.agent = agent;
  ix.stickyTimer = s.deadlines.cancel(ix.stickyTimer);
  ix.sticky = false;
  ix.queue.stats.recordAnswer(op.now - ix.arrivedAt, ix.queue.config.serviceLevelThresholdMs);
  op.touch(ix.queue);
  op.emit({
    type: 'accepted',
    interactionId: ix.id,
    agentId: agent.id,
    reservationId: r.id,
    queueId: ix.queue.id,
  });
  s.agents.refresh(agent, 'accept', op);
  cancelOffers(s, ix, 'taken_by_other', op);
}

/**
 * The agent did not take the offer. A rejection, or a timeout outside ring_all, sets the agent
 * not_ready ('missed'); a ring_all timeout just frees the agent. When no offer is left the
 * interaction returns to its queue at its original place.
 */
export function miss(
  s: RoutingState,
  r: Reservation,
  reason: 'rejected' | 'timeout',
  at: number,
  op: Operation,
): void {
  const agent = r.agent;
  drop(s, r, reason, op);
  if (reason === 'rejected' || !r.ringAll) {
    agent.presence = 'not_ready';
    agent.reason = 'missed';
    s.agents.refresh(agent, 'missed', op);
  } else {
    s.agents.refresh(agent, reason, op);
  }
  if (r.interaction.offers.length === 0) requeue(s, r.interaction, reason, at, op);
}

/** Cancels every offer of an interaction; the agents are free again without penalty. */
export function cancelOffers(
  s: RoutingState,
  ix: InteractionRecord,
  reason: OfferCancelReason,
  op: Operation,
): void {
  while (ix.offers.length > 0) {
    const r = ix.offers[0] as Reservation;
    drop(s, r, reason, op);
    s.agents.refresh(r.agent, reason, op);
  }
}

/** An offered interaction with no offers left goes back to waiting at its original place. */
export function requeue(
  s: RoutingState,
  ix: InteractionRecord,
  reason: 'rejected' | 'timeout',
  at: number,
  op: Operation,
): void {
  ix.phase = 'waiting';
  op.emit({ type: 'requeued', interactionId: ix.id, queueId: ix.queue.id, reason });
  place(s, ix, at, op);
}

/** Removes one reservation from both sides and reports it cancelled (the agent is refreshed by the caller). */
function drop(s: RoutingState, r: Reservation, reason: OfferCancelReason, op: Operation): void {
  const ix = r.interaction;
  const agent = r.agent;
  r.timer = s.deadlines.cancel(r.timer);
  s.reservations.delete(r.id);
  ix.offers.splice(ix.offers.indexOf(r), 1);
  agent.work.delete(ix.id);
  agent.offers--;
  removeLoad(agent, ix.channelIndex);
  op.emit({ type: 'offer_cancelled', reservationId: r.id, interactionId: ix.id, agentId: agent.id, reason });
}

/** The agent logs out with an offer pending: the offer goes back ('rejected') without a missed penalty. */
export function withdraw(s: RoutingState, r: Reservation, at: number, op: Operation): void {
  drop(s, r, 'rejected', op);
  if (r.interaction.offers.length === 0) requeue(s, r.interaction, 'rejected', at, op);
}
