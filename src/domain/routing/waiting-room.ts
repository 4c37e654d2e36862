/**
 * Waiting interactions: placed in their lane (or their preferred agent's sticky box while the sticky
 * window is open), with overflow steps and max wait applied in time order before placing. Overflow
 * and max-wait clocks only run while waiting; an offered interaction catches up when it returns.
 */
import { forget, deriveRouting, switchQueue } from './interactions.js';
import type { InteractionRecord } from './model.js';
import type { Operation } from './operation.js';
import type { RoutingState } from './state.js';

/** Takes a waiting interaction out of its lane or box and its queue's waiting count. */
export function unplace(s: RoutingState, ix: InteractionRecord, op: Operation): void {
  if (ix.lane) {
    ix.lane.waiting.remove(ix);
    ix.lane = null;
  }
  if (ix.box) {
    ix.box.items.delete(ix);
    if (ix.box.items.size === 0) s.agents.boxes.delete(ix.box.agentId);
    ix.box = null;
  }
  ix.queue.stats.removeWaiting(ix);
  op.touch(ix.queue);
  ix.overflowTimer = s.deadlines.cancel(ix.overflowTimer);
  ix.maxWaitTimer = s.deadlines.cancel(ix.maxWaitTimer);
}

/**
 * Places an interaction in phase 'waiting' that is not placed: first applies every overflow step and
 * max wait due by `at`, then puts it where agents find it and schedules its next deadlines.
 */
export function place(s: RoutingState, ix: InteractionRecord, at: number, op: Operation): void {
  if (!catchUp(s, ix, at, op)) return;
  const q = ix.queue;
  if (ix.sticky && (ix.preferredUntil ?? -Infinity) <= at) {
    // The window closed before its timer was processed (e.g. a requeue between ticks).
    ix.sticky = false;
    ix.stickyTimer = s.deadlines.cancel(ix.stickyTimer);
  }
  if (ix.sticky && ix.preferredAgentId !== null) {
    let box = s.agents.boxes.get(ix.preferredAgentId);
    if (!box) {
      box = {
        kind: 'box',
        agentId: ix.preferredAgentId,
        items: new Set(),
        matchIndex: -1,
        matchHead: null,
        dirtyStamp: 0,
      };
      s.agents.boxes.set(box.agentId, box);
    }
    box.items.add(ix);
    ix.box = box;
    const agent = s.agents.get(box.agentId);
    if (agent && ((agent.readyMask >> ix.channelIndex) & 1) === 1) op.markDirty(box);
  } else {
    const lane = s.lanes.laneOf(ix);
    lane.waiting.push(ix, -ix.effectivePriority, ix.arrivedAt, ix.seq);
    ix.lane = lane;
    if (lane.picker.readyCount > 0 || op.pending.length > 0) op.markDirty(lane);
  }
  q.stats.addWaiting(ix);
  op.touch(q);
  const rule = q.rules[ix.stage];
  if (rule) ix.overflowTimer = s.deadlines.schedule(ix.arrivedAt + rule.afterSec * 1000, 'overflow', ix);
  const maxWait = q.config.maxWaitMs;
  if (maxWait !== null) ix.maxWaitTimer = s.deadlines.schedule(ix.arrivedAt + maxWait, 'max_wait', ix);
}

/**
 * Applies due overflow steps and max wait in time order (max wait first on a tie). A move to a queue
 * already visited in this cascade is skipped, so overflow cycles end. Returns false when the
 * interaction left by max wait.
 */
function catchUp(s: RoutingState, ix: InteractionRecord, at: number, op: Operation): boolean {
  let visited: Set<string> | null = null;
  for (;;) {
    const q = ix.queue;
    const rule = q.rules[ix.stage];
    const overflowAt = rule ? ix.arrivedAt + rule.afterSec * 1000 : Infinity;
    const maxWaitAt = q.config.maxWaitMs === null ? Infinity : ix.arrivedAt + q.config.maxWaitMs;
    if (maxWaitAt <= at && maxWaitAt <= overflowAt) {
      op.emit({ type: 'max_wait_exceeded', interactionId: ix.id, queueId: q.id });
      op.touch(q);
      forget(s, ix);
      return false;
    }
    if (!rule || overflowAt > at) return true;
    ix.stage++;
    if (rule.action === 'widen') {
      deriveRouting(ix);
      op.emit({
        type: 'overflowed',
        interactionId: ix.id,
        fromQueueId: q.id,
        toQueueId: q.id,
        stage: ix.stage,
      });
      continue;
    }
    visited ??= new Set([q.id]);
    const target = s.queues.get(rule.toQueueId);
    if (!target || visited.has(target.id)) continue;
    visited.add(target.id);
    const stage = ix.stage;
    switchQueue(ix, target);
    op.emit({ type: 'overflowed', interactionId: ix.id, fromQueueId: q.id, toQueueId: target.id, stage });
    op.touch(q);
  }
}
