/**
 * The agents: registry, skill index, cached lane eligibility (memberships) and the one place where
 * an agent's shown state and readiness are recomputed after any change.
 */
import { DomainError } from '../errors.js';
import { deriveAgentState, settlePendingLogout } from './agent-state.js';
import { readyMask } from './eligibility.js';
import {
  CHANNEL_COUNT,
  CHANNEL_INDEX,
  type AgentRecord,
  type Lane,
  type Membership,
  type StickyBox,
} from './model.js';
import type { Operation } from './operation.js';
import { skillSum, type Requirement } from './requirements.js';
import type { AgentConfig, Channel } from './types.js';

export class AgentPool {
  private readonly agents = new Map<string, AgentRecord>();
  private readonly bySkill = new Map<string, Set<AgentRecord>>();
  /** Sticky interactions waiting for an agent, by agent id (the agent may not exist yet). */
  readonly boxes = new Map<string, StickyBox>();

  /** The agent, if known. */
  get(agentId: string): AgentRecord | undefined {
    return this.agents.get(agentId);
  }

  /** The agent, or AGENT_NOT_FOUND. */
  require(agentId: string): AgentRecord {
    const agent = this.agents.get(agentId);
    if (!agent) throw new DomainError('AGENT_NOT_FOUND', `No agent ${agentId}.`, { agentId });
    return agent;
  }

  /** Adds a logged-out agent (the caller links it to lanes and queues). */
  create(config: AgentConfig, now: number): AgentRecord {
    const agent: AgentRecord = {
      id: config.id,
      config,
      skills: new Map(),
      capacity: new Array<number>(CHANNEL_COUNT).fill(0),
      exclusive: new Array<boolean>(CHANNEL_COUNT).fill(false),
      totalCapacity: 0,
      load: new Array<number>(CHANNEL_COUNT).fill(0),
      totalLoad: 0,
      exclusiveLoad: 0,
      offers: 0,
      active: 0,
      wrapUps: 0,
      work: new Map(),
      loggedIn: false,
      presence: 'logged_out',
      reason: null,
      pendingLogout: false,
      state: 'logged_out',
      idleSince: now,
      readyMask: 0,
      syncedMask: 0,
      countedState: 'logged_out',
      forceSync: false,
      needsSync: false,
      pendingStamp: 0,
      memberships: [],
      lanes: [],
      baseQueues: [],
    };
    this.agents.set(agent.id, agent);
    this.configure(agent, config);
    return agent;
  }

  /** Applies a new configuration; returns whether the skills changed (eligibility must be redone). */
  configure(agent: AgentRecord, config: AgentConfig): boolean {
    agent.config = config;
    const skills = new Map(Object.entries(config.skills));
    const changed =
      skills.size !== agent.skills.size || [...skills].some(([s, l]) => agent.skills.get(s) !== l);
    if (changed) {
      this.unindex(agent);
      agent.skills = skills;
      for (const skill of skills.keys()) {
        let set = this.bySkill.get(skill);
        if (!set) {
          set = new Set();
          this.bySkill.set(skill, set);
        }
        set.add(agent);
      }
    }
    agent.totalCapacity = 0;
    agent.exclusiveLoad = 0;
    for (const [channel, c] of Object.entries(CHANNEL_INDEX) as [Channel, number][]) {
      const cap = Math.max(0, Math.floor(config.capacity[channel] ?? 0));
      agent.capacity[c] = cap;
      agent.totalCapacity += cap;
      agent.exclusive[c] = config.exclusiveChannels.includes(channel);
      if (agent.exclusive[c]) agent.exclusiveLoad += agent.load[c] ?? 0;
    }
    return changed;
  }

  /** Forgets an agent (already unlinked from lanes and queues). */
  delete(agent: AgentRecord): void {
    this.unindex(agent);
    this.agents.delete(agent.id);
  }

  /** Agents that may meet `req`: those holding its rarest skill, or everyone when it is empty. */
  candidates(req: Requirement): Iterable<AgentRecord> {
    const anchor = this.rarestSkill(req);
    if (anchor === null) return this.agents.values();
    return this.bySkill.get(anchor) ?? [];
  }

