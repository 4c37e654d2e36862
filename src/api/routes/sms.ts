import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { STAFF, principal } from '../auth.js';
import { DateTime, IdParams, Nullable, Paging, Uuid, lit } from '../schemas.js';
import { SMS_STATUSES, SMS_TYPES } from '../../domain/sms/index.js';

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
  },
  { additionalProperties: false },
);

const Sms = Type.Object({
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
  }),
]);

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
      const r = await sms.send(principal(req), req.body);
      return reply.status(r.created ? 201 : 200).send(r.message);
    },
  );
  api.get(
    '/sms',
    {
      schema: {
        tags,
        summary: 'Search sent messages, newest first',
        querystring: Type.Object({
          status: Type.Optional(lit(SMS_STATUSES)),
          to: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          ...Paging,
        }),
        response: { 200: Type.Array(Sms), ...errors },
      },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async (req) => sms.search({ ...req.query, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }),
  );
  api.get(
    '/sms/:id',
    {
      schema: {
        tags,
        summary: 'One message with its segments and every step it went through',
        params: IdParams,
        response: { 200: SmsDetail, ...errors },
      },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async (req) => sms.get(req.params.id),
  );
}
