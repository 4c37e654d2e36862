/** Configuration changes while the floor is running: queues and agents added, changed, removed. */
import { deriveRouting } from './interactions.js';
import type { AgentRecord, QueueRecord } from './model.js';
import type { Operation } from './operation.js';
import { applyQueueConfig, isStructuralChange } from './queues.js';
import type { RoutingState } from './state.js';
import type { AgentConfig, QueueConfig } from './types.js';
import { place, unplace } from './waiting-room.js';

/** Adds a queue, or changes one: structural changes rebuild its lanes and re-place its waiting work. */
export function upsertQueue(s: RoutingState, cfg: QueueConfig, op: Operation): void {
  const queue = s.queues.get(cfg.id);
  if (!queue) {
    op.touch(s.queues.create(cfg));
    return;
  }
  op.touch(queue);
  if (!isStructuralChange(queue.config, cfg)) {
    queue.config = cfg;
    return;
  }
  reconfigure(s, queue, cfg, op);
}

function reconfigure(s: RoutingState, queue: QueueRecord, cfg: QueueConfig, op: Operation): void {
  const waiting = [...queue.stats.waitingItems()];
  const offered = new Set(
    [...s.reservations.values()].map((r) => r.interaction).filter((ix) => ix.queue === queue),
  );
  for (const ix of waiting) unplace(s, ix, op);
  s.lanes.destroyQueueLanes(queue);
  const baseBefore = queue.stageSignatures[0];
  applyQueueConfig(queue, cfg);
  if (queue.stageSignatures[0] !== baseBefore) s.queues.relinkAgents(queue);
  for (const ix of [...waiting, ...offered]) {
    // Steps already taken stay taken; steps of the new rules that are due apply on re-placing.
    ix.stage = Math.min(ix.stage, queue.rules.length);
    deriveRouting(ix);
  }
  for (const ix of waiting) place(s, ix, op.now, op);
}

/** Adds a logged-out agent, or changes one keeping its state and work. */
export function upsertAgent(s: RoutingState, cfg: AgentConfig, op: Operation): void {
  const existing = s.agents.get(cfg.id);
  if (!existing) {
    const agent = s.agents.create(cfg, op.now);
    s.lanes.linkAgent(agent);
    s.queues.linkAgent(agent);
    return;
  }
  if (s.agents.configure(existing, cfg)) relink(s, existing, op);
  s.agents.refresh(existing, 'config', op, true);
}

/** Skills changed: recompute lane memberships and queue counts. */
function relink(s: RoutingState, agent: AgentRecord, op: Operation): void {
  for (const q of agent.baseQueues) op.touch(q);
  s.lanes.unlinkAgent(agent);
  s.queues.unlinkAgent(agent);
  s.lanes.linkAgent(agent);
  s.queues.linkAgent(agent);
  for (const q of agent.baseQueues) op.touch(q);
}

/** Removes a logged-out agent. */
export function removeAgent(s: RoutingState, agent: AgentRecord): void {
  s.lanes.unlinkAgent(agent);
  s.queues.unlinkAgent(agent);
  s.agents.delete(agent);
}
