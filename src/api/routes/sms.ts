import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { STAFF, principal } from '../auth.js';
import { DateTime, IdParams, Nullable, Paging, Uuid, lit } from '../schemas.js';
import { SMS_STATUSES, SMS_TYPES, type SmsStatus } from '../../domain/sms/index.js';
import { csvRow } from '../../domain/sms/csv.js';
import { LedgerEntry } from './sms-accounts.js';
import { Readable } from 'node:stream';

const SmsCreate = Type.Object(
  {
    to: Type.String({ minLength: 1, maxLength: 40, description: 'Phone number in any spelling' }),
    body: Type.String({ minLength: 1, maxLength: 40000 }),
    from: Type.Optional(
      Type.String({ minLength: 1, maxLength: 20, description: 'Default: sms.defaultSender' }),
    ),
    type: Type.Optional(lit(SMS_TYPES)),
    encoding: Type.Optional(lit(['auto', 'gsm7', 'ucs2'] as const)),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    sendAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'Not sent before this instant (schedule)' }),
    ),
    validUntil: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Not sent after this instant: the message then ends expired and is refunded',
      }),
    ),
    accountId: Type.Optional(
      Type.String({ format: 'uuid', description: "SMS account to bill (users only); default: the caller's" }),
    ),
    campaignId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);

const SmsFilters = {
  status: Type.Optional(lit(SMS_STATUSES)),
  to: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Recipient, any spelling' })),
  from: Type.Optional(
    Type.String({ minLength: 1, maxLength: 20, description: 'Sender ID (short code or name), exactly' }),
  ),
  accountId: Type.Optional(Uuid),
  campaignId: Type.Optional(Uuid),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'Created before' })),
};

export const Sms = Type.Object({
  id: Uuid,
  sender: Type.String(),
  recipient: Type.String(),
  body: Type.String(),
  encoding: lit(['gsm7', 'ucs2'] as const),
  segments: Type.Integer(),
  type: lit(SMS_TYPES),
  priority: Type.Integer(),
  status: lit(SMS_STATUSES),
  errorCode: Nullable(Type.Integer({ description: 'SMPP command status or receipt err' })),
  idempotencyKey: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  submittedAt: Nullable(DateTime),
  doneAt: Nullable(DateTime),
  accountId: Nullable(Uuid),
  costMinor: Type.Integer({ description: 'segments × price per segment, minor units' }),
  sendAt: Nullable(DateTime),
  validUntil: Nullable(DateTime),
  nextAttemptAt: Nullable(DateTime),
  campaignId: Nullable(Uuid),
});

const SmsDetail = Type.Composite([
  Sms,
  Type.Object({
    parts: Type.Array(
      Type.Object({
        seq: Type.Integer(),
        status: Type.String(),
        smscMessageId: Nullable(Type.String()),
        route: Type.Optional(Nullable(Type.String({ description: 'The SMS route it went through' }))),
        errorCode: Nullable(Type.Integer()),
        submittedAt: Nullable(DateTime),
        doneAt: Nullable(DateTime),
      }),
    ),
    events: Type.Array(
      Type.Object({
        at: DateTime,
        type: Type.String(),
        details: Nullable(Type.Record(Type.String(), Type.Unknown())),
      }),
    ),
    ledger: Type.Array(LedgerEntry),
  }),
]);

const CSV_COLUMNS = [
  'id',
  'createdAt',
  'status',
  'type',
  'sender',
  'recipient',
  'segments',
  'costMinor',
  'accountId',
  'campaignId',
  'sendAt',
  'submittedAt',
  'doneAt',
  'errorCode',
  'body',
] as const;

type Filters = { [K in keyof typeof SmsFilters]?: string };
const toQuery = (q: Filters) => {
  const { since, until, from, ...rest } = q;
  return {
    ...(rest as Omit<Filters, 'since' | 'until' | 'from'> & { status?: SmsStatus }),
    ...(from ? { sender: from } : {}),
    ...(since ? { since: new Date(since) } : {}),
    ...(until ? { until: new Date(until) } : {}),
  };
};

export function smsRoutes(api: Api, { services, guard }: RouteContext): void {
  const { sms } = services;
  const tags = ['sms'];
  api.post(
    '/sms',
    {
      schema: {
        tags,
        summary: 'Send an SMS; answers once it is stored in the outbox (status queued)',
        description:
          'The number may be written in any spelling (default country from config). Long texts are sent as ' +
          'concatenated segments; `encoding` auto picks GSM-7 when it can carry the text, else UCS-2. With ' +
          '`idempotencyKey`, repeating the request answers the first message (200) instead of sending another.',
        body: SmsCreate,
        response: { 200: Sms, 201: Sms, ...errors },
      },
      onRequest: guard(STAFF, 'sms:send'),
    },
    async (req, reply) => {
      const { sendAt, validUntil, ...rest } = req.body;
      const r = await sms.send(principal(req), {
        ...rest,
        ...(sendAt ? { sendAt: new Date(sendAt) } : {}),
        ...(validUntil ? { validUntil: new Date(validUntil) } : {}),
      });
      return reply.status(r.created ? 201 : 200).send(r.message);
    },
  );
  api.get(
    '/sms/export.csv',
    {
      schema: {
        tags,
        summary: 'Export the messages a search finds as CSV (streamed, newest first)',
        description:
          'Same filters as GET /sms. Cells that a spreadsheet would run as a formula (= + - @) get a leading apostrophe.',
        querystring: Type.Object(SmsFilters),
        produces: ['text/csv'],
      },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async (req, reply) => {
      const actor = principal(req);
      // Pages are read newest first: fixing the end keeps later sends from shifting the pages.
      const query = { until: new Date(services.clock.now() + 1), ...toQuery(req.query) };
      // Validate the filters before the first byte goes out, so a bad number still answers 400.
      const first = await sms.search({ ...query, limit: 500, offset: 0 }, actor);
      async function* lines(): AsyncGenerator<string> {
        yield csvRow(CSV_COLUMNS);
        let page = first;
        for (let offset = 0; page.length > 0;) {
          for (const m of page) yield csvRow(CSV_COLUMNS.map((c) => m[c]));
          if (page.length < 500) return;
          offset += page.length;
          page = await sms.search({ ...query, limit: 500, offset }, actor);
        }
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="sms.csv"')
        .send(Readable.from(lines()));
    },
  );
  api.post(
    '/sms/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a scheduled or queued message (refunded); refused once any part was submitted',
        params: IdParams,
        response: { 200: Sms, ...errors },
      },
      onRequest: guard(STAFF, 'sms:send'),
    },
    async (req) => services.smsSchedule.cancel(principal(req), req.params.id),
  );
  api.get(
    '/sms',
    {
      schema: {
        tags,
        summary: 'Search messages by number, sender ID, account, state, date range, campaign; newest first',
        description: "An API key linked to an SMS account sees only that account's messages.",
        querystring: Type.Object({ ...SmsFilters, ...Paging }),
        response: { 200: Type.Array(Sms), ...errors },
      },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async (req) => {
      const { limit, offset, ...filters } = req.query;
      return sms.search({ ...toQuery(filters), limit: limit ?? 50, offset: offset ?? 0 }, principal(req));
    },
  );
  api.get(
    '/sms/:id',
    {
      schema: {
        tags,
        summary:
          'One message with its segments, every step (submits, retries, receipts) and its charge/refund',
        params: IdParams,
        response: { 200: SmsDetail, ...errors },
      },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async (req) => sms.get(req.params.id, principal(req)),
  );
}