  /** The required skill held by the fewest agents (null for an empty requirement). */
  rarestSkill(req: Requirement): string | null {
    let best: string | null = null;
    let bestCount = Infinity;
    for (const r of req) {
      const count = this.bySkill.get(r.skill)?.size ?? 0;
      if (count < bestCount) {
        best = r.skill;
        bestCount = count;
      }
    }
    return best;
  }

  /** Caches that the agent meets the lane's requirement; readiness follows in `refresh`. */
  link(agent: AgentRecord, lane: Lane, ready: boolean): Membership {
    const m: Membership = {
      agent,
      lane,
      skillSum: skillSum(agent.skills, lane.requirement),
      ready,
      agentIndex: agent.memberships.length,
      pickIndex: -1,
      rank: -1,
    };
    agent.memberships.push(m);
    agent.lanes.push(lane);
    lane.members.add(m);
    return m;
  }

  /** Drops a cached eligibility. */
  unlink(m: Membership): void {
    if (m.ready) {
      m.ready = false;
      m.lane.picker.unready(m);
    }
    m.lane.members.delete(m);
    m.lane.picker.memberRemoved(m);
    const list = m.agent.memberships;
    const lanes = m.agent.lanes;
    const last = list.pop();
    const lastLane = lanes.pop();
    if (last && lastLane && last !== m) {
      list[m.agentIndex] = last;
      lanes[m.agentIndex] = lastLane;
      last.agentIndex = m.agentIndex;
    }
  }

  /**
   * The single transition point: after any change to an agent, settle a pending logout, derive the
   * shown state (event when it changed) and its readiness per channel. Lanes (and the sticky box)
   * where the agent just became ready may now match. Pickers and queue counts are synced in `sync`
   * at the end of the operation. `reexamine` (after a config change) treats the agent as newly
   * ready everywhere it can take work.
   */
  refresh(agent: AgentRecord, cause: string, op: Operation, reexamine = false): void {
    const why = settlePendingLogout(agent) ? 'logout' : cause;
    const next = deriveAgentState(agent);
    if (next !== agent.state) {
      const previous = agent.state;
      agent.state = next;
      op.emit({
        type: 'agent_state',
        agentId: agent.id,
        state: next,
        previous,
        reason: next === 'not_ready' ? agent.reason : null,
        cause: why,
      });
    }
    const before = reexamine ? 0 : agent.readyMask;
    const mask = readyMask(agent);
    agent.readyMask = mask;
    if (reexamine) agent.forceSync = true;
    agent.needsSync = true;
    op.addPending(agent);
    const gained = mask & ~before;
    if (gained === 0) return;
    for (const lane of agent.lanes) {
      if (((gained >> lane.channelIndex) & 1) === 1 && lane.waiting.size > 0) op.markDirty(lane);
    }
    const box = this.boxes.get(agent.id);
    if (box) op.markDirty(box);
  }

  /**
   * Writes an agent's current state and readiness to the queue counts and the lane pickers. Only
   * work that changes something: an agent neither ready before nor after touches no picker.
   */
  sync(agent: AgentRecord, op: Operation): void {
    if (agent.state !== agent.countedState) {
      for (const q of agent.baseQueues) {
        q.stats.agentMoved(agent.countedState, agent.state);
        op.touch(q);
      }
      agent.countedState = agent.state;
    }
    const mask = agent.readyMask;
    // Ready before and after: keys (idle time, load) may have changed, so re-key.
    if (mask !== 0 || agent.syncedMask !== 0 || agent.forceSync) {
      for (const m of agent.memberships) {
        const lane = m.lane;
        if (((mask >> lane.channelIndex) & 1) === 1) {
          if (m.ready) {
            lane.picker.rekey(m);
          } else {
            m.ready = true;
            lane.picker.ready(m);
          }
        } else if (m.ready) {
          m.ready = false;
          lane.picker.unready(m);
        }
      }
    }
    agent.syncedMask = mask;
    agent.forceSync = false;
    agent.needsSync = false;
  }

  /** The agent's membership of a lane, if it meets the lane's requirement. */
  membershipOf(agent: AgentRecord, lane: Lane): Membership | undefined {
    const i = agent.lanes.indexOf(lane);
    return i < 0 ? undefined : agent.memberships[i];
  }

  private unindex(agent: AgentRecord): void {
    for (const skill of agent.skills.keys()) {
      const set = this.bySkill.get(skill);
      set?.delete(agent);
      if (set?.size === 0) this.bySkill.delete(skill);
    }
  }
}
