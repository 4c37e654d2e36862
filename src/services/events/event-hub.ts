import type { Principal } from '../auth/principal.js';

/** Who may see an event: the agents it concerns, supervisors of those teams, or all staff. */
export interface Audience {
  agentIds?: string[];
  teamIds?: string[];
  /** Every supervisor and admin (queue statistics, waiting interactions). */
  staff?: boolean;
}

export interface HubEvent {
  id: number;
  type: string;
  at: number;
  data: unknown;
  audience: Audience;
}

/** Whether `p` may receive an event with this audience. */
export function canSee(p: Principal, a: Audience): boolean {
  if (p.kind === 'api_key')
    return p.scopes.includes('events:read') && (a.staff === true || !!a.teamIds?.length);
  if (p.role === 'admin') return true;
  if (p.agentId && a.agentIds?.includes(p.agentId)) return true;
  if (p.role === 'supervisor')
    return a.staff === true || (a.teamIds ?? []).some((t) => p.teamIds.includes(t));
  return false;
}

type Listener = (e: HubEvent) => void;

/**
 * In-process event fan-out with a bounded replay window: a client that reconnects with the last id it
 * saw gets every event it missed, or is told to resynchronise when the gap is older than the window.
 */
export class EventHub {
  private readonly buffer: HubEvent[] = [];
  private nextId = 1;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly windowSize: number) {}

  publish(type: string, data: unknown, audience: Audience, at: number): HubEvent {
    const e: HubEvent = { id: this.nextId++, type, at, data, audience };
    this.buffer.push(e);
    // Trim in chunks so the array shift cost is amortised.
    if (this.buffer.length > this.windowSize * 1.25)
      this.buffer.splice(0, this.buffer.length - this.windowSize);
    for (const l of this.listeners) l(e);
    return e;
  }

  /** The id of the newest event (0 when none). */
  lastId(): number {
    return this.nextId - 1;
  }

  /** Events after `afterId`, or 'gap' when some of them already left the window. */
  since(afterId: number): HubEvent[] | 'gap' {
    if (afterId >= this.nextId - 1) return [];
    const first = this.buffer[0];
    if (!first || afterId < first.id - 1) return 'gap';
    return this.buffer.slice(afterId - first.id + 1);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
