/**
 * The database schema in code. Migrations in /migrations are generated from it with
 * `npm run db:generate`; CI fails when the two disagree (`npm run db:check`).
 */
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: ts('created_at').notNull(),
});

export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  prefix: text('prefix').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  scopes: jsonb('scopes').$type<string[]>().notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: ts('created_at').notNull(),
  revokedAt: ts('revoked_at'),
  /** Optional request limits (token buckets in memory); null = unlimited. */
  ratePerSecond: integer('rate_per_second'),
  ratePerMinute: integer('rate_per_minute'),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    ip: text('ip'),
  },
  (t) => [index('audit_log_at_idx').on(t.at)],
);

export const teams = pgTable('teams', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: ts('created_at').notNull(),
});

export const teamSupervisors = pgTable(
  'team_supervisors',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);

export const skills = pgTable('skills', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: ts('created_at').notNull(),
});

export const agents = pgTable('agents', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: 'cascade' }),
  teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
  capacity: jsonb('capacity').$type<Record<string, number>>().notNull(),
  exclusiveChannels: jsonb('exclusive_channels').$type<string[]>().notNull(),
  /** Last presence the agent chose; restored after a restart. */
  presence: text('presence').notNull().default('logged_out'),
  presenceReason: text('presence_reason'),
  createdAt: ts('created_at').notNull(),
});

export const agentSkills = pgTable(
  'agent_skills',
  {
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    skillId: uuid('skill_id')
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    level: integer('level').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.skillId] })],
);

export const queues = pgTable('queues', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  requirements: jsonb('requirements').$type<{ skillId: string; minLevel: number }[]>().notNull(),
  priority: integer('priority').notNull(),
  strategy: text('strategy').notNull(),
  reservationTimeoutSec: integer('reservation_timeout_sec').notNull(),
  wrapUpSec: integer('wrap_up_sec').notNull(),
  maxWaitSec: integer('max_wait_sec'),
  overflow: jsonb('overflow').$type<unknown[]>().notNull(),
  stickySec: integer('sticky_sec').notNull(),
  slThresholdSec: integer('sl_threshold_sec').notNull(),
  slTargetPct: integer('sl_target_pct').notNull(),
  businessHours: jsonb('business_hours').$type<unknown>(),
  createdAt: ts('created_at').notNull(),
});

export const reasonCodes = pgTable(
  'reason_codes',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    label: text('label').notNull(),
  },
  (t) => [uniqueIndex('reason_codes_kind_code_idx').on(t.kind, t.code)],
);

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  emails: jsonb('emails').$type<string[]>().notNull(),
  vip: boolean('vip').notNull().default(false),
  blacklisted: boolean('blacklisted').notNull().default(false),
  tags: jsonb('tags').$type<string[]>().notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export const customerPhones = pgTable(
  'customer_phones',
  {
    number: text('number').primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
  },
  (t) => [index('customer_phones_customer_idx').on(t.customerId)],
);

