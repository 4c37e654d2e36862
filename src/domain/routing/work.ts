/** Active work ending: completion, wrap-up, and the slot going free. */
import { removeLoad } from './capacity.js';
import { forget } from './interactions.js';
import type { AgentRecord, InteractionRecord } from './model.js';
import type { Operation } from './operation.js';
import type { RoutingState } from './state.js';

/** Active work ends; with wrap-up time the slot stays taken until the wrap-up ends. */
export function complete(s: RoutingState, ix: InteractionRecord, agent: AgentRecord, op: Operation): void {
  agent.active--;
  const wrapUpMs = ix.queue.config.wrapUpMs;
  if (wrapUpMs > 0) {
    const item = agent.work.get(ix.id);
    if (item) item.phase = 'wrap_up';
    ix.phase = 'wrap_up';
    agent.wrapUps++;
    const endsAt = op.now + wrapUpMs;
    ix.wrapUpTimer = s.deadlines.schedule(endsAt, 'wrap_up', ix);
    op.emit({ type: 'wrap_up_started', interactionId: ix.id, agentId: agent.id, endsAt });
  } else {
    release(s, ix, agent, op.now);
  }
  s.agents.refresh(agent, 'complete', op);
}

/** Wrap-up ends by its timer or early by the agent; the interaction is done. */
export function endWrapUp(
  s: RoutingState,
  ix: InteractionRecord,
  agent: AgentRecord,
  cause: 'timer' | 'agent',
  at: number,
  op: Operation,
): void {
  agent.wrapUps--;
  release(s, ix, agent, at);
  op.emit({ type: 'wrap_up_ended', interactionId: ix.id, agentId: agent.id, cause });
  s.agents.refresh(agent, 'wrap_up_ended', op);
}

/** Frees the agent's slot and lets go of the interaction; the agent has been idle since `at`. */
function release(s: RoutingState, ix: InteractionRecord, agent: AgentRecord, at: number): void {
  agent.work.delete(ix.id);
  removeLoad(agent, ix.channelIndex);
  agent.idleSince = Math.max(agent.idleSince, at);
  ix.agent = null;
  forget(s, ix);
}
