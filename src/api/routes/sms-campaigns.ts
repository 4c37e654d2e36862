import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { STAFF, principal } from '../auth.js';
import { DateTime, IdParams, Name, Nullable, Paging, Uuid, lit } from '../schemas.js';
import { Sms } from './sms.js';
import { SMS_STATUSES, SMS_TYPES } from '../../domain/sms/index.js';
import { CAMPAIGN_STATES } from '../../domain/sms/campaign.js';

/** Bulk and campaign bodies are large: a 100,000-recipient list is several megabytes. */
const BULK_BODY_LIMIT = 64 * 1024 * 1024;
const MAX_RECIPIENTS = 200_000;

const Recipient = Type.Object(
  {
    to: Type.String({ maxLength: 40, description: 'Phone number in any spelling' }),
    variables: Type.Optional(
      Type.Record(Type.String(), Type.String({ maxLength: 1000 }), {
        description: 'Values for the template placeholders {{name}}',
      }),
    ),
  },
  { additionalProperties: false },
);

const Template = Type.String({
  minLength: 1,
  maxLength: 40000,
  description: 'Text with {{variable}} placeholders, filled per recipient',
});
const Encoding = lit(['auto', 'gsm7', 'ucs2'] as const);
const Sender = Type.String({ minLength: 1, maxLength: 20, description: 'Default: sms.defaultSender' });

const AccountId = Type.String({
  format: 'uuid',
  description:
    "SMS account to bill (users only); default: the caller's own account, else the unbilled internal one",
});

const RecipientError = Type.Object({
  index: Type.Integer({ description: 'Position in the request (CSV: data row, 0 = first after the header)' }),
  to: Type.String(),
  code: Type.String(),
  message: Type.String(),
});

const BulkBody = Type.Object(
  {
    template: Template,
    recipients: Type.Array(Recipient, { minItems: 1, maxItems: MAX_RECIPIENTS }),
    type: Type.Optional(lit(SMS_TYPES)),
    from: Type.Optional(Sender),
    encoding: Type.Optional(Encoding),
    accountId: Type.Optional(AccountId),
  },
  { additionalProperties: false },
);

const CampaignType = lit(['marketing', 'notification'] as const);
const Throttle = Type.Integer({
  minimum: 1,
  maximum: 10000,
  description: 'Messages per second for this campaign; absent = as fast as the SMSC bind allows',
});

const CampaignFields = {
  name: Name,
  template: Template,
  type: Type.Optional(CampaignType),
  from: Type.Optional(Sender),
  encoding: Type.Optional(Encoding),
  throttlePerSec: Type.Optional(Throttle),
  start: Type.Optional(Type.Boolean({ description: 'Start at once instead of staying a draft' })),
  accountId: Type.Optional(AccountId),
};

const CampaignBody = Type.Object(
  {
    ...CampaignFields,
    audience: Type.Union([
      Type.Object(
        { recipients: Type.Array(Recipient, { minItems: 1, maxItems: MAX_RECIPIENTS }) },
        { additionalProperties: false },
      ),
      Type.Object(
        { tag: Type.String({ minLength: 1, maxLength: 100, description: 'Customers with this tag' }) },
        { additionalProperties: false },
      ),
    ]),
  },
  { additionalProperties: false },
);

const Progress = Type.Object({
  total: Type.Integer(),
  queued: Type.Integer(),
  submitted: Type.Integer(),
  delivered: Type.Integer(),
  failed: Type.Integer({ description: 'failed, expired or rejected' }),
  uncertain: Type.Integer({ description: 'may or may not have reached the SMSC; never resent' }),
  cancelled: Type.Integer(),
});

const Campaign = Type.Object({
  id: Uuid,
  name: Type.String(),
  template: Type.String(),
  type: Type.String(),
  sender: Type.String(),
  encoding: Type.String(),
  throttlePerSec: Nullable(Type.Integer()),
  state: lit(CAMPAIGN_STATES),
  audience: Type.Record(Type.String(), Type.Unknown()),
  total: Type.Integer({ description: 'Messages created (recipients accepted)' }),
  rejected: Type.Integer({ description: 'Recipients refused at creation' }),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  startedAt: Nullable(DateTime),
  finishedAt: Nullable(DateTime),
});
const CampaignView = Type.Composite([Campaign, Type.Object({ progress: Progress })]);
const Created = Type.Object({ campaign: CampaignView, rejected: Type.Array(RecipientError) });

