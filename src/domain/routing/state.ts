/** Everything the engine holds, shared by the modules that implement its operations. */
import { AgentPool } from './agent-pool.js';
import { Deadlines } from './deadlines.js';
import { LaneDirectory } from './lane-directory.js';
import { KeyedHeap } from './heap.js';
import type { InteractionRecord, MatchSource, Reservation } from './model.js';
import { QueueDirectory } from './queues.js';

/** Internal thresholds; any values give the same decisions, only the cost differs. */
export interface RoutingTuning {
  /** Up to this many lanes to match, find the best head by a scan instead of a heap. */
  scanLimit: number;
  /** Above this many agents changed in one operation, sync them all before picking agents. */
  pendingScanLimit: number;
}

export const DEFAULT_TUNING: RoutingTuning = { scanLimit: 32, pendingScanLimit: 4 };

export class RoutingState {
  constructor(readonly tuning: RoutingTuning = DEFAULT_TUNING) {}

  readonly agents = new AgentPool();
  readonly queues = new QueueDirectory(this.agents);
  readonly lanes = new LaneDirectory(this.agents);
  readonly interactions = new Map<string, InteractionRecord>();
  readonly reservations = new Map<string, Reservation>();
  readonly deadlines = new Deadlines();
  /** Lanes and sticky boxes by their head's service keys while draining (empty between operations). */
  readonly matchHeap = new KeyedHeap<MatchSource>(
    (a, b) => (a.matchHead?.id ?? '') < (b.matchHead?.id ?? ''),
    {
      get: (x) => x.matchIndex,
      set: (x, i) => {
        x.matchIndex = i;
      },
    },
  );
  /** Reservation ids are r1, r2, … in offer order: deterministic across identical runs. */
  reservationCounter = 0;
}
