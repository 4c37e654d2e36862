/** Everything the engine holds, shared by the modules that implement its operations. */
import { AgentPool } from './agent-pool.js';
import { Deadlines } from './deadlines.js';
import { LaneDirectory } from './lane-directory.js';
import { KeyedHeap } from './keyed-heap.js';
import type { InteractionRecord, MatchSource, Reservation } from './model.js';
import { QueueDirectory } from './queues.js';

export class RoutingState {
  readonly agents = new AgentPool();
  readonly queues = new QueueDirectory(this.agents);
  readonly lanes = new LaneDirectory(this.agents);
  readonly interactions = new Map<string, InteractionRecord>();
  readonly reservations = new Map<string, Reservation>();
  readonly deadlines = new Deadlines();
  /** Lanes and sticky boxes by their head's service keys while draining (empty between operations). */
  readonly matchHeap = new KeyedHeap<MatchSource>((a, b) => (a.matchHead?.id ?? '') < (b.matchHead?.id ?? ''), {
    get: (x) => x.matchIndex,
    set: (x, i) => {
      x.matchIndex = i;
    },
  });
  /** Reservation ids are r1, r2, … in offer order: deterministic across identical runs. */
  reservationCounter = 0;
}
