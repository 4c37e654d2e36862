/**
 * Agent selection per lane, one picker per queue strategy. Heap strategies keep ready agents in an
 * indexed heap ordered by the strategy's key; round_robin and ring_all use the id-ordered ring.
 */
import { AgentRing } from './agent-ring.js';
import { KeyedHeap } from './heap.js';
import type { AgentPicker, Membership } from './model.js';
import type { Strategy } from './types.js';

/** Primary key of an agent in a lane for a heap strategy (lower is picked first). */
type PrimaryKey = (m: Membership) => number;

const byIdle: PrimaryKey = (m) => m.agent.idleSince;
/** Load fraction over all channels; a/b of small integers rounds exactly, so equal loads tie. */
const byLoad: PrimaryKey = (m) => m.agent.totalLoad / Math.max(1, m.agent.totalCapacity);
const bySkill: PrimaryKey = (m) => -m.skillSum;

const slot = {
  get: (m: Membership) => m.pickIndex,
  set: (m: Membership, i: number) => {
    m.pickIndex = i;
  },
};

const byAgentId = (a: Membership, b: Membership) => a.agent.id < b.agent.id;

/**
 * longest_idle: (idle since, agent id); least_occupied: (load fraction, idle since, agent id);
 * highest_skill: (−skill sum, idle since, agent id). Keys are written when an agent becomes ready
 * or its idle time or load changes.
 */
class HeapPicker implements AgentPicker {
  private readonly heap = new KeyedHeap<Membership>(byAgentId, slot);

  constructor(
    readonly strategy: Strategy,
    private readonly primary: PrimaryKey,
    /** Whether idle time breaks ties on the primary key (it is the primary key for longest_idle). */
    private readonly idleSecond: boolean,
  ) {}

  get readyCount(): number {
    return this.heap.size;
  }

  before(a: Membership, b: Membership): boolean {
    const pa = this.primary(a);
    const pb = this.primary(b);
    if (pa !== pb) return pa < pb;
    if (this.idleSecond && a.agent.idleSince !== b.agent.idleSince)
      return a.agent.idleSince < b.agent.idleSince;
    return a.agent.id < b.agent.id;
  }

  memberAdded(): void {}

  memberRemoved(m: Membership): void {
    this.heap.remove(m);
  }

  ready(m: Membership): void {
    if (!this.heap.has(m)) this.heap.push(m, this.primary(m), this.idleSecond ? m.agent.idleSince : 0);
  }

  unready(m: Membership): void {
    this.heap.remove(m);
  }

  rekey(m: Membership): void {
    this.heap.update(m, this.primary(m), this.idleSecond ? m.agent.idleSince : 0);
  }

  pick(): Membership | undefined {
    return this.heap.peek();
  }

  allReady(): Membership[] {
    return [...this.heap.values()].sort((a, b) => (a.agent.id < b.agent.id ? -1 : 1));
  }
}

class RingPicker implements AgentPicker {
  private readonly ring: AgentRing;

  constructor(
    readonly strategy: Strategy,
    members: ReadonlySet<Membership>,
  ) {
    this.ring = new AgentRing(members);
  }

  get readyCount(): number {
    return this.ring.readyCount;
  }

  memberAdded(): void {
    this.ring.invalidate();
  }

  memberRemoved(): void {
    this.ring.invalidate();
  }

  ready(m: Membership): void {
    this.ring.ready(m);
  }

  unready(m: Membership): void {
    this.ring.unready(m);
  }

  rekey(): void {}

  pick(lastPickedAgentId: string | null): Membership | undefined {
    return this.ring.next(lastPickedAgentId);
  }

  /** Next after the last picked (wrapping), i.e. ids above it first, each part in id order. */
  before(a: Membership, b: Membership, lastPickedAgentId: string | null): boolean {
    if (lastPickedAgentId !== null) {
      const aAfter = a.agent.id > lastPickedAgentId;
      if (aAfter !== b.agent.id > lastPickedAgentId) return aAfter;
    }
    return a.agent.id < b.agent.id;
  }

  allReady(): Membership[] {
    return this.ring.allReady();
  }
}

/** A picker for `strategy` over a lane's member set (members must already have `ready` set). */
export function createPicker(strategy: Strategy, members: ReadonlySet<Membership>): AgentPicker {
  let picker: AgentPicker;
  switch (strategy) {
    case 'longest_idle':
      picker = new HeapPicker(strategy, byIdle, false);
      break;
    case 'least_occupied':
      picker = new HeapPicker(strategy, byLoad, true);
      break;
    case 'highest_skill':
      picker = new HeapPicker(strategy, bySkill, true);
      break;
    case 'round_robin':
    case 'ring_all':
      return new RingPicker(strategy, members);
  }
  for (const m of members) if (m.ready) picker.ready(m);
  return picker;
}