export const interactions = pgTable(
  'interactions',
  {
    id: uuid('id').primaryKey(),
    /** Arrival order; with queued_at it restores each queue's order after a restart. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    channel: text('channel').notNull(),
    direction: text('direction').notNull(),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    queueId: uuid('queue_id').references(() => queues.id, { onDelete: 'set null' }),
    priority: integer('priority').notNull(),
    vip: boolean('vip').notNull(),
    status: text('status').notNull(),
    outcome: text('outcome'),
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    subject: text('subject'),
    fromAddress: text('from_address'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull(),
    wrapUpCode: text('wrap_up_code'),
    wrapUpNotes: text('wrap_up_notes'),
    idempotencyKey: text('idempotency_key').unique(),
    createdAt: ts('created_at').notNull(),
    queuedAt: ts('queued_at'),
    offeredAt: ts('offered_at'),
    acceptedAt: ts('accepted_at'),
    endedAt: ts('ended_at'),
    wrapUpEndedAt: ts('wrap_up_ended_at'),
  },
  (t) => [
    index('interactions_status_idx').on(t.status),
    index('interactions_customer_idx').on(t.customerId, t.createdAt),
    index('interactions_agent_idx').on(t.agentId, t.createdAt),
  ],
);

export const interactionEvents = pgTable(
  'interaction_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    interactionId: uuid('interaction_id')
      .notNull()
      .references(() => interactions.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    type: text('type').notNull(),
    agentId: uuid('agent_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('interaction_events_interaction_idx').on(t.interactionId, t.id)],
);

export const agentStateLog = pgTable(
  'agent_state_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    state: text('state').notNull(),
    previous: text('previous').notNull(),
    reason: text('reason'),
    cause: text('cause').notNull(),
  },
  (t) => [index('agent_state_log_agent_idx').on(t.agentId, t.at)],
);

export const smsMessages = pgTable(
  'sms_messages',
  {
    id: uuid('id').primaryKey(),
    sender: text('sender').notNull(),
    /** E.164 with the leading +. */
    recipient: text('recipient').notNull(),
    body: text('body').notNull(),
    encoding: text('encoding').notNull(),
    segments: integer('segments').notNull(),
    type: text('type').notNull().default('notification'),
    priority: integer('priority').notNull(),
    status: text('status').notNull(),
    errorCode: integer('error_code'),
    /** Concatenation reference, fixed at first planning so a resubmitted part matches its siblings. */
    concatRef: integer('concat_ref'),
    idempotencyKey: text('idempotency_key').unique(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    /** A retried message waits until then. */
    nextAttemptAt: ts('next_attempt_at'),
    submittedAt: ts('submitted_at'),
    doneAt: ts('done_at'),
    /** The account charged (null for messages stored before accounts existed). */
    accountId: uuid('account_id'),
    /** segments × price at acceptance, minor units. */
    costMinor: bigint('cost_minor', { mode: 'number' }).notNull().default(0),
    /** Not sent before (schedule) / not sent after (validity: then expired and refunded). */
    sendAt: ts('send_at'),
    validUntil: ts('valid_until'),
    /**
     * The campaign it belongs to: one of Hotline's (sms_campaigns, sent under its state and
     * throttle) or any other id a sender tags it with for search; null for none.
     */
    campaignId: uuid('campaign_id'),
  },
  (t) => [
    index('sms_messages_account_idx').on(t.accountId, t.createdAt),
    // The dispatcher's take, in its own order (priority first, then oldest): a partial index of the
    // queue alone, so the read stops after the rows it takes instead of sorting every queued row
    // (18 ms a read with 20,000 queued, most of PostgreSQL's time in the benchmark).
    index('sms_messages_queue_idx')
      .on(t.priority.desc(), t.createdAt, t.id)
      .where(sql`${t.status} = 'queued'`),
    // Searches by state, newest first.
    index('sms_messages_status_idx').on(t.status, t.createdAt),
    index('sms_messages_recipient_idx').on(t.recipient, t.createdAt),
    // A campaign's next messages, and its progress by status, without scanning other campaigns.
    index('sms_messages_campaign_idx').on(t.campaignId, t.status, t.createdAt, t.id),
    // The next retry time without reading every queued message.
    index('sms_messages_retry_idx').on(t.nextAttemptAt),
  ],
);

export const smsCampaigns = pgTable('sms_campaigns', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  template: text('template').notNull(),
  type: text('type').notNull(),
  sender: text('sender').notNull(),
  encoding: text('encoding').notNull(),
  /** Messages per second for this campaign; null = as fast as the bind allows. */
  throttlePerSec: integer('throttle_per_sec'),
  /** draft | running | paused | completed | cancelled */
  state: text('state').notNull(),
  /** How the recipients were chosen: { kind: 'list' | 'tag' | 'csv', tag? }. */
  audience: jsonb('audience').$type<Record<string, unknown>>().notNull(),
  total: integer('total').notNull(),
  rejected: integer('rejected').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  startedAt: ts('started_at'),
  finishedAt: ts('finished_at'),
});

