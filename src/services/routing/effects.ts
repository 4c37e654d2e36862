import type { RoutingEvent } from '../../domain/routing/types.js';
import type { AgentStateRecord, InteractionEventRecord, InteractionRecord } from '../records.js';
import type { Audience } from '../events/event-hub.js';

/** What a batch of routing events means for the database and for listeners. */
export interface Effects {
  patches: Map<string, Partial<InteractionRecord>>;
  interactionEvents: Omit<InteractionEventRecord, 'id'>[];
  agentStates: AgentStateRecord[];
  publish: { type: string; data: unknown; audience: Audience }[];
  /** Interactions that left the engine (ended) in this batch. */
  ended: Set<string>;
}

export interface EffectContext {
  now: number;
  teamOf(agentId: string): string | null;
}

function agentAudience(ctx: EffectContext, agentId: string): Audience {
  const team = ctx.teamOf(agentId);
  return { agentIds: [agentId], teamIds: team ? [team] : [] };
}

/** Translates engine events into rows to write and events to publish; pure apart from `ctx`. */
export function effectsOf(events: RoutingEvent[], ctx: EffectContext): Effects {
  const at = new Date(ctx.now);
  const fx: Effects = {
    patches: new Map(),
    interactionEvents: [],
    agentStates: [],
    publish: [],
    ended: new Set(),
  };
  const patch = (id: string, p: Partial<InteractionRecord>) =>
    fx.patches.set(id, { ...fx.patches.get(id), ...p });
  const log = (
    interactionId: string,
    type: string,
    agentId: string | null,
    details: Record<string, unknown> | null,
  ) => fx.interactionEvents.push({ interactionId, at, type, agentId, details });

  for (const e of events) {
    switch (e.type) {
      case 'offer':
        patch(e.interactionId, { status: 'offered', offeredAt: at });
        log(e.interactionId, 'offered', e.agentId, { reservationId: e.reservationId, queueId: e.queueId });
        fx.publish.push({ type: 'offer', data: e, audience: agentAudience(ctx, e.agentId) });
        break;
      case 'offer_cancelled':
        log(e.interactionId, 'offer_cancelled', e.agentId, {
          reservationId: e.reservationId,
          reason: e.reason,
        });
        fx.publish.push({ type: 'offer.cancelled', data: e, audience: agentAudience(ctx, e.agentId) });
        break;
      case 'requeued':
        patch(e.interactionId, { status: 'queued', agentId: null });
        log(e.interactionId, 'requeued', null, { reason: e.reason, queueId: e.queueId });
        break;
      case 'accepted':
        patch(e.interactionId, { status: 'active', acceptedAt: at, agentId: e.agentId });
        log(e.interactionId, 'accepted', e.agentId, { reservationId: e.reservationId });
        break;
      case 'overflowed':
        patch(e.interactionId, { queueId: e.toQueueId });
        log(e.interactionId, 'overflowed', null, { from: e.fromQueueId, to: e.toQueueId, stage: e.stage });
        break;
      case 'max_wait_exceeded':
        patch(e.interactionId, { status: 'ended', outcome: 'max_wait_exceeded', endedAt: at });
        log(e.interactionId, 'max_wait_exceeded', null, { queueId: e.queueId });
        fx.ended.add(e.interactionId);
        break;
      case 'wrap_up_started':
        patch(e.interactionId, { status: 'wrap_up' });
        log(e.interactionId, 'wrap_up_started', e.agentId, { endsAt: new Date(e.endsAt).toISOString() });
        break;
      case 'wrap_up_ended':
        patch(e.interactionId, { status: 'ended', outcome: 'completed', wrapUpEndedAt: at });
        log(e.interactionId, 'wrap_up_ended', e.agentId, { cause: e.cause });
        fx.ended.add(e.interactionId);
        break;
      case 'agent_state':
        fx.agentStates.push({
          agentId: e.agentId,
          at,
          state: e.state,
          previous: e.previous,
          reason: e.reason,
          cause: e.cause,
        });
        fx.publish.push({
          type: 'agent.state',
          data: { ...e, at: ctx.now },
          audience: agentAudience(ctx, e.agentId),
        });
        break;
      case 'queue_stats':
        fx.publish.push({ type: 'queue.stats', data: e.stats, audience: { staff: true } });
        break;
    }
  }
  return fx;
}
