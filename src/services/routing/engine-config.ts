import type { AgentConfig, QueueConfig } from '../../domain/routing/types.js';
import type { AgentRecord, QueueRecord } from '../records.js';

/** The routing engine's view of a stored queue. */
export function queueConfig(q: QueueRecord): QueueConfig {
  return {
    id: q.id,
    requirements: q.requirements.map((r) => ({ skill: r.skillId, minLevel: r.minLevel })),
    priority: q.priority,
    strategy: q.strategy,
    reservationTimeoutMs: q.reservationTimeoutSec * 1000,
    wrapUpMs: q.wrapUpSec * 1000,
    maxWaitMs: q.maxWaitSec === null ? null : q.maxWaitSec * 1000,
    overflow: [...q.overflow].sort((a, b) => a.afterSec - b.afterSec),
    stickyMs: q.stickySec * 1000,
    serviceLevelThresholdMs: q.slThresholdSec * 1000,
  };
}

/** The routing engine's view of a stored agent. */
export function agentConfig(a: AgentRecord): AgentConfig {
  return {
    id: a.id,
    teamId: a.teamId,
    skills: { ...a.skills },
    capacity: { ...a.capacity },
    exclusiveChannels: [...a.exclusiveChannels],
  };
}