export const smsSegments = pgTable(
  'sms_segments',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => smsMessages.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    status: text('status').notNull(),
    /** normaliseMessageId of the SMSC's id: receipts are matched on it. */
    smscMessageKey: text('smsc_message_key'),
    smscMessageId: text('smsc_message_id'),
    errorCode: integer('error_code'),
    submittedAt: ts('submitted_at'),
    doneAt: ts('done_at'),
    /** The SMS route (SMSC connection) the segment went through. */
    route: text('route'),
  },
  (t) => [
    primaryKey({ columns: [t.messageId, t.seq] }),
    index('sms_segments_smsc_key_idx').on(t.smscMessageKey),
    index('sms_segments_status_idx').on(t.status),
  ],
);

export const smsEvents = pgTable(
  'sms_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => smsMessages.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    type: text('type').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('sms_events_message_idx').on(t.messageId, t.id)],
);

export const smsAccounts = pgTable('sms_accounts', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** department | user | api_client | internal */
  kind: text('kind').notNull(),
  /** prepaid (balance) | quota (per calendar month) | unbilled */
  billing: text('billing').notNull(),
  /** Prepaid balance in minor units; always the sum of the account's ledger. */
  balance: bigint('balance', { mode: 'number' }).notNull().default(0),
  /** Quota per calendar month (UTC) in minor units, for billing = quota. */
  monthlyQuota: bigint('monthly_quota', { mode: 'number' }),
  /** The month quotaUsed counts ("yyyy-mm"), and what was used in it. */
  quotaMonth: text('quota_month'),
  quotaUsed: bigint('quota_used', { mode: 'number' }).notNull().default(0),
  currency: text('currency').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** Who sends on an account: users and API keys, each on at most one account. */
export const smsAccountMembers = pgTable(
  'sms_account_members',
  {
    principalType: text('principal_type').notNull(),
    principalId: uuid('principal_id').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => smsAccounts.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.principalType, t.principalId] }),
    index('sms_account_members_account_idx').on(t.accountId),
  ],
);

export const smsPrices = pgTable(
  'sms_prices',
  {
    id: uuid('id').primaryKey(),
    /** Leading E.164 digits without "+"; "" is the fallback price. */
    prefix: text('prefix').notNull(),
    /** Route name, "" for any route. */
    route: text('route').notNull().default(''),
    perSegment: integer('per_segment').notNull(),
  },
  (t) => [uniqueIndex('sms_prices_prefix_route_idx').on(t.prefix, t.route)],
);

export const smsLedger = pgTable(
  'sms_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => smsAccounts.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    /** charge | refund | topup */
    kind: text('kind').notNull(),
    /** Signed minor units: charges are negative. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    segments: integer('segments').notNull().default(0),
    messageId: uuid('message_id'),
    messageType: text('message_type'),
    note: text('note'),
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    index('sms_ledger_account_idx').on(t.accountId, t.at),
    // One charge and at most one refund per message.
    uniqueIndex('sms_ledger_message_kind_idx').on(t.messageId, t.kind),
  ],
);
export * from './schema-sms-mo.js';
export * from './schema-sms-dunning.js';
export * from './schema-sip-trunks.js';
/** IVR flows: a name and the version calls get; the documents live in ivr_flow_versions. */
export const ivrFlows = pgTable('ivr_flows', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /** The version new calls run; null until one is published. */
  publishedVersion: integer('published_version'),
  latestVersion: integer('latest_version').notNull(),
  createdBy: text('created_by'),
  createdAt: ts('created_at').notNull(),
  /** Archived flows keep their versions (calls in progress hold their own copy) but run no new calls. */
  archivedAt: ts('archived_at'),
});

