import { randomUUID } from 'node:crypto';
import type { Clock, InteractionQuery, Store } from './ports.js';
import type { AuditTrail } from './audit.js';
import type { Actor, Principal } from './auth/principal.js';
import type { Direction, InteractionEventRecord, InteractionRecord } from './records.js';
import type { RoutingService } from './routing/routing-service.js';
import type { CustomerBook } from './customers.js';
import type { Channel } from '../domain/routing/types.js';
import { DomainError } from '../domain/errors.js';
import { isOpen } from '../domain/calendar/business-hours.js';

export interface NewInteraction {
  channel: Channel;
  queueId: string;
  direction?: Direction;
  customerId?: string;
  /** The customer's address (phone number or email); used to find the customer when no id is given. */
  from?: string;
  priority?: number;
  subject?: string;
  metadata?: Record<string, unknown>;
  idempotencyKey?: string;
  /** Queue even when the queue is closed (a voicemail waits for the morning). */
  ignoreBusinessHours?: boolean;
  /**
   * A transfer to an agent: offered straight to `agentId`; if they do not take it, it waits for
   * `fallbackAgentId` until `fallbackUntil` (sticky), then in the queue as if it arrived at `arrivedAt`.
   */
  offerTo?: { agentId: string; fallbackAgentId: string | null; fallbackUntil: number; arrivedAt: number };
  /**
   * When the customer started waiting, if before now: the place in the queue follows it (a caller
   * whose agent's connection was lost goes back where they were, at the front).
   */
  queuedAt?: Date;
}

// How far back a returning customer's last agent is remembered for sticky routing.
const STICKY_LOOKBACK_MS = 30 * 24 * 3600 * 1000;

