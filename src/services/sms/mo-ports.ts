/**
 * Ports and records of inbound SMS and what it drives (opt-outs, topics, work orders, webhooks).
 * Kept apart from ports.ts so this slice has its own store; main.ts builds it on the same database.
 */
import type { SmsType } from '../../domain/sms/index.js';

export interface InboundSmsRecord {
  id: string;
  sender: string;
  recipient: string;
  body: string;
  parts: number;
  route: string;
  fingerprint: string;
  customerId: string | null;
  intent: string;
  outcome: Record<string, unknown>;
  receivedAt: Date;
}

/** One part of a concatenated MO waiting for its siblings. */
export interface InboundPartRecord {
  groupKey: string;
  seq: number;
  sender: string;
  recipient: string;
  route: string;
  body: string;
  bits: number;
  reference: number;
  total: number;
  receivedAt: Date;
}

export interface OptOutRecord {
  phone: string;
  at: Date;
  source: string;
  keyword: string | null;
}

export interface TopicSchedule {
  /** Local time of day, HH:MM. */
  at: string;
  timeZone: string;
  body: string;
}

export interface TopicRecord {
  id: string;
  name: string;
  keyword: string;
  description: string;
  type: Extract<SmsType, 'marketing' | 'notification'>;
  schedule: TopicSchedule | null;
  lastScheduledAt: Date | null;
  createdAt: Date;
}

export interface SubscriptionRecord {
  topicId: string;
  phone: string;
  source: string;
  createdAt: Date;
}

export type WorkOrderState = 'sent' | 'acknowledged' | 'done';

export interface WorkOrderRecord {
  id: string;
  reference: number;
  title: string;
  address: string | null;
  notes: string | null;
  technicianPhone: string;
  state: WorkOrderState;
  customerId: string | null;
  interactionId: string | null;
  smsId: string | null;
  doneNote: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  acknowledgedAt: Date | null;
  doneAt: Date | null;
}

export interface WorkOrderEventRecord {
  id: number;
  workOrderId: string;
  at: Date;
  type: string;
  details: Record<string, unknown> | null;
}

export type WebhookStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryRecord {
  id: string;
  eventType: string;
  url: string;
  body: string;
  status: WebhookStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  /** The SMS account whose own webhook this goes to; null = the global webhook. */
  accountId: string | null;
}

/** An SMS account's own webhook (receipts of its messages). */
export interface ClientWebhookRecord {
  accountId: string;
  url: string;
  secret: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ClientWebhookRepo {
  put(w: ClientWebhookRecord): Promise<void>;
  remove(accountId: string): Promise<boolean>;
  list(): Promise<ClientWebhookRecord[]>;
}

export interface InboundRepo {
  insert(r: InboundSmsRecord): Promise<void>;
  byId(id: string): Promise<InboundSmsRecord | undefined>;
  /** Whether a message with this fingerprint arrived at or after `since`. */
  seenSince(fingerprint: string, since: Date): Promise<boolean>;
  setOutcome(id: string, outcome: Record<string, unknown>): Promise<void>;
  /** Newest first. */
  list(q: { sender?: string; limit: number; offset: number }): Promise<InboundSmsRecord[]>;
}

export interface InboundPartRepo {
  /** False when this part was stored already (a re-delivery). */
  insert(p: InboundPartRecord): Promise<boolean>;
  group(groupKey: string): Promise<InboundPartRecord[]>;
  deleteGroup(groupKey: string): Promise<void>;
  /** Forgets parts whose siblings never came. */
  deleteBefore(at: Date): Promise<number>;
}

export interface OptOutRepo {
  upsert(r: OptOutRecord): Promise<void>;
  remove(phone: string): Promise<boolean>;
  get(phone: string): Promise<OptOutRecord | undefined>;
  list(q: { limit: number; offset: number }): Promise<OptOutRecord[]>;
  /** Which of these numbers opted out (one query per 1,000 numbers). */
  among(phones: readonly string[]): Promise<Set<string>>;
}

export interface TopicRepo {
  insert(t: TopicRecord): Promise<void>;
  byId(id: string): Promise<TopicRecord | undefined>;
  byKeyword(keyword: string): Promise<TopicRecord | undefined>;
  list(): Promise<TopicRecord[]>;
  update(id: string, patch: Partial<Omit<TopicRecord, 'id' | 'createdAt'>>): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** False when already subscribed. */
  subscribe(s: SubscriptionRecord): Promise<boolean>;
  unsubscribe(topicId: string, phone: string): Promise<boolean>;
  subscribers(topicId: string): Promise<SubscriptionRecord[]>;
  subscriptionsOf(phone: string): Promise<SubscriptionRecord[]>;
}

export interface WorkOrderRepo {
  /** Stores it; the database numbers the reference. */
  insert(w: Omit<WorkOrderRecord, 'reference'>): Promise<WorkOrderRecord>;
  byId(id: string): Promise<WorkOrderRecord | undefined>;
  byReference(reference: number): Promise<WorkOrderRecord | undefined>;
  list(q: { state?: WorkOrderState; limit: number; offset: number }): Promise<WorkOrderRecord[]>;
  update(id: string, patch: Partial<Omit<WorkOrderRecord, 'id' | 'reference' | 'createdAt'>>): Promise<void>;
  appendEvent(e: Omit<WorkOrderEventRecord, 'id'>): Promise<void>;
  events(id: string): Promise<WorkOrderEventRecord[]>;
}

export interface WebhookRepo {
  insert(d: WebhookDeliveryRecord): Promise<void>;
  due(now: Date, limit: number): Promise<WebhookDeliveryRecord[]>;
  nextDueAt(): Promise<Date | undefined>;
  update(id: string, patch: Partial<Omit<WebhookDeliveryRecord, 'id' | 'createdAt'>>): Promise<void>;
  list(q: { status?: WebhookStatus; limit: number; offset: number }): Promise<WebhookDeliveryRecord[]>;
}

/** The store of this slice, with transactions over its repositories. */
export interface MoStore {
  inbound: InboundRepo;
  parts: InboundPartRepo;
  optOuts: OptOutRepo;
  topics: TopicRepo;
  workOrders: WorkOrderRepo;
  webhooks: WebhookRepo;
  clientWebhooks: ClientWebhookRepo;
  /** The SMS account an outbound message is billed to (undefined: no such message). */
  accountOfMessage(messageId: string): Promise<string | null | undefined>;
  /** The newest SMS interaction from this address that is still queued, offered or active. */
  openSmsInteraction(fromAddress: string): Promise<{ id: string; agentId: string | null } | undefined>;
  transaction<T>(fn: (tx: MoStore) => Promise<T>): Promise<T>;
}

/** Posts a webhook body; answers the HTTP status, or throws on a network error or time-out. */
export interface WebhookTransport {
  post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number>;
}
