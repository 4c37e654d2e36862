// Field dispatch: a small work order sent to a technician's phone as a dispatch SMS and moved on by
// the technician's replies ("OK 4711" → acknowledged, "DONE 4711 note" → done). Deliberately
// small: the ticket system will own work later and can link these by id.
import { randomUUID } from 'node:crypto';
import type { Clock, Logger } from '../ports.js';
import type { Principal } from '../auth/principal.js';
import type { EventHub } from '../events/event-hub.js';
import type { MoStore, WorkOrderEventRecord, WorkOrderRecord, WorkOrderState } from './mo-ports.js';
import type { SmsOutbox } from './outbox.js';
import type { Store } from '../ports.js';
import { DomainError } from '../../domain/errors.js';
import { toE164 } from '../../domain/customers/phone.js';
import { workOrderText } from '../../domain/sms/index.js';

export interface NewWorkOrder {
  title: string;
  technicianPhone: string;
  address?: string;
  notes?: string;
  customerId?: string;
  interactionId?: string;
}

/** A work order with its history. */
export interface WorkOrderDetail extends WorkOrderRecord {
  events: WorkOrderEventRecord[];
}

/** What a technician's reply did. */
export type WorkOrderReplyOutcome =
  | { result: 'updated'; workOrderId: string; reference: number; state: WorkOrderState }
  | { result: 'unchanged'; workOrderId: string; reference: number; state: WorkOrderState }
  | {
      result: 'refused';
      reason: 'unknown_work_order' | 'not_technician';
      reference: number;
      workOrderId?: string;
    };

/** Work orders and their SMS round trip. */
export class WorkOrders {
  constructor(
    private readonly store: MoStore,
    private readonly mainStore: Store,
    private readonly clock: Clock,
    private readonly outbox: SmsOutbox,
    private readonly hub: EventHub,
    private readonly log: Logger,
    private readonly defaultCountry: string,
  ) {}

  /** Stores the work order and queues the dispatch SMS to the technician. */
  async create(actor: Principal, input: NewWorkOrder): Promise<WorkOrderDetail> {
    const technicianPhone = toE164(input.technicianPhone, this.defaultCountry);
    if (input.customerId && !(await this.mainStore.customers.byId(input.customerId))) {
      throw new DomainError('CUSTOMER_NOT_FOUND', 'No such customer.', { path: '/customerId' });
    }
    if (input.interactionId && !(await this.mainStore.interactions.byId(input.interactionId))) {
      throw new DomainError('INTERACTION_NOT_FOUND', 'No such interaction.', { path: '/interactionId' });
    }
    const at = new Date(this.clock.now());
    const createdBy = actor.kind === 'user' ? actor.username : `api-key:${actor.name}`;
    const order = await this.store.transaction(async (tx) => {
      const w = await tx.workOrders.insert({
        id: randomUUID(),
        title: input.title,
        address: input.address ?? null,
        notes: input.notes ?? null,
        technicianPhone,
        state: 'sent',
        customerId: input.customerId ?? null,
        interactionId: input.interactionId ?? null,
        smsId: null,
        doneNote: null,
        createdBy,
        createdAt: at,
        updatedAt: at,
        acknowledgedAt: null,
        doneAt: null,
      });
      await tx.workOrders.appendEvent({ workOrderId: w.id, at, type: 'created', details: { by: createdBy } });
      return w;
    });
    const sms = await this.outbox.send(actor, {
      to: technicianPhone,
      body: workOrderText(order),
      type: 'dispatch',
      idempotencyKey: `work-order:${order.id}`,
    });
    await this.store.workOrders.update(order.id, { smsId: sms.message.id });
    await this.store.workOrders.appendEvent({
      workOrderId: order.id,
      at,
      type: 'sent',
      details: { smsId: sms.message.id },
    });
    const detail = await this.get(order.id);
    await this.publish(detail, 'created');
    return detail;
  }

  async get(id: string): Promise<WorkOrderDetail> {
    const w = await this.store.workOrders.byId(id);
    if (!w) throw new DomainError('WORK_ORDER_NOT_FOUND', 'No such work order.');
    return { ...w, events: await this.store.workOrders.events(id) };
  }

  list(q: { state?: WorkOrderState; limit: number; offset: number }): Promise<WorkOrderRecord[]> {
    return this.store.workOrders.list(q);
  }

  /**
   * Applies a technician's SMS reply. Only the assigned technician's number moves the order; any
   * other number is refused (noted on the order, state unchanged). A repeated reply changes nothing.
   */
  async reply(
    from: string,
    action: 'acknowledge' | 'done',
    reference: number,
    note: string | null,
    inboundId: string,
  ): Promise<WorkOrderReplyOutcome> {
    const w = await this.store.workOrders.byReference(reference);
    if (!w) return { result: 'refused', reason: 'unknown_work_order', reference };
    const at = new Date(this.clock.now());
    if (w.technicianPhone !== from) {
      await this.store.workOrders.appendEvent({
        workOrderId: w.id,
        at,
        type: 'reply_refused',
        details: { inboundId, reason: 'not_technician' },
      });
      this.log.warn({ workOrder: w.id }, 'work order reply from another number refused');
      return { result: 'refused', reason: 'not_technician', reference, workOrderId: w.id };
    }
    const next: WorkOrderState | undefined =
      action === 'done'
        ? w.state === 'done'
          ? undefined
          : 'done'
        : w.state === 'sent'
          ? 'acknowledged'
          : undefined;
    if (!next) {
      await this.store.workOrders.appendEvent({
        workOrderId: w.id,
        at,
        type: 'reply_repeated',
        details: { inboundId, action },
      });
      return { result: 'unchanged', workOrderId: w.id, reference, state: w.state };
    }
    await this.store.transaction(async (tx) => {
      await tx.workOrders.update(w.id, {
        state: next,
        updatedAt: at,
        ...(next === 'acknowledged' ? { acknowledgedAt: at } : { doneAt: at, doneNote: note }),
        ...(next === 'done' && !w.acknowledgedAt ? { acknowledgedAt: at } : {}),
      });
      await tx.workOrders.appendEvent({
        workOrderId: w.id,
        at,
        type: next,
        details: { inboundId, ...(note ? { note } : {}) },
      });
    });
    await this.publish(await this.get(w.id), next);
    return { result: 'updated', workOrderId: w.id, reference, state: next };
  }

  /** To staff, and to the agent of the linked interaction (who asked for the visit). */
  private async publish(w: WorkOrderRecord, change: string): Promise<void> {
    const agentId = w.interactionId
      ? (await this.mainStore.interactions.byId(w.interactionId))?.agentId
      : undefined;
    this.hub.publish(
      'work_order.updated',
      {
        id: w.id,
        reference: w.reference,
        state: w.state,
        change,
        title: w.title,
        doneNote: w.doneNote,
        interactionId: w.interactionId,
        customerId: w.customerId,
      },
      { staff: true, ...(agentId ? { agentIds: [agentId] } : {}) },
      this.clock.now(),
    );
  }
}
