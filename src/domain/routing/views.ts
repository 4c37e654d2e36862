/** Read-only views of the engine's records for callers (copies; never live objects). */
import { servedBefore, type AgentRecord, type InteractionRecord, type QueueRecord } from './model.js';
import type { AgentState, Channel, InteractionPhase, Presence, SkillRequirement } from './types.js';

/** What an agent is doing now. */
export interface AgentView {
  state: AgentState;
  presence: Presence;
  /** The not-ready reason (null when available or logged out). */
  reason: string | null;
  pendingLogout: boolean;
  work: AgentWorkView[];
}

export interface AgentWorkView {
  interactionId: string;
  channel: Channel;
  phase: InteractionPhase;
  reservationId?: string;
}

/** An interaction as the engine holds it. */
export interface InteractionView {
  id: string;
  queueId: string;
  phase: InteractionPhase;
  /** Offered: every agent holding an offer; active or wrap-up: the agent. */
  agentIds: string[];
  channel: Channel;
  /** The interaction's own priority. */
  priority: number;
  /** Queue priority + own priority + VIP boost: the service order key. */
  effectivePriority: number;
  vip: boolean;
  arrivedAt: number;
  seq: number;
  /** Overflow steps applied in the current queue. */
  stage: number;
  /** Effective requirement now (queue stage + extras). */
  requirements: SkillRequirement[];
  /** The agent it waits for while the sticky window is open, else null. */
  stickyAgentId: string | null;
}

/** One waiting interaction, in service order. */
export interface WaitingView {
  interactionId: string;
  arrivedAt: number;
  /** The interaction's own priority. */
  priority: number;
  /** Queue priority + own priority + VIP boost. */
  effectivePriority: number;
  seq: number;
}

export function agentView(agent: AgentRecord): AgentView {
  const work: AgentWorkView[] = [];
  for (const item of agent.work.values()) {
    const w: AgentWorkView = {
      interactionId: item.interaction.id,
      channel: item.interaction.channel,
      phase: item.phase,
    };
    if (item.reservation) w.reservationId = item.reservation.id;
    work.push(w);
  }
  return {
    state: agent.state,
    presence: agent.presence,
    reason: agent.presence === 'not_ready' ? agent.reason : null,
    pendingLogout: agent.pendingLogout,
    work,
  };
}

export function interactionView(ix: InteractionRecord): InteractionView {
  return {
    id: ix.id,
    queueId: ix.queue.id,
    phase: ix.phase,
    agentIds: ix.agent ? [ix.agent.id] : ix.offers.map((r) => r.agent.id),
    channel: ix.channel,
    priority: ix.priority,
    effectivePriority: ix.effectivePriority,
    vip: ix.vip,
    arrivedAt: ix.arrivedAt,
    seq: ix.seq,
    stage: ix.stage,
    requirements: ix.requirement.map((r) => ({ skill: r.skill, minLevel: r.minLevel })),
    stickyAgentId: ix.sticky ? ix.preferredAgentId : null,
  };
}

/** The queue's waiting interactions in service order. */
export function waitingView(queue: QueueRecord): WaitingView[] {
  return [...queue.stats.waitingItems()]
    .sort((a, b) => (servedBefore(a, b) ? -1 : 1))
    .map((ix) => ({
      interactionId: ix.id,
      arrivedAt: ix.arrivedAt,
      priority: ix.priority,
      effectivePriority: ix.effectivePriority,
      seq: ix.seq,
    }));
}