/** Every version of a flow document, never changed once written. */
export const ivrFlowVersions = pgTable(
  'ivr_flow_versions',
  {
    flowId: uuid('flow_id')
      .notNull()
      .references(() => ivrFlows.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
    createdBy: text('created_by'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.version] })],
);

/** Dialed numbers (DNIS) and the flow each runs, with time-based overrides (domain FlowBinding). */
export const ivrNumbers = pgTable('ivr_numbers', {
  id: uuid('id').primaryKey(),
  /** Normalised: digits with an optional leading '+', or '*' for every other number. */
  dnis: text('dnis').notNull().unique(),
  flowId: uuid('flow_id')
    .notNull()
    .references(() => ivrFlows.id),
  overrides: jsonb('overrides').$type<unknown[]>().notNull(),
  description: text('description'),
  createdAt: ts('created_at').notNull(),
});

/** Messages callers left in an IVR voicemail node; the audio is a WAV file under the voicemail folder. */
export const voicemails = pgTable(
  'voicemails',
  {
    id: uuid('id').primaryKey(),
    /** The interaction that brings the message to an agent. */
    interactionId: uuid('interaction_id').references(() => interactions.id, { onDelete: 'set null' }),
    callId: text('call_id').notNull(),
    caller: text('caller').notNull(),
    dnis: text('dnis').notNull(),
    mailbox: text('mailbox'),
    /** Relative to the voicemail folder. */
    file: text('file').notNull(),
    durationMs: integer('duration_ms').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('voicemails_interaction_idx').on(t.interactionId)],
);

/** SIP credentials of an agent's phone: the digest HA1 (MD5 of user:realm:password), never the password. */
export const agentSipAccounts = pgTable('agent_sip_accounts', {
  agentId: uuid('agent_id')
    .primaryKey()
    .references(() => agents.id, { onDelete: 'cascade' }),
  username: text('username').notNull().unique(),
  realm: text('realm').notNull(),
  ha1: text('ha1').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** Call recordings: a stereo WAV per answered call (caller left, agent right). */
export const recordings = pgTable(
  'recordings',
  {
    id: uuid('id').primaryKey(),
    interactionId: uuid('interaction_id')
      .notNull()
      .references(() => interactions.id, { onDelete: 'cascade' }),
    filePath: text('file_path').notNull(),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at'),
    durationMs: integer('duration_ms'),
    /** Spans written as silence (payment card capture), ms from the start. */
    pauses: jsonb('pauses').$type<{ fromMs: number; toMs: number }[]>().notNull(),
  },
  (t) => [
    index('recordings_interaction_idx').on(t.interactionId),
    // The recordings search pages newest first by (started_at, id), narrowed by a date range.
    index('recordings_started_idx').on(t.startedAt, t.id),
  ],
);

/** Call detail records: one row per leg (the caller's and the agent's). */
export const cdrs = pgTable(
  'cdrs',
  {
    id: uuid('id').primaryKey(),
    callId: text('call_id').notNull(),
    /** inbound: the caller's leg; outbound: our call to an agent's phone. */
    direction: text('direction').notNull(),
    fromAddress: text('from_address').notNull(),
    toAddress: text('to_address').notNull(),
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    interactionId: uuid('interaction_id').references(() => interactions.id, { onDelete: 'cascade' }),
    recordingId: uuid('recording_id').references(() => recordings.id, { onDelete: 'set null' }),
    startedAt: ts('started_at').notNull(),
    answeredAt: ts('answered_at'),
    endedAt: ts('ended_at').notNull(),
    endCause: text('end_cause').notNull(),
    /** Final SIP status of an agent leg's INVITE (200, 486, 487 after our CANCEL…); null for callers. */
    sipStatus: integer('sip_status'),
    /** caller, agent, consulted (a consult's second agent) or supervisor; null on rows from before. */
    role: text('role'),
  },
  (t) => [index('cdrs_interaction_idx').on(t.interactionId)],
);