export function smsCampaignRoutes(api: Api, { services, guard }: RouteContext): void {
  const { smsBulk, smsCampaigns } = services;
  const tags = ['sms'];
  api.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: BULK_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );

  api.post(
    '/sms/bulk',
    {
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Send one template to many recipients; answers once every accepted message is stored',
        description:
          'Each recipient is checked on its own: an invalid number, a missing variable, a text too long or a ' +
          'number listed twice is reported in `rejected` (with its index) and the others are stored, all in one ' +
          'transaction, as queued messages. Billing is per message, in request order, like single sends: the ' +
          "recipients the account's balance or quota covers are charged and stored, the rest are rejected with " +
          'SMS_BALANCE_INSUFFICIENT / SMS_QUOTA_EXCEEDED (402 for the whole request when not even the first is ' +
          'covered; nothing is stored then). Marketing to a number that opted out is rejected with ' +
          'SMS_RECIPIENT_OPTED_OUT; a billed account sending to an unpriced destination with ' +
          'SMS_DESTINATION_NOT_PRICED.',
        body: BulkBody,
        response: {
          200: Type.Object({ accepted: Type.Integer(), rejected: Type.Array(RecipientError) }),
          ...errors,
        },
      },
      onRequest: guard(STAFF, 'sms:send'),
    },
    async (req) => smsBulk.send(principal(req), req.body),
  );

  api.post(
    '/sms/campaigns',
    {
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Create a campaign (a draft unless `start`) from a recipient list or a customer tag',
        description:
          'All its messages are stored queued with the campaign at once; they go out only while the campaign ' +
          'runs, at most `throttlePerSec` a second, behind alarms and one-time passwords. For a CSV upload see ' +
          '`POST /api/sms/campaigns/csv`. Charged at creation like a bulk send (per message, in order; refunds ' +
          'when a message is rejected); opted-out numbers of a marketing campaign are left out and reported.',
        body: CampaignBody,
        response: { 201: Created, ...errors },
      },
      onRequest: guard(STAFF, 'sms:send'),
    },
    async (req, reply) => {
      const { audience, ...rest } = req.body;
      const r = await smsCampaigns.create(principal(req), {
        ...rest,
        audience: 'tag' in audience ? { kind: 'tag', tag: audience.tag } : { kind: 'list', ...audience },
      });
      return reply.status(201).send(r);
    },
  );

  api.post(
    '/sms/campaigns/csv',
    {
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Create a campaign from a CSV upload (Content-Type: text/csv)',
        description:
          'The first row names the columns: one of phone, to, number, msisdn or mobile holds the number, every ' +
          'other column is a template variable. The campaign settings are query parameters.',
        querystring: Type.Object(CampaignFields, { additionalProperties: false }),
        body: Type.String({ description: 'CSV text' }),
        response: { 201: Created, ...errors },
      },
      onRequest: guard(STAFF, 'sms:send'),
    },
    async (req, reply) => {
      const r = await smsCampaigns.create(principal(req), {
        ...req.query,
        audience: { kind: 'csv', csv: req.body },
      });
      return reply.status(201).send(r);
    },
  );

  api.get(
    '/sms/campaigns',
    {
      schema: {
        tags,
        summary: 'Campaigns, newest first',
        querystring: Type.Object({ state: Type.Optional(lit(CAMPAIGN_STATES)), ...Paging }),
        response: { 200: Type.Array(Campaign), ...errors },
      },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async (req) =>
      smsCampaigns.list({ ...req.query, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }),
  );

  api.get(
    '/sms/campaigns/:id',
    {
      schema: {
        tags,
        summary: 'A campaign with its live progress (also published as sms.campaign.progress events)',
        params: IdParams,
        response: { 200: CampaignView, ...errors },
      },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async (req) => smsCampaigns.get(req.params.id),
  );

  api.get(
    '/sms/campaigns/:id/messages',
    {
      schema: {
        tags,
        summary: "A campaign's messages and how each went",
        params: IdParams,
        querystring: Type.Object({ status: Type.Optional(lit(SMS_STATUSES)), ...Paging }),
        response: { 200: Type.Array(Sms), ...errors },
      },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async (req) =>
      smsCampaigns.messages(req.params.id, {
        ...req.query,
        limit: req.query.limit ?? 50,
        offset: req.query.offset ?? 0,
      }),
  );

  for (const action of ['start', 'pause', 'resume', 'cancel'] as const) {
    api.post(
      `/sms/campaigns/:id/${action}`,
      {
        schema: {
          tags,
          summary: {
            start: 'Start a draft campaign',
            pause: 'Pause: no new message of it is submitted; nothing is lost',
            resume: 'Resume a paused campaign where it stopped',
            cancel: 'Cancel: messages not yet submitted become cancelled',
          }[action],
          params: IdParams,
          response: { 200: CampaignView, ...errors },
        },
        onRequest: guard(STAFF, 'sms:send'),
      },
      async (req) => smsCampaigns.act(principal(req), req.params.id, action),
    );
  }
}
