import { randomUUID } from 'node:crypto';
import type { Clock, Store } from '../ports.js';
import type { AuditTrail } from '../audit.js';
import type { Principal } from '../auth/principal.js';
import type { QueueRecord } from '../records.js';
import type { RoutingService } from '../routing/routing-service.js';
import { DomainError } from '../../domain/errors.js';
import { businessHoursProblems } from '../../domain/calendar/business-hours.js';

export type QueueSettings = Omit<QueueRecord, 'id' | 'createdAt'>;

export const QUEUE_DEFAULTS: Omit<QueueSettings, 'name'> = {
  requirements: [],
  priority: 0,
  strategy: 'longest_idle',
  reservationTimeoutSec: 20,
  wrapUpSec: 0,
  maxWaitSec: null,
  overflow: [],
  stickySec: 0,
  slThresholdSec: 20,
  slTargetPct: 80,
  businessHours: null,
};

/** Queues: what they require, how they choose agents, and their service-level targets. */
export class QueueDirectory {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly routing: RoutingService,
  ) {}

  async create(actor: Principal, s: Partial<QueueSettings> & { name: string }): Promise<QueueRecord> {
    const q: QueueRecord = {
      ...QUEUE_DEFAULTS,
      ...s,
      id: randomUUID(),
      createdAt: new Date(this.clock.now()),
    };
    await this.check(q);
    await this.store.transaction(async (tx) => {
      await tx.queues.insert(q);
      await this.audit.record(tx, actor, 'queue.create', { type: 'queue', id: q.id }, { ...s });
    });
    await this.routing.syncQueue(q);
    return q;
  }

  async update(actor: Principal, id: string, s: Partial<QueueSettings>): Promise<QueueRecord> {
    const q = { ...(await this.get(id)), ...s };
    await this.check(q);
    await this.store.transaction(async (tx) => {
      await tx.queues.update(id, s);
      await this.audit.record(tx, actor, 'queue.update', { type: 'queue', id }, { ...s });
    });
    await this.routing.syncQueue(q);
    return q;
  }

  async remove(actor: Principal, id: string): Promise<void> {
    await this.get(id);
    await this.routing.removeQueue(id);
    await this.store.transaction(async (tx) => {
      await tx.queues.delete(id);
      await this.audit.record(tx, actor, 'queue.delete', { type: 'queue', id });
    });
  }

  async get(id: string): Promise<QueueRecord> {
    const q = await this.store.queues.byId(id);
    if (!q) throw new DomainError('QUEUE_NOT_FOUND', 'No such queue.');
    return q;
  }

  list(): Promise<QueueRecord[]> {
    return this.store.queues.list();
  }

  private async check(q: QueueRecord): Promise<void> {
    const others = await this.store.queues.list();
    if (others.some((o) => o.name === q.name && o.id !== q.id)) {
      throw new DomainError('CONFLICT', `A queue named "${q.name}" exists.`, { path: '/name' });
    }
    const skills = new Set((await this.store.skills.list()).map((s) => s.id));
    q.requirements.forEach((r, i) => {
      if (!skills.has(r.skillId)) {
        throw new DomainError('SKILL_NOT_FOUND', `No skill ${r.skillId}.`, {
          path: `/requirements/${i}/skillId`,
        });
      }
    });
    q.overflow.forEach((o, i) => {
      if (o.action === 'move' && o.toQueueId !== q.id && !others.some((x) => x.id === o.toQueueId)) {
        throw new DomainError('QUEUE_NOT_FOUND', `Overflow target ${o.toQueueId} is not a queue.`, {
          path: `/overflow/${i}/toQueueId`,
        });
      }
      if (o.action === 'move' && o.toQueueId === q.id) {
        throw new DomainError('VALIDATION_FAILED', 'A queue cannot overflow into itself.', {
          path: `/overflow/${i}`,
        });
      }
      if (o.action === 'widen') {
        for (const s of o.dropSkills ?? []) {
          if (!skills.has(s))
            throw new DomainError('SKILL_NOT_FOUND', `No skill ${s}.`, { path: `/overflow/${i}/dropSkills` });
        }
      }
    });
    if (q.businessHours) {
      const problems = businessHoursProblems(q.businessHours);
      if (problems.length) {
        throw new DomainError('VALIDATION_FAILED', `businessHours: ${problems.join('; ')}`, {
          path: '/businessHours',
        });
      }
    }
  }
}
