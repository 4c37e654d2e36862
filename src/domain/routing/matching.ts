/**
 * Draining: after each operation, every lane or sticky box that may have gained a match is served
 * best-interaction-first across all of them (priority, then arrival, then seq). A pair (agent,
 * interaction) can only have appeared in a dirty source, and the global head order means no agent
 * is given an interaction while it was eligible for a strictly better one.
 */
import { satisfies } from './requirements.js';
import {
  servedBefore,
  type AgentRecord,
  type InteractionRecord,
  type Lane,
  type MatchSource,
  type Membership,
  type StickyBox,
} from './model.js';
import { offer } from './offers.js';
import type { Operation } from './operation.js';
import type { RoutingState } from './state.js';

/** Above this many changed agents, sync them all rather than scanning them per lane. */
const PENDING_SCAN_LIMIT = 4;
/** Up to this many dirty sources, find the best head by a scan instead of a heap. */
const SCAN_LIMIT = 32;

/** Offers until no waiting interaction has an eligible agent with room, then syncs the agents. */
export function drain(s: RoutingState, op: Operation): void {
  while (op.dirty.size > 0) {
    if (op.dirty.size <= SCAN_LIMIT) drainByScan(s, op);
    else drainByHeap(s, op);
  }
  syncPending(s, op);
}

/**
 * The usual case (one agent freed, one arrival): repeatedly serve the best head among the few
 * dirty sources. A source that cannot be served now never can in this operation (readiness only
 * drops and heads only leave while draining), so it is dropped from the set.
 */
function drainByScan(s: RoutingState, op: Operation): void {
  const dirty = op.dirty;
  for (;;) {
    let best: MatchSource | undefined;
    let bestHead: InteractionRecord | undefined;
    for (const source of dirty) {
      const head = mayServe(source, op) ? headOf(s, source) : undefined;
      if (!head) {
        dirty.delete(source);
        continue;
      }
      if (!bestHead || servedBefore(head, bestHead)) {
        best = source;
        bestHead = head;
      }
    }
    if (!best || !bestHead) return;
    if (!serve(s, best, bestHead, op)) dirty.delete(best);
  }
}

/** Many dirty sources (a tick freeing many agents): a heap by head service keys. */
function drainByHeap(s: RoutingState, op: Operation): void {
  const heap = s.matchHeap;
  heap.clear();
  for (const source of op.dirty) enter(s, source);
  op.dirty.clear();
  for (let source = heap.pop(); source !== undefined; source = heap.pop()) {
    const head = headOf(s, source);
    const entered = source.matchHead;
    source.matchHead = null;
    if (!head || !mayServe(source, op)) continue;
    if (head !== entered) {
      enter(s, source);
      continue;
    }
    if (serve(s, source, head, op)) enter(s, source);
  }
}

/** Puts a source in the match heap by its head's service keys (read from the lane heap's arrays). */
function enter(s: RoutingState, source: MatchSource): void {
  const head = headOf(s, source);
  if (!head || s.matchHeap.has(source)) return;
  source.matchHead = head;
  if (source.kind === 'lane') {
    const w = source.waiting;
    s.matchHeap.push(source, w.topKey(0), w.topKey(1), w.topKey(2));
  } else {
    s.matchHeap.push(source, -head.effectivePriority, head.arrivedAt, head.seq);
  }
}

function syncPending(s: RoutingState, op: Operation): void {
  for (const agent of op.pending) s.agents.sync(agent, op);
  op.pending.clear();
}

/** The best interaction a source could hand out now. */
function headOf(s: RoutingState, source: MatchSource): InteractionRecord | undefined {
  if (source.kind === 'lane') return source.destroyed ? undefined : source.waiting.peek();
  return stickyHead(s, source);
}

/** Best sticky interaction the preferred agent can take now (skills and room on the channel). */
function stickyHead(s: RoutingState, box: StickyBox): InteractionRecord | undefined {
  const agent = s.agents.get(box.agentId);
  if (!agent || agent.readyMask === 0) return undefined;
  let best: InteractionRecord | undefined;
  for (const ix of box.items) {
    if (((agent.readyMask >> ix.channelIndex) & 1) === 0) continue;
    if (!satisfies(agent.skills, ix.requirement)) continue;
    if (!best || servedBefore(ix, best)) best = ix;
  }
  return best;
}

/** Offers `ix` from its source by the queue's strategy; false when no agent can take it. */
function serve(s: RoutingState, source: MatchSource, ix: InteractionRecord, op: Operation): boolean {
  if (source.kind === 'box') {
    const agent = s.agents.get(source.agentId);
    if (!agent) return false;
    offer(s, ix, agent, false, op);
    return true;
  }
  if (op.pending.size > PENDING_SCAN_LIMIT) syncPending(s, op);
  const queue = source.queue;
  const last = queue.lastPickedAgentId;
  if (queue.config.strategy === 'ring_all') {
    const all = source.picker
      .allReady()
      .filter((m) => readyFor(m.agent, source))
      .concat(pendingCandidates(s, source, op))
      .sort((a, b) => (a.agent.id < b.agent.id ? -1 : 1));
    if (all.length === 0) return false;
    for (const m of all) offer(s, ix, m.agent, true, op);
    return true;
  }
  let best = pickerChoice(s, source, op);
  for (const agent of op.pending) {
    if (!readyFor(agent, source)) continue;
    const m = s.agents.membershipOf(agent, source);
    if (m && !m.ready && (!best || source.picker.before(m, best, last))) best = m;
  }
  if (!best) return false;
  queue.lastPickedAgentId = best.agent.id;
  offer(s, ix, best.agent, false, op);
  return true;
}

/** Cheap test before serving: false means no agent can be ready for the source now. */
function mayServe(source: MatchSource, op: Operation): boolean {
  if (source.kind === 'box' || source.picker.readyCount > 0) return true;
  for (const agent of op.pending) if (readyFor(agent, source)) return true;
  return false;
}

function readyFor(agent: AgentRecord, lane: Lane): boolean {
  return ((agent.readyMask >> lane.channelIndex) & 1) === 1;
}

/** The picker's choice, after syncing any agent it holds on readiness changed in this operation. */
function pickerChoice(s: RoutingState, lane: Lane, op: Operation): Membership | undefined {
  for (;;) {
    const m = lane.picker.pick(lane.queue.lastPickedAgentId);
    if (!m || readyFor(m.agent, lane)) return m;
    s.agents.sync(m.agent, op);
  }
}

/** Agents that became ready for the lane in this operation and are not in its picker yet. */
function pendingCandidates(s: RoutingState, lane: Lane, op: Operation): Membership[] {
  const out: Membership[] = [];
  for (const agent of op.pending) {
    if (!readyFor(agent, lane)) continue;
    const m = s.agents.membershipOf(agent, lane);
    if (m && !m.ready) out.push(m);
  }
  return out;
}