/** Customer contacts on any channel: created here, routed by the RoutingService, closed by agents. */
export class InteractionDesk {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly routing: RoutingService,
    private readonly customers: CustomerBook,
  ) {}

  /** Stores and queues a new interaction; an idempotency key already used returns the first one. */
  async create(
    actor: Actor,
    input: NewInteraction,
  ): Promise<{ interaction: InteractionRecord; created: boolean }> {
    if (input.idempotencyKey) {
      const prior = await this.store.interactions.byIdempotencyKey(input.idempotencyKey);
      if (prior) return { interaction: prior, created: false };
    }
    const queue = this.routing.queue(input.queueId) ?? (await this.store.queues.byId(input.queueId));
    if (!queue) throw new DomainError('QUEUE_NOT_FOUND', 'No such queue.', { path: '/queueId' });
    const now = this.clock.now();
    if (queue.businessHours && !input.ignoreBusinessHours && !isOpen(queue.businessHours, now)) {
      throw new DomainError('QUEUE_CLOSED', `The queue "${queue.name}" is closed now.`);
    }
    const customer = input.customerId
      ? await this.customers.get(input.customerId)
      : input.from
        ? await this.customers.byNumber(input.from)
        : undefined;
    if (customer?.blacklisted) throw new DomainError('CUSTOMER_BLACKLISTED', 'This customer is blacklisted.');
    let sticky: { agentId: string; until: number } | null = null;
    if (customer && queue.stickySec > 0) {
      const [last] = await this.store.interactions.list({
        customerId: customer.id,
        status: 'ended',
        limit: 1,
        offset: 0,
      });
      if (last?.agentId && last.createdAt.getTime() > now - STICKY_LOOKBACK_MS) {
        sticky = { agentId: last.agentId, until: now + queue.stickySec * 1000 };
      }
    }
    if (input.offerTo) {
      const o = input.offerTo;
      sticky = o.fallbackAgentId === null ? null : { agentId: o.fallbackAgentId, until: o.fallbackUntil };
    }
    const at = new Date(now);
    const record: Omit<InteractionRecord, 'seq'> = {
      id: randomUUID(),
      channel: input.channel,
      direction: input.direction ?? 'inbound',
      customerId: customer?.id ?? null,
      queueId: queue.id,
      priority: input.priority ?? 0,
      vip: customer?.vip ?? false,
      status: 'queued',
      outcome: null,
      agentId: null,
      subject: input.subject ?? null,
      fromAddress: input.from ?? null,
      metadata: input.metadata ?? {},
      wrapUpCode: null,
      wrapUpNotes: null,
      idempotencyKey: input.idempotencyKey ?? null,
      createdAt: at,
      queuedAt: input.queuedAt !== undefined && input.queuedAt < at ? input.queuedAt : at,
      offeredAt: null,
      acceptedAt: null,
      endedAt: null,
      wrapUpEndedAt: null,
    };
    try {
      const direct = input.offerTo
        ? { agentId: input.offerTo.agentId, arrivedAt: input.offerTo.arrivedAt }
        : null;
      const interaction = await this.routing.enqueue(record, sticky, direct);
      return { interaction, created: true };
    } catch (err) {
      // Two requests racing with one idempotency key: the loser answers with the winner's record.
      if (input.idempotencyKey) {
        const prior = await this.store.interactions.byIdempotencyKey(input.idempotencyKey);
        if (prior) return { interaction: prior, created: false };
      }
      throw err;
    }
  }

  async get(actor: Principal, id: string): Promise<InteractionRecord> {
    const i = await this.store.interactions.byId(id);
    if (!i || !this.maySee(actor, i)) throw new DomainError('INTERACTION_NOT_FOUND', 'No such interaction.');
    return i;
  }

  async events(actor: Principal, id: string): Promise<InteractionEventRecord[]> {
    await this.get(actor, id);
    return this.store.interactions.events(id);
  }

  list(actor: Principal, q: InteractionQuery): Promise<InteractionRecord[]> {
    // Agents list only their own work; customer history is read through the customer.
    if (actor.kind === 'user' && actor.role === 'agent' && !q.customerId) {
      if (!actor.agentId) return Promise.resolve([]);
      return this.store.interactions.list({ ...q, agentId: actor.agentId });
    }
    return this.store.interactions.list(q);
  }

  /** The agent handling it (or a supervisor/admin) ends an active interaction. */
  async complete(actor: Principal, id: string): Promise<InteractionRecord> {
    const i = await this.requireHandler(actor, id);
    await this.routing.complete(i.id);
    return (await this.store.interactions.byId(id))!;
  }

  /** Records the wrap-up code and notes, and ends wrap-up if it is still running. */
  async wrapUp(
    actor: Principal,
    id: string,
    code: string | null,
    notes: string | null,
    checkCode: (code: string) => Promise<void>,
  ): Promise<InteractionRecord> {
    const i = await this.requireHandler(actor, id);
    if (i.status !== 'wrap_up' && i.status !== 'ended') {
      throw new DomainError('INTERACTION_STATE_INVALID', 'Wrap-up follows the end of the interaction.');
    }
    if (code) await checkCode(code);
    await this.store.interactions.update(id, { wrapUpCode: code, wrapUpNotes: notes });
    await this.store.interactions.appendEvents([
      {
        interactionId: id,
        at: new Date(this.clock.now()),
        type: 'wrap_up_coded',
        agentId: i.agentId,
        details: { code },
      },
    ]);
    await this.routing.endWrapUp(id);
    return (await this.store.interactions.byId(id))!;
  }

  async abandon(actor: Principal, id: string): Promise<void> {
    await this.get(actor, id);
    await this.routing.abandon(id);
  }

  async move(actor: Principal, id: string, queueId: string): Promise<void> {
    await this.routing.move(id, queueId);
    await this.audit.record(this.store, actor, 'interaction.move', { type: 'interaction', id }, { queueId });
  }

  async setPriority(actor: Principal, id: string, priority: number): Promise<void> {
    await this.routing.setPriority(id, priority);
    await this.audit.record(
      this.store,
      actor,
      'interaction.priority',
      { type: 'interaction', id },
      { priority },
    );
  }

  private maySee(p: Principal, i: InteractionRecord): boolean {
    if (p.kind === 'api_key')
      return p.scopes.includes('interactions:read') || p.scopes.includes('interactions:write');
    if (p.role !== 'agent') return true;
    if (!p.agentId) return false;
    if (i.agentId === p.agentId) return true;
    // An agent holding an offer sees what is offered (the screen pop comes before accepting).
    return this.routing.engine.interaction(i.id)?.agentIds.includes(p.agentId) === true;
  }

  private async requireHandler(actor: Principal, id: string): Promise<InteractionRecord> {
    const i = await this.get(actor, id);
    if (actor.kind === 'api_key')
      throw new DomainError('AUTH_FORBIDDEN', 'Only the handling agent or staff can do this.');
    return i;
  }
}
