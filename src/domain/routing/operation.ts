/**
 * What one engine operation has caused so far: the events in causal order, the queues whose
 * statistics changed, the lanes and sticky boxes that may now have a match, and the agents whose
 * indexes are synced at the end (an agent freed and offered new work in one operation then costs
 * no heap updates at all). Sets are arrays plus a per-operation stamp on each record: cheaper than
 * hashing on every add, and this runs several times per routing decision.
 */
import type { AgentRecord, MatchSource, QueueRecord } from './model.js';
import type { RoutingEvent } from './types.js';

export class Operation {
  events: RoutingEvent[] = [];
  readonly touched: QueueRecord[] = [];
  readonly dirty: MatchSource[] = [];
  /** Agents changed in this operation whose lane pickers and queue counts are not synced yet. */
  readonly pending: AgentRecord[] = [];
  now = 0;
  private stamp = 0;

  /** Starts the next operation (the engine reuses one Operation: operations never nest). */
  begin(now: number): void {
    this.now = now;
    this.events = [];
    this.stamp++;
    this.touched.length = 0;
    this.dirty.length = 0;
    this.pending.length = 0;
  }

  /** Records an event. */
  emit(event: RoutingEvent): void {
    this.events.push(event);
  }

  /** The queue's statistics changed; one queue_stats event follows at the end. */
  touch(queue: QueueRecord): void {
    if (queue.touchStamp === this.stamp || queue.removed) return;
    queue.touchStamp = this.stamp;
    this.touched.push(queue);
  }

  /** The source may have a match now. */
  markDirty(source: MatchSource): void {
    if (source.dirtyStamp === this.stamp) return;
    source.dirtyStamp = this.stamp;
    this.dirty.push(source);
  }

  /** Takes the source at `index` out of the dirty list (order is not kept). */
  dropDirty(index: number): void {
    const d = this.dirty;
    const gone = d[index];
    if (!gone) return;
    gone.dirtyStamp = 0;
    const last = d.pop() as MatchSource;
    if (index < d.length) d[index] = last;
  }

  /** Empties the dirty list. */
  clearDirty(): void {
    for (const source of this.dirty) source.dirtyStamp = 0;
    this.dirty.length = 0;
  }

  /** The agent changed and must be synced at the end. */
  addPending(agent: AgentRecord): void {
    if (agent.pendingStamp === this.stamp) return;
    agent.pendingStamp = this.stamp;
    this.pending.push(agent);
  }

  /** Empties the pending list. */
  clearPending(): void {
    for (const agent of this.pending) agent.pendingStamp = 0;
    this.pending.length = 0;
  }
}
