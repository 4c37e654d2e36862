import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { ADMIN, STAFF, principal } from '../auth.js';
import { DateTime, IdParams, Name, Nullable, Uuid, lit } from '../schemas.js';
import { SmsAccounts } from '../../services/sms/accounts.js';

const Minor = Type.Integer({ description: 'Integer minor units (cents) of the account currency' });
const Member = Type.Object(
  { principalType: lit(['user', 'api_key'] as const), principalId: Uuid },
  { additionalProperties: false },
);
const Kind = lit(['department', 'user', 'api_client'] as const);
const Billing = lit(['prepaid', 'quota', 'unbilled'] as const);

export const LedgerEntry = Type.Object({
  id: Type.Integer(),
  accountId: Uuid,
  at: DateTime,
  kind: lit(['charge', 'refund', 'topup'] as const),
  amount: Type.Integer({ description: 'Signed minor units: charges negative' }),
  segments: Type.Integer(),
  messageId: Nullable(Uuid),
  messageType: Nullable(Type.String()),
  note: Nullable(Type.String()),
  createdBy: Type.String(),
});

const Account = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: lit(['department', 'user', 'api_client', 'internal'] as const),
  billing: Billing,
  balance: Type.Integer({ description: 'Prepaid balance, minor units' }),
  monthlyQuota: Nullable(Type.Integer()),
  quotaMonth: Nullable(Type.String()),
  quotaUsed: Type.Integer(),
  currency: Type.String(),
  available: Nullable(Type.Integer({ description: 'Balance, or quota left this month; null when unbilled' })),
  members: Type.Array(Member),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const TypeTotals = Type.Object({
  type: Type.String(),
  messages: Type.Integer(),
  segments: Type.Integer(),
  charged: Type.Integer(),
  refunded: Type.Integer(),
  refundedSegments: Type.Integer(),
});
const Statement = Type.Object({
  accountId: Uuid,
  accountName: Type.String(),
  currency: Type.String(),
  month: Type.String(),
  openingBalance: Type.Integer(),
  charges: Type.Integer(),
  refunds: Type.Integer(),
  topUps: Type.Integer(),
  closingBalance: Type.Integer(),
  byType: Type.Array(TypeTotals),
});

const Price = Type.Object({
  id: Uuid,
  prefix: Type.String(),
  route: Nullable(Type.String()),
  perSegment: Type.Integer(),
});

const MonthParams = Type.Object({ id: Uuid, month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }) });

/** SMS accounts, prices, top-ups, balances and monthly statements. */
export function smsAccountRoutes(api: Api, { services, guard }: RouteContext): void {
  const accounts = services.smsAccounts;
  const tags = ['sms-billing'];
  api.get(
    '/sms/balance',
    {
      schema: {
        tags,
        summary: "The caller's own SMS account with what is left to spend",
        response: { 200: Account, ...errors },
      },
      onRequest: guard(STAFF, 'sms:send'),
    },
    async (req) => accounts.own(principal(req)),
  );
  api.get(
    '/sms/accounts',
    {
      schema: { tags, summary: 'List SMS accounts', response: { 200: Type.Array(Account), ...errors } },
      onRequest: guard(ADMIN),
    },
    async () => accounts.list(),
  );
  api.post(
    '/sms/accounts',
    {
      schema: {
        tags,
        summary: 'Create an SMS account (department, user or API client) and link its senders',
        description:
          'billing prepaid: sends spend `balance` (an opening balance is written to the ledger as a top-up); ' +
          'quota: sends spend up to `monthlyQuota` per calendar month (UTC); unbilled: recorded, never refused.',
        body: Type.Object(
          {
            name: Name,
            kind: Kind,
            billing: Billing,
            balance: Type.Optional(Type.Integer({ minimum: 0 })),
            monthlyQuota: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
            currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
            members: Type.Optional(Type.Array(Member, { maxItems: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Account, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => reply.status(201).send(await accounts.create(principal(req), req.body)),
  );
  api.get(
    '/sms/accounts/:id',
    {
      schema: { tags, params: IdParams, response: { 200: Account, ...errors } },
      onRequest: guard(ADMIN),
    },
    async (req) => accounts.get(req.params.id),
  );
  api.patch(
    '/sms/accounts/:id',
    {
      schema: {
        tags,
        summary: 'Change an SMS account: name, kind, billing, quota, linked users and API keys',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            kind: Type.Optional(Kind),
            billing: Type.Optional(Billing),
            monthlyQuota: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
            addMembers: Type.Optional(Type.Array(Member, { maxItems: 1000 })),
            removeMembers: Type.Optional(Type.Array(Member, { maxItems: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Account, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => accounts.update(principal(req), req.params.id, req.body),
  );
  api.post(
    '/sms/accounts/:id/topups',
    {
      schema: {
        tags,
        summary: 'Add prepaid credit (a negative amount corrects one); written to the ledger',
        params: IdParams,
        body: Type.Object(
          { amount: Minor, note: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false },
        ),
        response: { 200: Account, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => accounts.topUp(principal(req), req.params.id, req.body.amount, req.body.note ?? null),
  );
  api.get(
    '/sms/accounts/:id/ledger/:month',
    {
      schema: {
        tags,
        summary: "The account's ledger rows of one month (UTC), oldest first",
        params: MonthParams,
        response: { 200: Type.Array(LedgerEntry), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => accounts.ledger(req.params.id, req.params.month),
  );
  api.get(
    '/sms/accounts/:id/statements/:month',
    {
      schema: {
        tags,
        summary: 'Monthly statement: opening balance, charges, refunds, top-ups, closing, per message type',
        description: 'Calendar month in UTC. `?format=csv` (or `Accept: text/csv`) answers CSV.',
        params: MonthParams,
        querystring: Type.Object({ format: Type.Optional(lit(['json', 'csv'] as const)) }),
        response: { 200: Statement, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      const s = await accounts.statement(req.params.id, req.params.month);
      const csv = req.query.format === 'csv' || (!req.query.format && req.headers.accept === 'text/csv');
      if (!csv) return s;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="sms-${s.accountName}-${s.month}.csv"`)
        .serializer((x: string) => x)
        .send(SmsAccounts.statementCsv(s));
    },
  );
  api.get(
    '/sms/prices',
    {
      schema: { tags, summary: 'The price list', response: { 200: Type.Array(Price), ...errors } },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async () => accounts.prices(),
  );
  api.put(
    '/sms/prices',
    {
      schema: {
        tags,
        summary: 'Set the price per segment for a destination prefix (and optionally a route)',
        description:
          'prefix: leading digits of the E.164 number without "+" ("44", "4477"); "" is the fallback. The longest ' +
          'matching prefix wins; an entry naming the route the message takes beats a general one of the same length.',
        body: Type.Object(
          {
            prefix: Type.String({ pattern: '^\\d{0,15}$' }),
            route: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
            perSegment: Type.Integer({ minimum: 0, description: 'Minor units per segment' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Price, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => accounts.putPrice(principal(req), req.body),
  );
  api.delete(
    '/sms/prices/:id',
    {
      schema: {
        tags,
        summary: 'Remove a price',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      await accounts.deletePrice(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
