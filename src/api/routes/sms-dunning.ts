import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { STAFF, principal } from '../auth.js';
import { DateTime, IdParams, Name, Nullable, Paging, Uuid, lit } from '../schemas.js';
import { DUNNING_SKIP_REASONS, NOTICE_VARIABLES, UTILITY_TYPES } from '../../domain/sms/dunning.js';

const MAX_ROWS = 200_000;
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

const Hhmm = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Local time HH:MM' });

const PlanBody = Type.Object(
  {
    name: Name,
    accountId: Type.String({ format: 'uuid', description: 'The SMS account the notices are billed to' }),
    currency: Type.Optional(
      Type.String({ pattern: '^[A-Za-z]{3}$', description: "ISO 4217; default: the account's currency" }),
    ),
    thresholdMinor: Type.Integer({
      minimum: 0,
      description: 'Debts below this amount (minor units) get no notice',
    }),
    stages: Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), {
      minItems: 1,
      maxItems: 10,
      description:
        `One template per level: the first notice of a debt uses stages[0], the second stages[1] …, the last ` +
        `repeats. Placeholders: ${NOTICE_VARIABLES.map((v) => `{{${v}}}`).join(' ')}`,
    }),
    maxPerPeriod: Type.Integer({
      minimum: 1,
      maximum: 100,
      description: 'Notices per debtor within periodDays',
    }),
    periodDays: Type.Integer({ minimum: 1, maximum: 366 }),
    minIntervalHours: Type.Integer({
      minimum: 0,
      maximum: 8784,
      description: 'Between two notices to a debtor',
    }),
    window: Type.Optional(
      Nullable(
        Type.Object(
          { from: Hhmm, to: Hhmm },
          {
            additionalProperties: false,
            description:
              "Allowed hours in the recipient's time zone (from > to spans midnight); a run outside them holds " +
              'the notices until the next opening. Absent: any time.',
          },
        ),
      ),
    ),
    from: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20, description: 'Sender' }))),
  },
  { additionalProperties: false },
);

