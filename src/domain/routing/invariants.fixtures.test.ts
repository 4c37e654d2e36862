/**
 * The routing invariants, checked through the engine's read API against an independent model of
 * skills, capacity and overflow stages kept here (no tests here).
 */
import assert from 'node:assert/strict';
import type { RoutingEngine } from './engine.js';
import { CHANNELS } from './scenario.fixtures.test.js';
import type { AgentConfig, Channel, QueueConfig, RoutingEvent, SkillRequirement } from './types.js';
import type { AgentView, InteractionView } from './views.js';

export function mergeReq(reqs: SkillRequirement[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of reqs) m.set(r.skill, Math.max(m.get(r.skill) ?? 0, Math.max(1, r.minLevel)));
  return m;
}

/** Requirement of a queue after `stage` overflow rules, plus extras (computed from the config). */
function expectedRequirement(q: QueueConfig, stage: number, extra: SkillRequirement[]): Map<string, number> {
  let base = mergeReq(q.requirements);
  const rules = [...q.overflow].sort((a, b) => a.afterSec - b.afterSec);
  for (const rule of rules.slice(0, stage)) {
    if (rule.action !== 'widen') continue;
    const next = new Map<string, number>();
    for (const [skill, level] of base) {
      if (rule.dropSkills?.includes(skill)) continue;
      next.set(skill, Math.max(1, level - (rule.lowerMinLevelBy ?? 0)));
    }
    base = next;
  }
  for (const [skill, level] of mergeReq(extra)) base.set(skill, Math.max(base.get(skill) ?? 0, level));
  return base;
}

export function meets(skills: Record<string, number>, req: Map<string, number>): boolean {
  for (const [skill, level] of req) if ((skills[skill] ?? 0) < level) return false;
  return true;
}

function hasRoom(cfg: AgentConfig, work: AgentView['work'], channel: Channel): boolean {
  const cap = cfg.capacity[channel] ?? 0;
  if (work.filter((w) => w.channel === channel).length >= cap) return false;
  if (work.some((w) => cfg.exclusiveChannels.includes(w.channel))) return false;
  if (cfg.exclusiveChannels.includes(channel) && work.length > 0) return false;
  return true;
}

/** Service order key: smaller is served first. */
function keyBefore(a: InteractionView, b: InteractionView): boolean {
  if (a.effectivePriority !== b.effectivePriority) return a.effectivePriority > b.effectivePriority;
  if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt < b.arrivedAt;
  return a.seq < b.seq;
}

export interface Model {
  queues: QueueConfig[];
  agents: AgentConfig[];
  extras: Map<string, SkillRequirement[]>;
  arrivals: Map<string, number>;
  live: Set<string>;
  everEnqueued: string[];
  answered: Map<string, number>;
  within: Map<string, number>;
  abandoned: Map<string, number>;
}

