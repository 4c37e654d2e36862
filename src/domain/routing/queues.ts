/**
 * Queues: configuration turned into overflow stages, and the set of agents meeting each queue's
 * base requirement (the agents counted per state in its statistics).
 */
import { DomainError } from '../errors.js';
import type { AgentPool } from './agent-pool.js';
import type { AgentRecord, QueueRecord } from './model.js';
import { QueueStatsCounter } from './queue-stats.js';
import { RequirementIndex } from './requirement-index.js';
import { normalize, satisfies, signature, widen, type Requirement } from './requirements.js';
import type { QueueConfig } from './types.js';

/** Sets the configuration and derives the overflow stages' requirements. */
export function applyQueueConfig(queue: QueueRecord, config: QueueConfig): void {
  queue.config = config;
  queue.rules = [...config.overflow].sort((a, b) => a.afterSec - b.afterSec);
  let req: Requirement = normalize(config.requirements);
  queue.stageRequirements = [req];
  for (const rule of queue.rules) {
    if (rule.action === 'widen') req = normalize(widen(req, rule));
    queue.stageRequirements.push(req);
  }
  queue.stageSignatures = queue.stageRequirements.map(signature);
}

/** Whether a change needs the queue's lanes and waiting interactions rebuilt. */
export function isStructuralChange(a: QueueConfig, b: QueueConfig): boolean {
  return (
    a.priority !== b.priority ||
    a.strategy !== b.strategy ||
    a.maxWaitMs !== b.maxWaitMs ||
    JSON.stringify(a.requirements) !== JSON.stringify(b.requirements) ||
    JSON.stringify(a.overflow) !== JSON.stringify(b.overflow)
  );
}

export class QueueDirectory {
  private readonly queues = new Map<string, QueueRecord>();
  private readonly index = new RequirementIndex<QueueRecord>();
  private created = 0;

  constructor(private readonly pool: AgentPool) {}

  /** The queue, if known. */
  get(queueId: string): QueueRecord | undefined {
    return this.queues.get(queueId);
  }

  /** The queue, or QUEUE_NOT_FOUND. */
  require(queueId: string): QueueRecord {
    const q = this.queues.get(queueId);
    if (!q) throw new DomainError('QUEUE_NOT_FOUND', `No queue ${queueId}.`, { queueId });
    return q;
  }

  /** Adds a queue and counts the agents meeting its base requirement. */
  create(config: QueueConfig): QueueRecord {
    const queue: QueueRecord = {
      id: config.id,
      config,
      rules: [],
      stageRequirements: [],
      stageSignatures: [],
      removed: false,
      stats: new QueueStatsCounter(),
      baseAgents: new Set(),
      unserved: 0,
      lanes: new Map(),
      stageLanes: [],
      lastPickedAgentId: null,
      touchStamp: 0,
      order: this.created++,
    };
    applyQueueConfig(queue, config);
    this.queues.set(queue.id, queue);
    this.linkAgents(queue);
    return queue;
  }

  /** Forgets a queue (its lanes are already gone). */
  delete(queue: QueueRecord): void {
    this.unlinkAgents(queue);
    queue.removed = true;
    this.queues.delete(queue.id);
  }

  /** Recomputes which agents meet the base requirement after it changed. */
  relinkAgents(queue: QueueRecord): void {
    this.unlinkAgents(queue);
    this.linkAgents(queue);
  }

  /** Adds an agent to the base sets of every queue it meets. */
  linkAgent(agent: AgentRecord): void {
    for (const q of this.index.candidates(agent.skills.keys())) {
      if (satisfies(agent.skills, q.stageRequirements[0] ?? [])) this.join(q, agent);
    }
  }

  /** Removes an agent from every queue's base set. */
  unlinkAgent(agent: AgentRecord): void {
    for (const q of [...agent.baseQueues]) this.leave(q, agent);
  }

  private linkAgents(queue: QueueRecord): void {
    const base = queue.stageRequirements[0] ?? [];
    for (const agent of this.pool.candidates(base)) {
      if (satisfies(agent.skills, base)) this.join(queue, agent);
    }
    this.index.add(queue, this.pool.rarestSkill(base));
  }

  private unlinkAgents(queue: QueueRecord): void {
    for (const agent of [...queue.baseAgents]) this.leave(queue, agent);
    this.index.remove(queue);
  }

  private join(queue: QueueRecord, agent: AgentRecord): void {
    queue.baseAgents.add(agent);
    agent.baseQueues.push(queue);
    queue.stats.agentMoved('logged_out', agent.countedState);
  }

  private leave(queue: QueueRecord, agent: AgentRecord): void {
    queue.baseAgents.delete(agent);
    agent.baseQueues.splice(agent.baseQueues.indexOf(queue), 1);
    queue.stats.agentMoved(agent.countedState, 'logged_out');
  }
}
