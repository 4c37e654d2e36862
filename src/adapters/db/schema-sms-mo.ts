/**
 * Tables of inbound (mobile-originated) SMS and what they drive: opt-outs, topics and subscriptions,
 * work orders, and the webhook outbox. Re-exported by schema.ts, so migrations include them.
 */
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Every received message, after reassembly. */
export const smsInbound = pgTable(
  'sms_inbound',
  {
    id: uuid('id').primaryKey(),
    /** E.164 when the originator was a number, else as received. */
    sender: text('sender').notNull(),
    recipient: text('recipient').notNull(),
    body: text('body').notNull(),
    parts: integer('parts').notNull(),
    /** The SMSC bind (system_id) it came through. */
    route: text('route').notNull(),
    /** Same sender, recipient, text and concatenation reference: a re-delivery within the window. */
    fingerprint: text('fingerprint').notNull(),
    customerId: uuid('customer_id'),
    /** What the keyword router made of it: opt_out, subscribe, work_order, conversation … */
    intent: text('intent').notNull(),
    /** How it was handled: the interaction, work order or topic it touched, or why it was refused. */
    outcome: jsonb('outcome').$type<Record<string, unknown>>().notNull(),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [
    index('sms_inbound_sender_idx').on(t.sender, t.receivedAt),
    index('sms_inbound_fingerprint_idx').on(t.fingerprint, t.receivedAt),
    index('sms_inbound_received_idx').on(t.receivedAt),
  ],
);

/** Parts of concatenated messages still waiting for their siblings (durable across restarts). */
export const smsInboundParts = pgTable(
  'sms_inbound_parts',
  {
    /** Sender, recipient, reference width and value, total: one message being reassembled. */
    groupKey: text('group_key').notNull(),
    seq: integer('seq').notNull(),
    sender: text('sender').notNull(),
    recipient: text('recipient').notNull(),
    route: text('route').notNull(),
    body: text('body').notNull(),
    bits: integer('bits').notNull(),
    reference: integer('reference').notNull(),
    total: integer('total').notNull(),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupKey, t.seq] }), index('sms_inbound_parts_at_idx').on(t.receivedAt)],
);

/** Numbers that said STOP: no marketing goes to them. */
export const smsOptOuts = pgTable('sms_opt_outs', {
  phone: text('phone').primaryKey(),
  at: ts('at').notNull(),
  /** 'keyword' (the customer's SMS) or 'api'. */
  source: text('source').notNull(),
  keyword: text('keyword'),
});

/** Information-on-demand topics. */
export const smsTopics = pgTable('sms_topics', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** Normalised (normaliseKeyword): uppercase, single-spaced. */
  keyword: text('keyword').notNull().unique(),
  description: text('description').notNull(),
  /** The SMS type of a send to this topic: marketing skips opted-out numbers. */
  type: text('type').notNull(),
  /** A daily send: { at: 'HH:MM', timeZone, body } or null. */
  schedule: jsonb('schedule').$type<{ at: string; timeZone: string; body: string }>(),
  lastScheduledAt: ts('last_scheduled_at'),
  createdAt: ts('created_at').notNull(),
});

export const smsSubscriptions = pgTable(
  'sms_subscriptions',
  {
    topicId: uuid('topic_id')
      .notNull()
      .references(() => smsTopics.id, { onDelete: 'cascade' }),
    phone: text('phone').notNull(),
    /** 'sms', 'api' or 'agent:<username>'. */
    source: text('source').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.topicId, t.phone] }), index('sms_subscriptions_phone_idx').on(t.phone)],
);

/** Field dispatch: a job sent to a technician's phone, answered by SMS. */
export const workOrders = pgTable(
  'work_orders',
  {
    id: uuid('id').primaryKey(),
    /** The short number technicians quote: "OK 4711". */
    reference: serial('reference').notNull().unique(),
    title: text('title').notNull(),
    address: text('address'),
    notes: text('notes'),
    technicianPhone: text('technician_phone').notNull(),
    /** sent → acknowledged → done. */
    state: text('state').notNull(),
    customerId: uuid('customer_id'),
    interactionId: uuid('interaction_id'),
    /** The dispatch SMS in the outbox. */
    smsId: uuid('sms_id'),
    doneNote: text('done_note'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    acknowledgedAt: ts('acknowledged_at'),
    doneAt: ts('done_at'),
  },
  (t) => [index('work_orders_state_idx').on(t.state, t.createdAt)],
);

export const workOrderEvents = pgTable(
  'work_order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    type: text('type').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('work_order_events_order_idx').on(t.workOrderId, t.id)],
);

/** Webhook pushes waiting or done: a restart resumes the pending ones. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    /** The event id receivers de-duplicate on. */
    id: uuid('id').primaryKey(),
    eventType: text('event_type').notNull(),
    url: text('url').notNull(),
    /** The exact JSON body sent (and signed). */
    body: text('body').notNull(),
    /** pending → delivered | failed. */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull(),
    deliveredAt: ts('delivered_at'),
    /** The SMS account whose own webhook this goes to (signed with its secret); null = the global one. */
    accountId: uuid('account_id'),
  },
  (t) => [index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt)],
);

/** An SMS account's (API client's) own webhook for the receipts of its messages. */
export const smsClientWebhooks = pgTable('sms_client_webhooks', {
  accountId: uuid('account_id').primaryKey(),
  url: text('url').notNull(),
  /** HMAC key of X-Hotline-Signature; shown once when set. */
  secret: text('secret').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});