export function check(e: RoutingEngine, m: Model, events: RoutingEvent[]): void {
  const agents = new Map(m.agents.map((a) => [a.id, { cfg: a, view: e.agentState(a.id) }]));
  const views = new Map<string, InteractionView>();
  for (const id of m.everEnqueued) {
    const v = e.interaction(id);
    assert.equal(v !== undefined, m.live.has(id), `accounting of ${id}`);
    if (v) views.set(id, v);
  }
  const queueOf = (id: string) => m.queues.find((q) => q.id === id)!;

  // Every live interaction is exactly one of waiting/offered/active/wrap-up, seen from both sides.
  const waitingSeen = new Map<string, string>();
  for (const q of m.queues) {
    const list = e.waiting(q.id);
    for (const w of list) {
      assert.ok(!waitingSeen.has(w.interactionId), `${w.interactionId} waits twice`);
      waitingSeen.set(w.interactionId, q.id);
    }
    for (let i = 1; i < list.length; i++) {
      assert.ok(
        keyBefore(views.get(list[i - 1]!.interactionId)!, views.get(list[i]!.interactionId)!),
        'service order',
      );
    }
    const stats = e.queueStats(q.id);
    assert.equal(stats.waiting, list.length);
    assert.equal(stats.oldestArrivedAt, list.length ? Math.min(...list.map((w) => w.arrivedAt)) : null);
    assert.equal(stats.answered, m.answered.get(q.id) ?? 0);
    assert.equal(stats.answeredWithinThreshold, m.within.get(q.id) ?? 0);
    assert.equal(stats.abandoned, m.abandoned.get(q.id) ?? 0);
    const counts = { available: 0, not_ready: 0, reserved: 0, busy: 0, wrap_up: 0 };
    for (const { cfg, view } of agents.values()) {
      if (view.state !== 'logged_out' && meets(cfg.skills, mergeReq(q.requirements))) counts[view.state]++;
    }
    assert.deepEqual(stats.agents, counts, `agent counts of ${q.id}`);
  }
  const workOf = new Map<string, { agentId: string; phase: string; reservationId?: string }[]>();
  for (const [agentId, { cfg, view }] of agents) {
    for (const w of view.work) {
      const list = workOf.get(w.interactionId) ?? [];
      list.push({ agentId, phase: w.phase, reservationId: w.reservationId });
      workOf.set(w.interactionId, list);
    }
    // Capacity per channel and the mixing rule.
    for (const ch of CHANNELS) {
      assert.ok(
        view.work.filter((w) => w.channel === ch).length <= (cfg.capacity[ch] ?? 0),
        `${agentId} over ${ch}`,
      );
    }
    if (view.work.some((w) => cfg.exclusiveChannels.includes(w.channel))) {
      assert.equal(view.work.length, 1, `${agentId} mixes work with an exclusive channel`);
    }
    // The shown state is derived from presence and work.
    const expected =
      view.presence === 'logged_out'
        ? 'logged_out'
        : view.work.some((w) => w.phase === 'offered')
          ? 'reserved'
          : view.work.some((w) => w.phase === 'active')
            ? 'busy'
            : view.work.some((w) => w.phase === 'wrap_up')
              ? 'wrap_up'
              : view.presence;
    assert.equal(view.state, expected, `${agentId} state`);
    if (view.presence === 'logged_out') assert.equal(view.work.length, 0);
  }
  for (const [id, v] of views) {
    const held = workOf.get(id) ?? [];
    if (v.phase === 'waiting') {
      assert.equal(waitingSeen.get(id), v.queueId, `${id} waiting in its queue`);
      assert.equal(held.length, 0);
    } else {
      assert.ok(!waitingSeen.has(id), `${id} both waiting and ${v.phase}`);
      assert.deepEqual(held.map((h) => h.agentId).sort(), [...v.agentIds].sort(), `${id} holders`);
      assert.ok(held.every((h) => h.phase === v.phase));
      if (v.phase === 'offered') {
        assert.ok(held.length >= 1);
        assert.ok(held.every((h) => h.reservationId !== undefined));
        if (held.length > 1) assert.equal(queueOf(v.queueId).strategy, 'ring_all', `${id} offered twice`);
      } else {
        assert.equal(held.length, 1);
      }
    }
    // The engine's requirement equals the one derived from the config and the stage.
    const expectedReq = expectedRequirement(queueOf(v.queueId), v.stage, m.extras.get(id) ?? []);
    assert.deepEqual(
      new Map(v.requirements.map((r) => [r.skill, r.minLevel])),
      expectedReq,
      `${id} requirement`,
    );
  }
  for (const id of workOf.keys()) assert.ok(views.has(id), `agent holds unknown ${id}`);

  const routable = (view: AgentView) =>
    view.state !== 'logged_out' && view.presence === 'available' && !view.pendingLogout;
  const eligible = (agentId: string, w: InteractionView) => {
    const a = agents.get(agentId)!;
    return (
      (w.stickyAgentId === null || w.stickyAgentId === agentId) &&
      meets(a.cfg.skills, new Map(w.requirements.map((r) => [r.skill, r.minLevel])))
    );
  };
  const waiting = [...views.values()].filter((v) => v.phase === 'waiting');

  // Drained: no waiting interaction has an eligible agent with room.
  for (const w of waiting) {
    for (const [agentId, a] of agents) {
      const free = routable(a.view) && hasRoom(a.cfg, a.view.work, w.channel) && eligible(agentId, w);
      assert.ok(!free, `not drained: ${w.id} waits while ${agentId} could take it`);
    }
  }

  // Offers made in this step: skills met, and no better waiting interaction the agent could take.
  for (const o of events) {
    if (o.type !== 'offer') continue;
    const x = views.get(o.interactionId);
    if (!x || x.phase !== 'offered') continue;
    assert.ok(
      meets(
        agents.get(o.agentId)!.cfg.skills,
        expectedRequirement(queueOf(x.queueId), x.stage, m.extras.get(x.id) ?? []),
      ),
    );
    for (const w of waiting) {
      if (w.channel === x.channel && eligible(o.agentId, w)) {
        assert.ok(keyBefore(x, w), `${o.agentId} got ${x.id} while better ${w.id} waited`);
      }
    }
  }
}
