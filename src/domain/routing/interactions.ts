/** Interaction records: creation from input, derived routing fields, queue changes, forgetting. */
import { CHANNEL_INDEX, type InteractionRecord, type QueueRecord } from './model.js';
import { merge, normalize, signature } from './requirements.js';
import type { RoutingState } from './state.js';
import { VIP_PRIORITY_BOOST, type InteractionInput } from './types.js';

/** A new waiting record (not placed yet). The sticky window defaults to the queue's stickyMs. */
export function createInteraction(
  input: InteractionInput,
  queue: QueueRecord,
  now: number,
): InteractionRecord {
  const preferredAgentId = input.preferredAgentId ?? null;
  let preferredUntil = input.preferredUntil ?? null;
  if (preferredAgentId !== null && preferredUntil === null && queue.config.stickyMs > 0) {
    preferredUntil = input.arrivedAt + queue.config.stickyMs;
  }
  const ix: InteractionRecord = {
    id: input.id,
    queue,
    channel: input.channel,
    channelIndex: CHANNEL_INDEX[input.channel],
    priority: input.priority,
    vip: input.vip,
    effectivePriority: 0,
    arrivedAt: input.arrivedAt,
    seq: input.seq,
    extra: normalize(input.extraRequirements ?? []),
    stage: 0,
    requirement: [],
    requirementSignature: '',
    preferredAgentId,
    preferredUntil,
    sticky: preferredAgentId !== null && preferredUntil !== null && preferredUntil > now,
    phase: 'waiting',
    lane: null,
    laneIndex: -1,
    oldestIndex: -1,
    box: null,
    offers: [],
    agent: null,
    overflowTimer: null,
    maxWaitTimer: null,
    stickyTimer: null,
    wrapUpTimer: null,
  };
  deriveRouting(ix);
  return ix;
}

/** Recomputes effective priority and requirement from the queue, the stage and the extras. */
export function deriveRouting(ix: InteractionRecord): void {
  const q = ix.queue;
  ix.effectivePriority = q.config.priority + ix.priority + (ix.vip ? VIP_PRIORITY_BOOST : 0);
  const stageRequirement = q.stageRequirements[ix.stage] ?? [];
  if (ix.extra.length === 0) {
    ix.requirement = stageRequirement;
    ix.requirementSignature = q.stageSignatures[ix.stage] ?? '';
  } else {
    ix.requirement = merge(stageRequirement, ix.extra);
    ix.requirementSignature = signature(ix.requirement);
  }
}

/** Moves the record to another queue at its first stage, keeping arrival time and seq (its place). */
export function switchQueue(ix: InteractionRecord, target: QueueRecord): void {
  ix.queue.unserved--;
  ix.queue = target;
  target.unserved++;
  ix.stage = 0;
  deriveRouting(ix);
}

/** The engine lets go of an interaction that has left (it must be out of lanes and agents). */
export function forget(s: RoutingState, ix: InteractionRecord): void {
  const d = s.deadlines;
  ix.overflowTimer = d.cancel(ix.overflowTimer);
  ix.maxWaitTimer = d.cancel(ix.maxWaitTimer);
  ix.stickyTimer = d.cancel(ix.stickyTimer);
  ix.wrapUpTimer = d.cancel(ix.wrapUpTimer);
  if (ix.phase === 'waiting' || ix.phase === 'offered') ix.queue.unserved--;
  s.interactions.delete(ix.id);
}
