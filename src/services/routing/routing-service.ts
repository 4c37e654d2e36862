import { RoutingEngine } from '../../domain/routing/engine.js';
import type { RoutingEvent } from '../../domain/routing/types.js';
import { DomainError } from '../../domain/errors.js';
import type { Clock, Logger, Store, Timer } from '../ports.js';
import type { AgentRecord, InteractionRecord, QueueRecord } from '../records.js';
import type { EventHub } from '../events/event-hub.js';
import { SerialRunner } from './serial.js';
import { agentConfig, queueConfig } from './engine-config.js';
import { effectsOf, type Effects } from './effects.js';

/**
 * A caller on one of our own SIP legs (metadata.callId, set by the call service) cannot outlive the
 * process: after a restart nobody is on the line, so the interaction is closed, not re-queued.
 */
function hasLiveLeg(i: InteractionRecord): boolean {
  return typeof i.metadata.callId === 'string';
}

function presenceKey(presence: string, reason: string | null): string {
  return `${presence}\u0000${reason ?? ''}`;
}

/**
 * The routing engine with its persistence: every decision is written before anyone hears of it,
 * then published. All engine access is serialised; the one timer is owned here.
 */
export class RoutingService {
  readonly engine = new RoutingEngine();
  private readonly serial = new SerialRunner();
  private readonly teams = new Map<string, string | null>();
  /** Interactions the engine holds, as last written (saves a read per decision). */
  private readonly open = new Map<string, InteractionRecord>();
  /** When each agent entered its current state (for "time in state" on desks and wallboards). */
  private readonly since = new Map<string, number>();
  /** Each agent's presence as last written, so a decision that leaves it alone writes nothing. */
  private readonly written = new Map<string, string>();
  /** The queues as last synced: callers read them here instead of once per contact. */
  private readonly queues = new Map<string, QueueRecord>();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly timer: Timer,
    private readonly hub: EventHub,
    private readonly log: Logger,
  ) {}

  /**
   * Loads queues and agents and restores the floor after a restart: waiting interactions go back to
   * their queues in their original order; those that were with agents are closed as interrupted.
   */
  async start(): Promise<{ requeued: number; interrupted: number }> {
    return this.serial.run(async () => {
      const now = this.clock.now();
      for (const q of await this.store.queues.list()) {
        this.queues.set(q.id, q);
        this.engine.upsertQueue(queueConfig(q), now);
      }
      const agents = await this.store.agents.list();
      for (const a of agents) {
        this.teams.set(a.id, a.teamId);
        this.written.set(a.id, presenceKey(a.presence, a.presenceReason));
        this.engine.upsertAgent(agentConfig(a), now);
      }
      let requeued = 0;
      let interrupted = 0;
      const events: RoutingEvent[] = [];
      const at = new Date(now);
      await this.store.transaction(async (tx) => {
        for (const i of await tx.interactions.listOpen()) {
          if (
            (i.status === 'queued' || i.status === 'offered') &&
            i.queueId &&
            this.engine.hasQueue(i.queueId) &&
            !hasLiveLeg(i)
          ) {
            const restored: InteractionRecord = { ...i, status: 'queued', agentId: null };
            this.open.set(i.id, restored);
            await tx.interactions.update(i.id, { status: 'queued', agentId: null });
            events.push(...this.engine.enqueue(this.engineInput(restored), now));
            requeued++;
          } else {
            await tx.interactions.update(i.id, { status: 'ended', outcome: 'interrupted', endedAt: at });
            await tx.interactions.appendEvents([
              {
                interactionId: i.id,
                at,
                type: 'interrupted',
                agentId: i.agentId,
                details: { was: i.status },
              },
            ]);
            interrupted++;
          }
        }
      });
      // Agents come back in the presence they chose, after the queues are refilled, so the best
      // waiting interaction is offered first.
      for (const a of agents) {
        if (a.presence !== 'logged_out') {
          events.push(...this.engine.login(a.id, now, a.presence, a.presenceReason));
        }
      }
      await this.apply(events, now);
      return { requeued, interrupted };
    });
  }

  /** Whether the agent is logged in, available and has room for one more interaction on the channel now. */
  canOfferTo(agentId: string, channel: InteractionRecord['channel']): boolean {
    return this.engine.canOfferTo(agentId, channel);
  }

  /** When the agent entered its current state (ms), or null when unknown since the process started. */
  stateSince(agentId: string): number | null {
    return this.since.get(agentId) ?? null;
  }

  /** Resolves when every routing operation queued so far (including timer ticks) has been written. */
  idle(): Promise<void> {
    return this.serial.idle();
  }

  /** Stops the timer and waits for operations in flight to finish their writes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer.clear();
    await this.serial.idle();
  }

  // --- configuration changes -------------------------------------------------------------------

  syncQueue(q: QueueRecord): Promise<void> {
    return this.op((now) => {
      this.queues.set(q.id, q);
      return this.engine.upsertQueue(queueConfig(q), now);
    });
  }

  removeQueue(queueId: string): Promise<void> {
    return this.op((now) => {
      this.queues.delete(queueId);
      return this.engine.hasQueue(queueId) ? this.engine.removeQueue(queueId, now) : [];
    });
  }

  /** An interaction the engine holds, as last written (no query); undefined once it has ended. */
  openRecord(interactionId: string): InteractionRecord | undefined {
    return this.open.get(interactionId);
  }

  /** A queue as last synced (the directory writes it first), or undefined when there is none. */
  queue(queueId: string): QueueRecord | undefined {
    return this.queues.get(queueId);
  }

  syncAgent(a: AgentRecord): Promise<void> {
    return this.op((now) => {
      this.teams.set(a.id, a.teamId);
      return this.engine.upsertAgent(agentConfig(a), now);
    });
  }

  removeAgent(agentId: string): Promise<void> {
    return this.op((now) => (this.engine.hasAgent(agentId) ? this.engine.removeAgent(agentId, now) : []));
  }

  // --- agent actions ---------------------------------------------------------------------------

  login(agentId: string, presence: 'available' | 'not_ready', reason: string | null): Promise<void> {
    return this.op(async (now) => {
      const events = this.engine.login(agentId, now, presence, reason);
      await this.writePresence(this.store, agentId, presence, reason);
      return events;
    });
  }

  setPresence(agentId: string, presence: 'available' | 'not_ready', reason: string | null): Promise<void> {
    return this.op(async (now) => {
      const events = this.engine.setPresence(agentId, presence, reason, now);
      await this.writePresence(this.store, agentId, presence, reason);
      return events;
    });
  }

  logout(agentId: string): Promise<void> {
    return this.op(async (now) => {
      const events = this.engine.logout(agentId, now);
      await this.writePresence(this.store, agentId, 'logged_out', null);
      return events;
    });
  }

  /** Accepts an offer made to `agentId`. */
  accept(agentId: string, reservationId: string): Promise<void> {
    return this.op((now) => {
      this.requireReservation(agentId, reservationId);
      return this.engine.accept(reservationId, now);
    });
  }

  reject(agentId: string, reservationId: string): Promise<void> {
    return this.op((now) => {
      this.requireReservation(agentId, reservationId);
      return this.engine.reject(reservationId, now);
    });
  }

  /** Ends the handling of an active interaction (wrap-up follows if the queue has one). */
  complete(interactionId: string): Promise<void> {
    return this.op((now) => {
      const view = this.engine.interaction(interactionId);
      if (!view || view.phase !== 'active') {
        throw new DomainError('INTERACTION_STATE_INVALID', 'Only an active interaction can be completed.');
      }
      const events = this.engine.complete(interactionId, now);
      const wraps = events.some((e) => e.type === 'wrap_up_started' && e.interactionId === interactionId);
      // With no wrap-up time the slot frees at once: the interaction is done here.
      const extra: RoutingEvent[] = [];
      if (!wraps && !events.some((e) => e.type === 'wrap_up_ended' && e.interactionId === interactionId)) {
        extra.push({ type: 'wrap_up_ended', interactionId, agentId: view.agentIds[0] ?? '', cause: 'agent' });
      }
      return [...events, ...extra];
    });
  }

  /** Ends wrap-up early (the agent is done), keeping the wrap-up code and notes. */
  endWrapUp(interactionId: string): Promise<void> {
    return this.op((now) => {
      const view = this.engine.interaction(interactionId);
      if (!view || view.phase !== 'wrap_up') return [];
      return this.engine.endWrapUp(interactionId, now);
    });
  }

  // --- interactions ----------------------------------------------------------------------------

  /**
   * Writes a new interaction and queues it; resolves after the first routing decision is written.
   * `direct` offers it straight to one agent (a transfer: AGENT_NOT_AVAILABLE unless they are
   * available) and may set the arrival time it keeps if it falls back to the queue.
   */
  enqueue(
    record: Omit<InteractionRecord, 'seq'>,
    sticky: { agentId: string; until: number } | null,
    direct: { agentId: string; arrivedAt: number } | null = null,
  ): Promise<InteractionRecord> {
    return this.serial.run(async () => {
      const now = this.clock.now();
      if (!record.queueId || !this.engine.hasQueue(record.queueId)) {
        throw new DomainError('QUEUE_NOT_FOUND', 'No such queue.');
      }
      // One transaction for the interaction and the first decision about it; if it fails, the
      // engine forgets the interaction again and nobody has heard of it.
      let saved: InteractionRecord | undefined;
      let fx: Effects | undefined;
      try {
        await this.store.transaction(async (tx) => {
          saved = await tx.interactions.insert(record);
          await tx.interactions.appendEvents([
            {
              interactionId: saved.id,
              at: new Date(now),
              type: 'queued',
              agentId: null,
              details: { queueId: saved.queueId },
            },
          ]);
          this.open.set(saved.id, saved);
          const input = this.engineInput(saved, sticky);
          const events =
            direct === null
              ? this.engine.enqueue(input, now)
              : this.engine.enqueueFor({ ...input, arrivedAt: direct.arrivedAt }, direct.agentId, now);
          fx = this.effects(events, now, new Map());
          await this.persist(tx, fx);
        });
      } catch (err) {
        this.written.clear();
        if (saved) {
          if (this.engine.interaction(saved.id)) this.engine.remove(saved.id, now);
          this.open.delete(saved.id);
        }
        throw err;
      }
      const row = saved!;
      this.publish(fx!, now);
      if (!fx!.patches.has(row.id)) this.publishInteraction(row.id, now);
      return this.open.get(row.id) ?? row;
    });
  }

  /**
   * Writes a new interaction that `agentId` handles from the start (an outbound call) and tells
   * routing, in one transaction; resolves with the stored record (status active).
   */
  assign(record: Omit<InteractionRecord, 'seq'>, agentId: string): Promise<InteractionRecord> {
    return this.serial.run(async () => {
      const now = this.clock.now();
      if (!record.queueId || !this.engine.hasQueue(record.queueId)) {
        throw new DomainError('QUEUE_NOT_FOUND', 'No such queue.');
      }
      let saved: InteractionRecord | undefined;
      let fx: Effects | undefined;
      try {
        await this.store.transaction(async (tx) => {
          saved = await tx.interactions.insert(record);
          this.open.set(saved.id, saved);
          fx = this.effects(this.engine.assign(this.engineInput(saved), agentId, now), now, new Map());
          await this.persist(tx, fx);
        });
      } catch (err) {
        if (saved) {
          if (this.engine.interaction(saved.id)) this.engine.remove(saved.id, now);
          this.open.delete(saved.id);
        }
        throw err;
      }
      const row = saved!;
      this.publish(fx!, now);
      if (!fx!.patches.has(row.id)) this.publishInteraction(row.id, now);
      return this.open.get(row.id) ?? row;
    });
  }

  /**
   * Where a waiting interaction stands in its queue (1 = next to be served) and how many agents are
   * logged in for the queue; null when it is not waiting. A read of the engine, not serialised.
   */
  queuePosition(interactionId: string): { position: number; staffedAgents: number } | null {
    const view = this.engine.interaction(interactionId);
    if (!view || view.phase !== 'waiting') return null;
    const index = this.engine.waiting(view.queueId).findIndex((w) => w.interactionId === interactionId);
    if (index < 0) return null;
    const agents = this.engine.queueStats(view.queueId).agents;
    const staffedAgents = Object.values(agents).reduce((a, b) => a + b, 0);
    return { position: index + 1, staffedAgents };
  }

  /** The customer left before being served. */
  abandon(interactionId: string): Promise<void> {
    return this.leave(interactionId, 'abandoned');
  }

  /** The caller was cut off by us (Hotline stopping): closed as interrupted, not abandoned. */
  interrupt(interactionId: string): Promise<void> {
    return this.leave(interactionId, 'interrupted');
  }

  /** Takes a waiting interaction out without counting it as abandoned. */
  remove(interactionId: string): Promise<void> {
    return this.leave(interactionId, 'removed');
  }

  move(interactionId: string, queueId: string): Promise<void> {
    return this.change(interactionId, { queueId }, (now) => {
      if (!this.engine.hasQueue(queueId)) throw new DomainError('QUEUE_NOT_FOUND', 'No such queue.');
      return this.engine.move(interactionId, queueId, now);
    });
  }

  setPriority(interactionId: string, priority: number): Promise<void> {
    return this.change(interactionId, { priority }, (now) =>
      this.engine.setPriority(interactionId, priority, now),
    );
  }

  // --- internals -------------------------------------------------------------------------------

  private leave(interactionId: string, outcome: 'abandoned' | 'removed' | 'interrupted'): Promise<void> {
    return this.change(interactionId, { status: 'ended', outcome }, (now) =>
      outcome === 'abandoned'
        ? this.engine.abandon(interactionId, now)
        : this.engine.remove(interactionId, now),
    );
  }

  /** A supervisor's or channel's change to a waiting interaction, written with what it caused. */
  private change(
    interactionId: string,
    patch: Partial<InteractionRecord>,
    fn: (now: number) => RoutingEvent[],
  ): Promise<void> {
    return this.serial.run(async () => {
      const now = this.clock.now();
      this.requireWaiting(interactionId);
      const events = fn(now);
      await this.apply(events, now, new Map([[interactionId, patch]]));
    });
  }

  private requireWaiting(interactionId: string): void {
    const view = this.engine.interaction(interactionId);
    if (!view) throw new DomainError('INTERACTION_NOT_FOUND', 'No such interaction waiting.');
    if (view.phase !== 'waiting' && view.phase !== 'offered') {
      throw new DomainError('INTERACTION_STATE_INVALID', `The interaction is ${view.phase}, not waiting.`);
    }
  }

  private requireReservation(agentId: string, reservationId: string): void {
    const mine = this.engine.agentState(agentId).work.some((w) => w.reservationId === reservationId);
    if (!mine) throw new DomainError('RESERVATION_NOT_FOUND', 'No such offer pending for this agent.');
  }

  private engineInput(i: InteractionRecord, sticky: { agentId: string; until: number } | null = null) {
    return {
      id: i.id,
      queueId: i.queueId!,
      channel: i.channel,
      priority: i.priority,
      vip: i.vip,
      arrivedAt: (i.queuedAt ?? i.createdAt).getTime(),
      seq: i.seq,
      preferredAgentId: sticky?.agentId ?? null,
      preferredUntil: sticky?.until ?? null,
    };
  }

  private patchOpen(id: string, p: Partial<InteractionRecord>): void {
    const cur = this.open.get(id);
    if (cur) this.open.set(id, { ...cur, ...p });
  }

  /** Runs an engine operation serially, then writes and publishes what it caused. */
  private op(fn: (now: number) => RoutingEvent[] | Promise<RoutingEvent[]>): Promise<void> {
    return this.serial.run(async () => {
      const now = this.clock.now();
      const events = await fn(now);
      await this.apply(events, now);
    });
  }

  private async apply(
    events: RoutingEvent[],
    now: number,
    extra: Map<string, Partial<InteractionRecord>> = new Map(),
  ): Promise<void> {
    const fx = this.effects(events, now, extra);
    if (fx.patches.size || fx.interactionEvents.length || fx.agentStates.length) {
      try {
        await this.store.transaction((tx) => this.persist(tx, fx));
      } catch (err) {
        // The decision stands in memory; losing its record is logged loudly rather than hidden.
        this.written.clear();
        this.log.error({ err }, 'failed to persist routing decisions');
      }
    }
    this.publish(fx, now);
  }

  /** What the engine's events mean for the database and for listeners. */
  private effects(
    events: RoutingEvent[],
    now: number,
    extra: Map<string, Partial<InteractionRecord>>,
  ): Effects {
    const fx = effectsOf(events, { now, teamOf: (id) => this.teams.get(id) ?? null });
    for (const [id, p] of extra) fx.patches.set(id, { ...fx.patches.get(id), ...p });
    for (const [id, p] of fx.patches) {
      // Handling ends when wrap-up starts, or at completion when the queue has no wrap-up.
      if ((p.status === 'wrap_up' || p.status === 'ended') && !p.endedAt && !this.open.get(id)?.endedAt) {
        p.endedAt = new Date(now);
      }
    }
    return fx;
  }

  private async persist(tx: Store, fx: Effects): Promise<void> {
    for (const [id, p] of fx.patches) await tx.interactions.update(id, p);
    await tx.interactions.appendEvents(fx.interactionEvents);
    await tx.agentStates.append(fx.agentStates);
    // Presence the engine changed by itself (missed offers, a pending logout taking effect)
    // is kept too, so a restart brings each agent back as the engine last had them.
    for (const agentId of new Set(fx.agentStates.map((r) => r.agentId))) {
      if (!this.engine.hasAgent(agentId)) continue;
      const s = this.engine.agentState(agentId);
      const presence = s.pendingLogout ? 'logged_out' : s.presence;
      await this.writePresence(tx, agentId, presence, presence === 'not_ready' ? s.reason : null);
    }
  }

  /** Writes an agent's presence unless it is already what was last written. */
  private async writePresence(
    store: Store,
    agentId: string,
    presence: 'available' | 'not_ready' | 'logged_out',
    reason: string | null,
  ): Promise<void> {
    const key = presenceKey(presence, reason);
    if (this.written.get(agentId) === key) return;
    await store.agents.setPresence(agentId, presence, reason);
    this.written.set(agentId, key);
  }

  /** After the writes: update the cache, tell listeners, re-arm the timer. */
  private publish(fx: Effects, now: number): void {
    for (const [id, p] of fx.patches) this.patchOpen(id, p);
    for (const r of fx.agentStates) this.since.set(r.agentId, r.at.getTime());
    for (const p of fx.publish) this.hub.publish(p.type, p.data, p.audience, now);
    for (const id of fx.patches.keys()) this.publishInteraction(id, now);
    for (const id of fx.ended) this.open.delete(id);
    for (const [id, p] of fx.patches) if (p.status === 'ended') this.open.delete(id);
    this.arm();
  }

  private publishInteraction(id: string, now: number): void {
    const rec = this.open.get(id);
    if (!rec) return;
    const team = rec.agentId ? (this.teams.get(rec.agentId) ?? null) : null;
    this.hub.publish(
      'interaction.updated',
      rec,
      { staff: true, agentIds: rec.agentId ? [rec.agentId] : [], teamIds: team ? [team] : [] },
      now,
    );
  }

  private arm(): void {
    if (this.stopped) return;
    const next = this.engine.nextDeadline();
    if (next === null) {
      this.timer.clear();
      return;
    }
    this.timer.set(next, () => {
      this.op((now) => this.engine.tick(now)).catch((err: unknown) =>
        this.log.error({ err }, 'routing tick failed'),
      );
    });
  }
}
