/** Builders shared by the routing tests (no tests here). */
import type { AgentConfig, InteractionInput, QueueConfig, RoutingEvent } from './types.js';

export const T0 = 1_700_000_000_000;

/** A queue with no requirement, longest_idle, 30 s offers, no wrap-up, no limits. */
export function queue(id: string, over: Partial<QueueConfig> = {}): QueueConfig {
  return {
    id,
    requirements: [],
    priority: 0,
    strategy: 'longest_idle',
    reservationTimeoutMs: 30_000,
    wrapUpMs: 0,
    maxWaitMs: null,
    overflow: [],
    stickyMs: 0,
    serviceLevelThresholdMs: 20_000,
    ...over,
  };
}

/** An agent with voice 1 (exclusive), chat 3, email 5. */
export function agent(
  id: string,
  skills: Record<string, number> = {},
  over: Partial<AgentConfig> = {},
): AgentConfig {
  return {
    id,
    teamId: null,
    skills,
    capacity: { voice: 1, chat: 3, email: 5 },
    exclusiveChannels: ['voice'],
    ...over,
  };
}

/** A voice interaction arriving at `arrivedAt`. */
export function call(
  id: string,
  queueId: string,
  seq: number,
  arrivedAt: number,
  over: Partial<InteractionInput> = {},
): InteractionInput {
  return { id, queueId, channel: 'voice', priority: 0, vip: false, arrivedAt, seq, ...over };
}

type Of<K extends RoutingEvent['type']> = Extract<RoutingEvent, { type: K }>;

/** The events of one type. */
export function ofType<K extends RoutingEvent['type']>(events: RoutingEvent[], type: K): Of<K>[] {
  return events.filter((e): e is Of<K> => e.type === type);
}

/** The offers as "interaction→agent" strings, in order. */
export function offered(events: RoutingEvent[]): string[] {
  return ofType(events, 'offer').map((e) => `${e.interactionId}→${e.agentId}`);
}

/** The one offer in `events` for this interaction (throws when missing). */
export function offerOf(events: RoutingEvent[], interactionId: string): Of<'offer'> {
  const e = ofType(events, 'offer').find((o) => o.interactionId === interactionId);
  if (!e) throw new Error(`no offer for ${interactionId} in ${JSON.stringify(events.map((x) => x.type))}`);
  return e;
}
