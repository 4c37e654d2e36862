/**
 * Public types of the routing engine (ACD). The engine is pure: every operation takes `now`
 * (milliseconds since the epoch) and returns the events it caused; no clocks, no I/O.
 */

/** Channels that the one routing engine serves. */
export type Channel = 'voice' | 'chat' | 'email' | 'sms' | 'callback' | 'ticket';
export const CHANNELS: readonly Channel[] = ['voice', 'chat', 'email', 'sms', 'callback', 'ticket'];

/** How a queue chooses among eligible agents with spare capacity. */
export type Strategy = 'longest_idle' | 'least_occupied' | 'highest_skill' | 'round_robin' | 'ring_all';
export const STRATEGIES: readonly Strategy[] = [
  'longest_idle',
  'least_occupied',
  'highest_skill',
  'round_robin',
  'ring_all',
];

/** A skill an interaction needs, at a minimum level (1–10). */
export interface SkillRequirement {
  skill: string;
  minLevel: number;
}

/**
 * Overflow: after `afterSec` of waiting (measured from arrival), either widen the requirement
 * (lower every min level by `lowerMinLevelBy`, floor 1, and/or drop the named skills) or move the
 * interaction to another queue, keeping its arrival time and so its place.
 */
export type OverflowRule =
  | { afterSec: number; action: 'widen'; lowerMinLevelBy?: number; dropSkills?: string[] }
  | { afterSec: number; action: 'move'; toQueueId: string };

export interface QueueConfig {
  id: string;
  requirements: SkillRequirement[];
  /** Added to each interaction's own priority; higher is served first, across queues. */
  priority: number;
  strategy: Strategy;
  reservationTimeoutMs: number;
  /** Wrap-up time after each interaction; 0 frees the slot at once. */
  wrapUpMs: number;
  /** Waiting longer than this removes the interaction (event `max_wait_exceeded`); null = no limit. */
  maxWaitMs: number | null;
  /** Sorted by afterSec ascending. */
  overflow: OverflowRule[];
  /** Sticky routing window: a returning customer waits this long for their last agent first. 0 = off. */
  stickyMs: number;
  /** Answered within this many ms counts towards the service level. */
  serviceLevelThresholdMs: number;
}

export interface AgentConfig {
  id: string;
  teamId: string | null;
  /** skill → level 1..10 */
  skills: Record<string, number>;
  /** Concurrent work per channel, e.g. { voice: 1, chat: 3, email: 5 }. A missing channel is 0. */
  capacity: Partial<Record<Channel, number>>;
  /**
   * Mixing rule: an exclusive channel is taken only when the agent has no other work, and while the
   * agent has work on it nothing else is offered (the usual rule for voice).
   */
  exclusiveChannels: Channel[];
}

export type Presence = 'logged_out' | 'available' | 'not_ready';

/** The one state an agent shows; derived from presence and work, changes are emitted as events. */
export type AgentState = 'logged_out' | 'available' | 'not_ready' | 'reserved' | 'busy' | 'wrap_up';

export interface InteractionInput {
  id: string;
  queueId: string;
  channel: Channel;
  /** Interaction's own priority (0 = normal). */
  priority: number;
  /** VIP raises the effective priority by VIP_PRIORITY_BOOST. */
  vip: boolean;
  /** Arrival time; with `seq` it fixes the interaction's place (FIFO within a priority). */
  arrivedAt: number;
  /** Monotonic tie-breaker assigned by the caller. */
  seq: number;
  /** Requirements on top of the queue's (e.g. a language chosen in the IVR). */
  extraRequirements?: SkillRequirement[];
  /** Sticky routing: offered only to this agent until `preferredUntil`, then to everyone. */
  preferredAgentId?: string | null;
  preferredUntil?: number | null;
}

export const VIP_PRIORITY_BOOST = 10;

export type InteractionPhase = 'waiting' | 'offered' | 'active' | 'wrap_up';

export interface QueueStats {
  queueId: string;
  waiting: number;
  /** Arrival time of the longest-waiting interaction, null when none wait. */
  oldestArrivedAt: number | null;
  answered: number;
  answeredWithinThreshold: number;
  abandoned: number;
  /** answeredWithinThreshold / (answered + abandoned) in percent; null before the first. */
  serviceLevelPct: number | null;
  /** Logged-in agents eligible for this queue, by state. */
  agents: Record<Exclude<AgentState, 'logged_out'>, number>;
}

export type OfferCancelReason = 'timeout' | 'rejected' | 'taken_by_other' | 'abandoned' | 'moved';

export type RoutingEvent =
  | {
      type: 'offer';
      reservationId: string;
      interactionId: string;
      agentId: string;
      queueId: string;
      channel: Channel;
      expiresAt: number;
    }
  | {
      type: 'offer_cancelled';
      reservationId: string;
      interactionId: string;
      agentId: string;
      reason: OfferCancelReason;
    }
  | { type: 'accepted'; interactionId: string; agentId: string; reservationId: string; queueId: string }
  | { type: 'requeued'; interactionId: string; queueId: string; reason: 'timeout' | 'rejected' }
  | { type: 'overflowed'; interactionId: string; fromQueueId: string; toQueueId: string; stage: number }
  | { type: 'max_wait_exceeded'; interactionId: string; queueId: string }
  | { type: 'wrap_up_started'; interactionId: string; agentId: string; endsAt: number }
  | { type: 'wrap_up_ended'; interactionId: string; agentId: string; cause: 'timer' | 'agent' }
  | {
      type: 'agent_state';
      agentId: string;
      state: AgentState;
      previous: AgentState;
      /** not-ready reason code, when state is not_ready */
      reason: string | null;
      /** what caused the change: 'login', 'logout', 'presence', 'offer', 'accept', 'missed', ... */
      cause: string;
    }
  | { type: 'queue_stats'; stats: QueueStats };
