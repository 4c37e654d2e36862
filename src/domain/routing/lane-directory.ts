/**
 * Lanes: the waiting interactions of one queue and channel with one effective requirement (queue
 * base after overflow widening, plus the interaction's extras). Eligibility of every agent for a
 * lane is computed once when either side appears or changes, never per decision.
 */
import { createPicker } from './agent-picker.js';
import type { AgentPool } from './agent-pool.js';
import { KeyedHeap } from './heap.js';
import {
  CHANNEL_COUNT,
  CHANNEL_INDEX,
  type AgentRecord,
  type InteractionRecord,
  type Lane,
  type Membership,
  type QueueRecord,
} from './model.js';
import { RequirementIndex } from './requirement-index.js';
import { satisfies, type Requirement } from './requirements.js';
import type { Channel } from './types.js';

const laneSlot = {
  get: (ix: InteractionRecord) => ix.laneIndex,
  set: (ix: InteractionRecord, i: number) => {
    ix.laneIndex = i;
  },
};

export class LaneDirectory {
  private readonly index = new RequirementIndex<Lane>();

  constructor(private readonly pool: AgentPool) {}

  /** The lane an interaction waits in, for its queue, stage, channel and extras. */
  laneOf(ix: InteractionRecord): Lane {
    const queue = ix.queue;
    if (ix.extra.length > 0) return this.laneFor(queue, ix.channel, ix.requirement, ix.requirementSignature);
    const k = ix.stage * CHANNEL_COUNT + ix.channelIndex;
    let lane = queue.stageLanes[k];
    if (!lane) {
      lane = this.laneFor(queue, ix.channel, ix.requirement, ix.requirementSignature);
      queue.stageLanes[k] = lane;
    }
    return lane;
  }

  /** The lane for this queue, channel and requirement, created (with its eligible agents) on first use. */
  laneFor(queue: QueueRecord, channel: Channel, requirement: Requirement, signature: string): Lane {
    const key = `${channel}|${signature}`;
    const existing = queue.lanes.get(key);
    if (existing) return existing;
    const channelIndex = CHANNEL_INDEX[channel];
    const anchor = this.pool.rarestSkill(requirement);
    const members = new Set<Membership>();
    const lane: Lane = {
      kind: 'lane',
      key,
      queue,
      channel,
      channelIndex,
      requirement,
      anchor,
      waiting: new KeyedHeap((a, b) => a.id < b.id, laneSlot),
      members,
      picker: createPicker(queue.config.strategy, members),
      destroyed: false,
      matchIndex: -1,
      matchHead: null,
      dirtyStamp: 0,
    };
    for (const agent of this.pool.candidates(requirement)) {
      if (satisfies(agent.skills, requirement)) {
        this.pool.link(agent, lane, ((agent.syncedMask >> channelIndex) & 1) === 1);
      }
    }
    lane.picker = createPicker(queue.config.strategy, lane.members);
    queue.lanes.set(key, lane);
    this.index.add(lane, anchor);
    return lane;
  }

  /** Links an agent to every existing lane it meets (not ready yet: `refresh` decides). */
  linkAgent(agent: AgentRecord): void {
    for (const lane of this.index.candidates(agent.skills.keys())) {
      if (satisfies(agent.skills, lane.requirement)) {
        const m = this.pool.link(agent, lane, false);
        lane.picker.memberAdded(m);
      }
    }
  }

  /** Drops all of an agent's lane memberships. */
  unlinkAgent(agent: AgentRecord): void {
    while (agent.memberships.length > 0) {
      const m = agent.memberships[agent.memberships.length - 1];
      if (m) this.pool.unlink(m);
    }
  }

  /** Removes every lane of a queue (its waiting interactions must have been taken out first). */
  destroyQueueLanes(queue: QueueRecord): void {
    for (const lane of queue.lanes.values()) {
      for (const m of [...lane.members]) this.pool.unlink(m);
      this.index.remove(lane);
      lane.destroyed = true;
    }
    queue.lanes.clear();
    queue.stageLanes = [];
  }
}
