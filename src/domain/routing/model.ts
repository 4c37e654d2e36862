/**
 * Internal records of the routing engine. Mutable on purpose: the engine is the only writer and
 * keeps every index (heaps, counters) in step with them. Not exported from the package index.
 */
import type { KeyedHeap } from './heap.js';
import type { Requirement } from './requirements.js';
import type {
  AgentConfig,
  AgentState,
  Channel,
  InteractionPhase,
  OverflowRule,
  Presence,
  QueueConfig,
  Strategy,
} from './types.js';
import type { QueueStatsCounter } from './queue-stats.js';

export interface AgentRecord {
  readonly id: string;
  config: AgentConfig;
  skills: Map<string, number>;
  /** Indexed by channel index (see CHANNEL_INDEX). */
  capacity: number[];
  exclusive: boolean[];
  totalCapacity: number;
  load: number[];
  totalLoad: number;
  /** Work on the agent's exclusive channels. */
  exclusiveLoad: number;
  offers: number;
  active: number;
  wrapUps: number;
  /** interactionId → work item, in the order the work arrived. */
  work: Map<string, WorkItem>;
  loggedIn: boolean;
  presence: Presence;
  reason: string | null;
  pendingLogout: boolean;
  state: AgentState;
  /** When the agent last became idle: later of last work end and last becoming available. */
  idleSince: number;
  /** Bit per channel index: the agent can take one more interaction on it now. */
  readyMask: number;
  /** readyMask as last written to the lane pickers (they are synced once per operation). */
  syncedMask: number;
  /** State as last counted in the queues' per-state agent counts. */
  countedState: AgentState;
  /** Memberships changed: the next sync must visit every one. */
  forceSync: boolean;
  /** Changed since the last sync: its picker entries may hold stale readiness or keys. */
  needsSync: boolean;
  pendingStamp: number;
  memberships: Membership[];
  /** memberships[i].lane, kept flat so scanning an agent's lanes touches one array. */
  lanes: Lane[];
  /** Queues whose base requirement the agent meets (for the per-state agent counts). */
  baseQueues: QueueRecord[];
}

export interface WorkItem {
  readonly interaction: InteractionRecord;
  phase: InteractionPhase;
  reservation: Reservation | null;
}

export interface Reservation {
  readonly id: string;
  readonly interaction: InteractionRecord;
  readonly agent: AgentRecord;
  readonly expiresAt: number;
  /** Offered by a ring_all queue: a timeout frees the agent without a missed penalty. */
  readonly ringAll: boolean;
  timer: Timer | null;
}

export interface QueueRecord {
  readonly id: string;
  config: QueueConfig;
  /** Overflow rules sorted by afterSec. */
  rules: OverflowRule[];
  /** stageRequirements[k]: base requirement after the widen steps among the first k rules. */
  stageRequirements: Requirement[];
  stageSignatures: string[];
  removed: boolean;
  stats: QueueStatsCounter;
  /** Agents meeting the base requirement (logged in or not). */
  baseAgents: Set<AgentRecord>;
  /** Number of waiting and offered interactions of this queue. */
  unserved: number;
  /** channel + requirement signature → lane. */
  lanes: Map<string, Lane>;
  /** Lane per (stage, channel) for interactions without extra requirements: no key building. */
  stageLanes: (Lane | undefined)[];
  /** round_robin: the agent picked last in this queue. */
  lastPickedAgentId: string | null;
  touchStamp: number;
  /** Creation order: queue_stats events come in this order. */
  readonly order: number;
}

export interface InteractionRecord {
  readonly id: string;
  queue: QueueRecord;
  readonly channel: Channel;
  readonly channelIndex: number;
  priority: number;
  readonly vip: boolean;
  effectivePriority: number;
  readonly arrivedAt: number;
  readonly seq: number;
  readonly extra: Requirement;
  /** Overflow stage within the current queue (rules applied so far). */
  stage: number;
  requirement: Requirement;
  requirementSignature: string;
  readonly preferredAgentId: string | null;
  readonly preferredUntil: number | null;
  /** The sticky window is still open (it closes in tick). */
  sticky: boolean;
  phase: InteractionPhase;
  lane: Lane | null;
  laneIndex: number;
  oldestIndex: number;
  box: StickyBox | null;
  offers: Reservation[];
  agent: AgentRecord | null;
  overflowTimer: Timer | null;
  maxWaitTimer: Timer | null;
  stickyTimer: Timer | null;
  wrapUpTimer: Timer | null;
}

/** Waiting interactions of one queue and channel with one effective requirement. */
export interface Lane {
  readonly kind: 'lane';
  readonly key: string;
  readonly queue: QueueRecord;
  readonly channel: Channel;
  readonly channelIndex: number;
  readonly requirement: Requirement;
  readonly anchor: string | null;
  /** Keys: (−effective priority, arrivedAt, seq), then id. */
  readonly waiting: KeyedHeap<InteractionRecord>;
  readonly members: Set<Membership>;
  picker: AgentPicker;
  destroyed: boolean;
  /** Position in the per-operation match heap, and the head it was entered with. */
  matchIndex: number;
  matchHead: InteractionRecord | null;
  dirtyStamp: number;
}

/** Interactions waiting for one preferred agent (sticky routing). */
export interface StickyBox {
  readonly kind: 'box';
  readonly agentId: string;
  readonly items: Set<InteractionRecord>;
  matchIndex: number;
  matchHead: InteractionRecord | null;
  dirtyStamp: number;
}

export type MatchSource = Lane | StickyBox;

/** An agent that meets a lane's requirement (cached eligibility). */
export interface Membership {
  readonly agent: AgentRecord;
  readonly lane: Lane;
  readonly skillSum: number;
  /** The agent is in the lane's picker (ready as of the agent's last sync). */
  ready: boolean;
  agentIndex: number;
  pickIndex: number;
  rank: number;
}

/** Chooses among a lane's ready agents by the queue's strategy. */
export interface AgentPicker {
  readonly strategy: Strategy;
  readonly readyCount: number;
  memberAdded(m: Membership): void;
  memberRemoved(m: Membership): void;
  ready(m: Membership): void;
  unready(m: Membership): void;
  /** The agent's key (idle time, load) changed. */
  rekey(m: Membership): void;
  pick(lastPickedAgentId: string | null): Membership | undefined;
  allReady(): Membership[];
  /** The strategy's order: `a` is chosen before `b`. */
  before(a: Membership, b: Membership, lastPickedAgentId: string | null): boolean;
}

export type TimerKind = 'reservation' | 'wrap_up' | 'overflow' | 'max_wait' | 'sticky';

export interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly kind: TimerKind;
  readonly interaction: InteractionRecord;
  readonly reservation: Reservation | null;
  index: number;
}

/** Channel → dense index, for per-channel arrays and bit masks. */
export const CHANNEL_INDEX: Readonly<Record<Channel, number>> = {
  voice: 0,
  chat: 1,
  email: 2,
  sms: 3,
  callback: 4,
  ticket: 5,
};
export const CHANNEL_COUNT = 6;

/** Service order: higher effective priority, then earlier arrival, then lower seq (then id). */

export function servedBefore(a: InteractionRecord, b: InteractionRecord): boolean {
  if (a.effectivePriority !== b.effectivePriority) return a.effectivePriority > b.effectivePriority;
  if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt < b.arrivedAt;
  if (a.seq !== b.seq) return a.seq < b.seq;
  return a.id < b.id;
}