const Plan = Type.Object({
  id: Uuid,
  name: Type.String(),
  accountId: Uuid,
  currency: Type.String(),
  thresholdMinor: Type.Integer(),
  stages: Type.Array(Type.String()),
  maxPerPeriod: Type.Integer(),
  periodDays: Type.Integer(),
  minIntervalHours: Type.Integer(),
  window: Nullable(Type.Object({ from: Type.String(), to: Type.String() })),
  sender: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const Cell = Type.Union([Type.String({ maxLength: 200 }), Type.Number()]);
const ArrearsRow = Type.Object(
  {
    reference: Type.Optional(Cell),
    phone: Type.Optional(Cell),
    name: Type.Optional(Cell),
    amount: Type.Optional(Cell),
    currency: Type.Optional(Cell),
    dueDate: Type.Optional(Cell),
    utility: Type.Optional(Cell),
  },
  {
    additionalProperties: false,
    description:
      'reference (account or customer), phone, name, amount (decimal, e.g. "42.50"; 0 = settled), currency ' +
      `(default: the plan's), dueDate (YYYY-MM-DD), utility (${UTILITY_TYPES.join(', ')}). Validated row by row.`,
  },
);

const Problem = Type.Object({
  line: Type.Integer({ description: 'CSV: line in the file (header = 1); JSON: 1-based position in rows' }),
  reference: Nullable(Type.String()),
  field: Type.String(),
  reason: Type.String(),
});

const ImportResult = Type.Object({
  accepted: Type.Integer({ description: 'Rows stored' }),
  created: Type.Integer(),
  updated: Type.Integer(),
  settled: Type.Integer({ description: 'Open debts marked paid by amount 0' }),
  reopened: Type.Integer({ description: 'Paid debts owing again (levels start again at 1)' }),
  rejected: Type.Array(Problem, { description: 'Bad rows, not stored' }),
  warnings: Type.Array(Problem, { description: 'Stored, but never sent to (invalid phone number)' }),
});

const Debtor = Type.Object({
  id: Uuid,
  planId: Uuid,
  reference: Type.String(),
  phone: Type.String({ description: 'As imported' }),
  e164: Nullable(Type.String({ description: 'null when the number is not valid' })),
  name: Type.String(),
  amountMinor: Type.Integer(),
  currency: Type.String(),
  dueDate: Type.String(),
  utility: Type.String(),
  status: lit(['open', 'paid'] as const),
  openedAt: DateTime,
  paidAt: Nullable(DateTime),
  updatedAt: DateTime,
});

const Notice = Type.Object({
  id: Uuid,
  debtorId: Uuid,
  runId: Uuid,
  level: Type.Integer(),
  at: DateTime,
  messageId: Uuid,
  amountMinor: Type.Integer(),
  body: Type.String(),
  status: Nullable(Type.String({ description: "The outbox message's state" })),
});
const History = Type.Composite([Debtor, Type.Object({ notices: Type.Array(Notice) })]);

const Reason = lit(DUNNING_SKIP_REASONS);
const PreviewFields = {
  planId: Uuid,
  at: DateTime,
  accountId: Uuid,
  currency: Type.String(),
  notices: Type.Array(
    Type.Object({
      debtorId: Uuid,
      reference: Type.String(),
      name: Type.String(),
      phone: Type.String(),
      level: Type.Integer(),
      amountMinor: Type.Integer(),
      text: Type.String({ description: 'The rendered notice' }),
      encoding: lit(['gsm7', 'ucs2'] as const),
      segments: Type.Integer(),
      cost: Type.Integer({ description: "Minor units of the plan's account" }),
      sendAt: DateTime,
      deferred: Type.Boolean({ description: 'Held until the allowed hours open' }),
    }),
  ),
  skipped: Type.Array(
    Type.Object({
      debtorId: Uuid,
      reference: Type.String(),
      reason: Reason,
      retryAt: Nullable(DateTime),
    }),
  ),
  totals: Type.Object({
    notices: Type.Integer(),
    segments: Type.Integer(),
    cost: Type.Integer(),
    skipped: Type.Record(Type.String(), Type.Integer(), { description: 'Count per reason' }),
  }),
};
const Preview = Type.Object(PreviewFields);
const RunResult = Type.Object({
  ...PreviewFields,
  runId: Uuid,
  messageIds: Type.Array(Uuid),
  refused: Type.Array(
    Type.Object({ debtorId: Uuid, reference: Type.String(), code: Type.String(), message: Type.String() }),
  ),
});
const Run = Type.Object({
  id: Uuid,
  planId: Uuid,
  at: DateTime,
  by: Type.String(),
  summary: Type.Record(Type.String(), Type.Unknown()),
});

export function smsDunningRoutes(api: Api, { services, guard }: RouteContext): void {
  const { smsDunning } = services;
  const tags = ['sms dunning'];
  const send = guard(STAFF, 'sms:send');
  const read = guard(STAFF, 'sms:read');

  api.post(
    '/sms/dunning/plans',
    {
      schema: {
        tags,
        summary: 'Create a dunning plan (rules and the account it bills)',
        body: PlanBody,
        response: { 201: Plan, ...errors },
      },
      onRequest: send,
    },
    async (req, reply) => reply.status(201).send(await smsDunning.createPlan(principal(req), req.body)),
  );
  api.get(
    '/sms/dunning/plans',
    {
      schema: { tags, summary: 'Dunning plans', response: { 200: Type.Array(Plan), ...errors } },
      onRequest: read,
    },
    async () => smsDunning.plans(),
  );
  api.get(
    '/sms/dunning/plans/:id',
    {
      schema: { tags, summary: 'A dunning plan', params: IdParams, response: { 200: Plan, ...errors } },
      onRequest: read,
    },
    async (req) => smsDunning.plan(req.params.id),
  );
  api.put(
    '/sms/dunning/plans/:id',
    {
      schema: {
        tags,
        summary: "Replace a plan's rules",
        params: IdParams,
        body: PlanBody,
        response: { 200: Plan, ...errors },
      },
      onRequest: send,
    },
    async (req) => smsDunning.updatePlan(req.params.id, req.body),
  );

  api.post(
    '/sms/dunning/plans/:id/arrears',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Import arrears as JSON rows; bad rows are reported by position, good rows stored',
        description:
          'A reference already in the plan is updated (a new amount, number or due date); amount 0 marks the debt ' +
          'settled, and a positive amount on a settled debt re-opens it. For a CSV upload see `.../arrears/csv`.',
        params: IdParams,
        body: Type.Object(
          { rows: Type.Array(ArrearsRow, { minItems: 1, maxItems: MAX_ROWS }) },
          { additionalProperties: false },
        ),
        response: { 200: ImportResult, ...errors },
      },
      onRequest: send,
    },
    async (req) => smsDunning.importArrears(req.params.id, { rows: req.body.rows }),
  );
  api.post(
    '/sms/dunning/plans/:id/arrears/csv',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Import arrears from a CSV upload (Content-Type: text/csv); bad rows reported by line',
        description:
          'Header row with the columns reference (or account, customer, ref), phone (mobile, msisdn, number), name, ' +
          'amount, currency, due date (due_date, due), utility (utility_type, type). Lines count from the header (1).',
        params: IdParams,
        body: Type.String({ description: 'CSV text' }),
        response: { 200: ImportResult, ...errors },
      },
      onRequest: send,
    },
    async (req) => smsDunning.importArrears(req.params.id, { csv: req.body }),
  );
  api.get(
    '/sms/dunning/plans/:id/debtors',
    {
      schema: {
        tags,
        summary: "A plan's debtors by reference",
        params: IdParams,
        querystring: Type.Object({ status: Type.Optional(lit(['open', 'paid'] as const)), ...Paging }),
        response: { 200: Type.Array(Debtor), ...errors },
      },
      onRequest: read,
    },
    async (req) =>
      smsDunning.debtors(req.params.id, {
        ...req.query,
        limit: req.query.limit ?? 50,
        offset: req.query.offset ?? 0,
      }),
  );
  api.get(
    '/sms/dunning/plans/:id/preview',
    {
      schema: {
        tags,
        summary: 'Who would get which notice if the plan ran now (text, segments, cost) and who not, and why',
        description:
          `Nothing is stored or sent. Skip reasons: ${DUNNING_SKIP_REASONS.join(', ')}. A run at the same moment ` +
          'sends exactly these notices.',
        params: IdParams,
        response: { 200: Preview, ...errors },
      },
      onRequest: read,
    },
    async (req) => smsDunning.preview(req.params.id),
  );
  api.post(
    '/sms/dunning/plans/:id/run',
    {
      schema: {
        tags,
        summary:
          'Run the plan: the previewed notices go to the outbox as notifications billed to its account',
        description:
          'Notices outside the allowed hours are stored now and held until the window opens. A notice the ' +
          "account's balance or quota does not cover is reported in `refused` and not counted.",
        params: IdParams,
        response: { 200: RunResult, ...errors },
      },
      onRequest: send,
    },
    async (req) => smsDunning.run(principal(req), req.params.id),
  );
  api.get(
    '/sms/dunning/plans/:id/runs',
    {
      schema: {
        tags,
        summary: "A plan's runs, newest first (the messages of a run: GET /api/sms?campaignId=<run id>)",
        params: IdParams,
        querystring: Type.Object(Paging),
        response: { 200: Type.Array(Run), ...errors },
      },
      onRequest: read,
    },
    async (req) =>
      smsDunning.runs(req.params.id, { limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }),
  );
  api.get(
    '/sms/dunning/debtors/:id',
    {
      schema: {
        tags,
        summary: 'A debtor with every notice sent and how it went',
        params: IdParams,
        response: { 200: History, ...errors },
      },
      onRequest: read,
    },
    async (req) => smsDunning.history(req.params.id),
  );
  api.post(
    '/sms/dunning/debtors/:id/paid',
    {
      schema: {
        tags,
        summary: 'Mark the debt paid: no further notices; one still held for the allowed hours is cancelled',
        params: IdParams,
        response: { 200: Type.Composite([History, Type.Object({ cancelled: Type.Integer() })]), ...errors },
      },
      onRequest: send,
    },
    async (req) => smsDunning.markPaid(principal(req), req.params.id),
  );
}
