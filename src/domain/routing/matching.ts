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

/** Offers until no waiting interaction has an eligible agent with room, then syncs the agents. */
export function drain(s: RoutingState, op: Operation): void {
  while (op.dirty.length > 0) {
    if (op.dirty.length <= s.tuning.scanLimit) drainByScan(s, op);
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
    let best = -1;
    let bestHead: InteractionRecord | undefined;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (let i = 0; i < dirty.length;) {
      const source = dirty[i] as MatchSource;
      const head = mayServe(source, op) ? headOf(s, source) : undefined;
      if (!head) {
        op.dropDirty(i);
        continue;
      }
      // Service keys from the lane heap's own arrays: no visit to the (cold) interaction record.
      let k1: number, k2: number, k3: number;
      if (source.kind === 'lane') {
        const w = source.waiting;
        k1 = w.peekKey1();
        k2 = w.peekKey2();
        k3 = w.peekKey3();
      } else {
        k1 = -head.effectivePriority;
        k2 = head.arrivedAt;
        k3 = head.seq;
      }
      if (
        !bestHead ||
        k1 < b1 ||
        (k1 === b1 && (k2 < b2 || (k2 === b2 && (k3 < b3 || (k3 === b3 && head.id < bestHead.id)))))
      ) {
        best = i;
        bestHead = head;
        b1 = k1;
        b2 = k2;
        b3 = k3;
      }
      i++;
    }
    if (best < 0 || !bestHead) return;
    if (!serve(s, dirty[best] as MatchSource, bestHead, op)) op.dropDirty(best);
  }
}

/** Many dirty sources (a tick freeing many agents): a heap by head service keys. */
function drainByHeap(s: RoutingState, op: Operation): void {
  const heap = s.matchHeap;
  heap.clear();
  for (const source of op.dirty) enter(s, source);
  op.clearDirty();
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
    s.matchHeap.push(source, w.peekKey1(), w.peekKey2(), w.peekKey3());
  } else {
    s.matchHeap.push(source, -head.effectivePriority, head.arrivedAt, head.seq);
  }
}

function syncPending(s: RoutingState, op: Operation): void {
  for (const agent of op.pending) s.agents.sync(agent, op);
  op.clearPending();
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
  if (op.pending.length > s.tuning.pendingScanLimit) syncPending(s, op);
  const queue = source.queue;
  const last = queue.lastPickedAgentId;
  if (queue.config.strategy === 'ring_all') {
    // Every ready agent gets an offer: synced ones from the picker, changed ones by their live state.
    const all = source.picker.allReady().filter((m) => !m.agent.needsSync);
    for (const agent of op.pending) {
      if (!agent.needsSync || !readyFor(agent, source)) continue;
      const m = s.agents.membershipOf(agent, source);
      if (m) all.push(m);
    }
    if (all.length === 0) return false;
    all.sort((a, b) => (a.agent.id < b.agent.id ? -1 : 1));
    for (const m of all) offer(s, ix, m.agent, true, op);
    return true;
  }
  // The picker's best among synced agents competes with agents changed in this operation, whose
  // entries (if any) may be stale and are judged by their live keys instead.
  let best = pickerChoice(s, source, op);
  for (const agent of op.pending) {
    if (!agent.needsSync || !readyFor(agent, source)) continue;
    const m = s.agents.membershipOf(agent, source);
    if (m && (!best || source.picker.before(m, best, last))) best = m;
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

/** The picker's choice among agents not changed in this operation (changed ones it meets are synced). */
function pickerChoice(s: RoutingState, lane: Lane, op: Operation): Membership | undefined {
  for (;;) {
    const m = lane.picker.pick(lane.queue.lastPickedAgentId);
    if (!m || !m.agent.needsSync) return m;
    s.agents.sync(m.agent, op);
  }
}
