/**
 * What one engine operation has caused so far: the events in causal order, the queues whose
 * statistics changed, the lanes and sticky boxes that may now have a match, and the agents whose
 * indexes are synced at the end (an agent freed and offered new work in one operation then costs
 * no heap updates at all).
 */
import type { AgentRecord, MatchSource, QueueRecord } from './model.js';
import type { RoutingEvent } from './types.js';

export class Operation {
  events: RoutingEvent[] = [];
  readonly touched = new Set<QueueRecord>();
  readonly dirty = new Set<MatchSource>();
  /** Agents changed in this operation whose lane pickers and queue counts are not synced yet. */
  readonly pending = new Set<AgentRecord>();
  now = 0;

  /** Starts the next operation (the engine reuses one Operation: operations never nest). */
  begin(now: number): void {
    this.now = now;
    this.events = [];
    // Set.clear() reallocates its table: skip it when already empty (the usual case).
    if (this.touched.size > 0) this.touched.clear();
    if (this.dirty.size > 0) this.dirty.clear();
    if (this.pending.size > 0) this.pending.clear();
  }

  /** Records an event. */
  emit(event: RoutingEvent): void {
    this.events.push(event);
  }

  /** The queue's statistics changed; one queue_stats event follows at the end. */
  touch(queue: QueueRecord): void {
    if (!queue.removed) this.touched.add(queue);
  }
}
