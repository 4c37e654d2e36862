/**
 * Queue statistics kept incrementally: every counter moves with the event that changes it, so a
 * snapshot costs O(1) whatever the number of agents or interactions.
 */
import { KeyedHeap } from './heap.js';
import type { InteractionRecord } from './model.js';
import type { AgentState, QueueStats } from './types.js';

/** Dense index of a counted state (-1 for logged_out); a switch on interned strings is fast. */
function stateIndex(state: AgentState): number {
  switch (state) {
    case 'available':
      return 0;
    case 'not_ready':
      return 1;
    case 'reserved':
      return 2;
    case 'busy':
      return 3;
    case 'wrap_up':
      return 4;
    case 'logged_out':
      return -1;
  }
}

const oldestSlot = {
  get: (ix: InteractionRecord) => ix.oldestIndex,
  set: (ix: InteractionRecord, i: number) => {
    ix.oldestIndex = i;
  },
};

export class QueueStatsCounter {
  private answered = 0;
  private answeredWithinThreshold = 0;
  private abandoned = 0;
  /** Agents per state, indexed by stateIndex. */
  private readonly agents = [0, 0, 0, 0, 0];
  /** Waiting interactions by arrival, for the count and the oldest one. */
  private readonly waiting = new KeyedHeap<InteractionRecord>((a, b) => a.id < b.id, oldestSlot);

  /** An interaction starts waiting in the queue. */
  addWaiting(ix: InteractionRecord): void {
    this.waiting.push(ix, ix.arrivedAt, ix.seq);
  }

  /** An interaction stops waiting (offered, gone or moved). */
  removeWaiting(ix: InteractionRecord): void {
    this.waiting.remove(ix);
  }

  /** The waiting interactions, unordered. */
  waitingItems(): readonly InteractionRecord[] {
    return this.waiting.values();
  }

  /** An interaction was accepted after waiting `waitedMs`. */
  recordAnswer(waitedMs: number, thresholdMs: number): void {
    this.answered++;
    if (waitedMs <= thresholdMs) this.answeredWithinThreshold++;
  }

  /** The customer left before being served. */
  recordAbandon(): void {
    this.abandoned++;
  }

  /** An eligible agent changed state (logged_out is not counted). */
  agentMoved(from: AgentState, to: AgentState): void {
    const a = this.agents;
    const f = stateIndex(from);
    const t = stateIndex(to);
    if (f >= 0) a[f] = (a[f] as number) - 1;
    if (t >= 0) a[t] = (a[t] as number) + 1;
  }

  /** A snapshot for the queue_stats event and the read API. */
  snapshot(queueId: string): QueueStats {
    const denominator = this.answered + this.abandoned;
    const a = this.agents;
    return {
      queueId,
      waiting: this.waiting.size,
      oldestArrivedAt: this.waiting.peek()?.arrivedAt ?? null,
      answered: this.answered,
      answeredWithinThreshold: this.answeredWithinThreshold,
      abandoned: this.abandoned,
      serviceLevelPct: denominator === 0 ? null : (this.answeredWithinThreshold / denominator) * 100,
      agents: {
        available: a[0] as number,
        not_ready: a[1] as number,
        reserved: a[2] as number,
        busy: a[3] as number,
        wrap_up: a[4] as number,
      },
    };
  }

  /**
   * A snapshot if anything changed since the last one reported (null otherwise), so an operation
   * whose changes cancel out (a requeue offered again at once) reports nothing for the queue.
   */
  reportChange(queueId: string): QueueStats | null {
    const r = this.reported;
    const a = this.agents;
    const oldest = this.waiting.peek()?.arrivedAt ?? -1;
    if (
      this.hasReported &&
      r[0] === this.waiting.size &&
      r[1] === oldest &&
      r[2] === this.answered &&
      r[3] === this.answeredWithinThreshold &&
      r[4] === this.abandoned &&
      r[5] === a[0] &&
      r[6] === a[1] &&
      r[7] === a[2] &&
      r[8] === a[3] &&
      r[9] === a[4]
    ) {
      return null;
    }
    r[0] = this.waiting.size;
    r[1] = oldest;
    r[2] = this.answered;
    r[3] = this.answeredWithinThreshold;
    r[4] = this.abandoned;
    for (let i = 0; i < 5; i++) r[5 + i] = a[i] as number;
    this.hasReported = true;
    return this.snapshot(queueId);
  }

  /** The numbers behind the last reported snapshot. */
  private readonly reported = new Float64Array(10);
  private hasReported = false;
}
