/**
 * Tables of dunning notices for utilities: plans (rules), debtors (imported arrears), runs and the
 * notices each debtor got. Re-exported by schema.ts, so migrations include them.
 */
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A dunning plan: who pays for its SMS and the rules of its notices. */
export const smsDunningPlans = pgTable('sms_dunning_plans', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** The SMS account the notices are billed to. */
  accountId: uuid('account_id').notNull(),
  currency: text('currency').notNull(),
  thresholdMinor: integer('threshold_minor').notNull(),
  /** One template per level. */
  stages: jsonb('stages').$type<string[]>().notNull(),
  maxPerPeriod: integer('max_per_period').notNull(),
  periodDays: integer('period_days').notNull(),
  minIntervalHours: integer('min_interval_hours').notNull(),
  /** Allowed local hours "HH:MM" in the recipient's zone; null = any time. */
  windowFrom: text('window_from'),
  windowTo: text('window_to'),
  sender: text('sender'),
  createdBy: text('created_by').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** One debtor's arrears in a plan; a re-import of the same reference updates it. */
export const smsDunningDebtors = pgTable(
  'sms_dunning_debtors',
  {
    id: uuid('id').primaryKey(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => smsDunningPlans.id),
    reference: text('reference').notNull(),
    phone: text('phone').notNull(),
    /** null when the imported number is not valid (never sent to). */
    e164: text('e164'),
    name: text('name').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    dueDate: text('due_date').notNull(),
    utility: text('utility').notNull(),
    /** open | paid */
    status: text('status').notNull(),
    /** When the current debt was opened: levels count from here. */
    openedAt: ts('opened_at').notNull(),
    paidAt: ts('paid_at'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('sms_dunning_debtors_ref_idx').on(t.planId, t.reference)],
);

/** One run of a plan and what it did. */
export const smsDunningRuns = pgTable(
  'sms_dunning_runs',
  {
    id: uuid('id').primaryKey(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => smsDunningPlans.id),
    at: ts('at').notNull(),
    by: text('by').notNull(),
    /** notices, segments, cost, skipped per reason, refused. */
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('sms_dunning_runs_plan_idx').on(t.planId, t.at)],
);

/** A notice a debtor got: the level, the text and the outbox message. */
export const smsDunningNotices = pgTable(
  'sms_dunning_notices',
  {
    id: uuid('id').primaryKey(),
    debtorId: uuid('debtor_id')
      .notNull()
      .references(() => smsDunningDebtors.id),
    runId: uuid('run_id').notNull(),
    level: integer('level').notNull(),
    /** When it is due to go out (the run's time, or the opening of the allowed hours). */
    at: ts('at').notNull(),
    messageId: uuid('message_id').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    body: text('body').notNull(),
  },
  (t) => [
    index('sms_dunning_notices_debtor_idx').on(t.debtorId, t.at),
    uniqueIndex('sms_dunning_notices_message_idx').on(t.messageId),
  ],
);
