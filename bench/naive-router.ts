/**
 * The baseline for the routing benchmark: the obvious router that, for each decision, scans every
 * waiting interaction (agent frees up) or every agent (interaction arrives). Same eligibility and
 * service order as the engine (priority, arrival, seq; longest idle), no overflow, no offers.
 */
import type { AgentConfig, InteractionInput, QueueConfig } from '../src/domain/routing/index.js';
import { VIP_PRIORITY_BOOST } from '../src/domain/routing/index.js';

interface NaiveAgent {
  id: string;
  skills: Map<string, number>;
  busy: boolean;
  idleSince: number;
}

interface NaiveInteraction {
  id: string;
  requirements: { skill: string; minLevel: number }[];
  priority: number;
  arrivedAt: number;
  seq: number;
}

function meets(agent: NaiveAgent, ix: NaiveInteraction): boolean {
  for (const r of ix.requirements) if ((agent.skills.get(r.skill) ?? 0) < r.minLevel) return false;
  return true;
}

function before(a: NaiveInteraction, b: NaiveInteraction): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt < b.arrivedAt;
  return a.seq < b.seq;
}

export class NaiveRouter {
  readonly agents: NaiveAgent[];
  private readonly queues: Map<string, QueueConfig>;
  private waiting: NaiveInteraction[] = [];
  /** Setup only: agents by skill, so building the starting floor does not take minutes. */
  private readonly bySkill = new Map<string, NaiveAgent[]>();

  constructor(queues: QueueConfig[], agents: AgentConfig[], now: number) {
    this.queues = new Map(queues.map((q) => [q.id, q]));
    this.agents = agents.map((a) => ({
      id: a.id,
      skills: new Map(Object.entries(a.skills)),
      busy: false,
      idleSince: now,
    }));
    for (const a of this.agents) {
      for (const s of a.skills.keys()) {
        const list = this.bySkill.get(s) ?? [];
        list.push(a);
        this.bySkill.set(s, list);
      }
    }
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  private record(input: InteractionInput): NaiveInteraction {
    const q = this.queues.get(input.queueId);
    if (!q) throw new Error(`no queue ${input.queueId}`);
    return {
      id: input.id,
      requirements: q.requirements,
      priority: q.priority + input.priority + (input.vip ? VIP_PRIORITY_BOOST : 0),
      arrivedAt: input.arrivedAt,
      seq: input.seq,
    };
  }

  /** Setup: assigns through the skill index instead of a scan. */
  enqueueIndexed(input: InteractionInput): string | null {
    const ix = this.record(input);
    const first = ix.requirements[0];
    const candidates = first ? (this.bySkill.get(first.skill) ?? []) : this.agents;
    return this.assignOrWait(ix, candidates);
  }

  /** A decision on arrival: scan every agent for the longest-idle eligible free one. */
  enqueue(input: InteractionInput): string | null {
    return this.assignOrWait(this.record(input), this.agents);
  }

  /** A decision on completion: the agent scans every waiting interaction for the best it can take. */
  complete(agent: NaiveAgent, now: number): string | null {
    agent.busy = false;
    agent.idleSince = now;
    let best = -1;
    for (let i = 0; i < this.waiting.length; i++) {
      const ix = this.waiting[i] as NaiveInteraction;
      if (meets(agent, ix) && (best < 0 || before(ix, this.waiting[best] as NaiveInteraction))) best = i;
    }
    if (best < 0) return null;
    const [ix] = this.waiting.splice(best, 1);
    agent.busy = true;
    return ix?.id ?? null;
  }

  private assignOrWait(ix: NaiveInteraction, candidates: NaiveAgent[]): string | null {
    let best: NaiveAgent | null = null;
    for (const a of candidates) {
      if (a.busy || !meets(a, ix)) continue;
      if (!best || a.idleSince < best.idleSince || (a.idleSince === best.idleSince && a.id < best.id))
        best = a;
    }
    if (!best) {
      this.waiting.push(ix);
      return null;
    }
    best.busy = true;
    return best.id;
  }
}
