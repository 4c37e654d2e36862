// Per-client webhooks: an SMS account (an API client, a department) gets the receipts of its own
// messages at its own URL, signed with its own secret; the global webhook stays the default.
import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { ADMIN, STAFF, principal } from '../auth.js';
import { DateTime, IdParams, Uuid } from '../schemas.js';
import { DomainError } from '../../domain/errors.js';

const Body = Type.Object(
  { url: Type.String({ pattern: '^https?://', maxLength: 2000, description: 'Where receipts are POSTed' }) },
  { additionalProperties: false },
);
const Fields = { accountId: Uuid, url: Type.String(), createdAt: DateTime, updatedAt: DateTime };
const Hook = Type.Object(Fields);
const HookWithSecret = Type.Object({
  ...Fields,
  secret: Type.String({
    description: 'HMAC-SHA256 key of X-Hotline-Signature; shown only now (set again to rotate it)',
  }),
});

export function smsWebhookRoutes(api: Api, { services, guard }: RouteContext): void {
  const { smsMo, smsAccounts } = services;
  const webhooks = smsMo.webhooks;
  const tags = ['sms'];
  const description =
    "Receipts (sms.updated) of the account's messages are pushed there instead of to the global webhook, " +
    'signed with this secret, retried and kept in /api/sms/webhook-deliveries like every push. MO ' +
    '(sms.received) stays on the global webhook.';

  const shown = (accountId: string) => {
    const h = webhooks.clientWebhook(accountId);
    if (!h) throw new DomainError('NOT_FOUND', 'This account has no webhook of its own.');
    return h;
  };

  // The caller's own account (an API key's).
  api.put(
    '/sms/webhook',
    {
      schema: {
        tags,
        summary: "Set the caller's own webhook for receipts (answers the new secret once)",
        description,
        body: Body,
        response: { 200: HookWithSecret, ...errors },
      },
      onRequest: guard(STAFF, 'sms:send'),
    },
    async (req) => webhooks.setClientWebhook((await smsAccounts.own(principal(req))).id, req.body.url),
  );
  api.get(
    '/sms/webhook',
    {
      schema: {
        tags,
        summary: "The caller's own webhook (without the secret)",
        response: { 200: Hook, ...errors },
      },
      onRequest: guard(STAFF, 'sms:send'),
    },
    async (req) => shown((await smsAccounts.own(principal(req))).id),
  );
  api.delete(
    '/sms/webhook',
    {
      schema: { tags, summary: "Remove the caller's own webhook (receipts go to the global one again)" },
      onRequest: guard(STAFF, 'sms:send'),
    },
    async (req, reply) => {
      await webhooks.removeClientWebhook((await smsAccounts.own(principal(req))).id);
      return reply.status(204).send();
    },
  );

  // Any account, by an administrator.
  api.put(
    '/sms/accounts/:id/webhook',
    {
      schema: {
        tags,
        summary: "Set an account's own webhook for receipts (answers the new secret once)",
        description,
        params: IdParams,
        body: Body,
        response: { 200: HookWithSecret, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => {
      await smsAccounts.get(req.params.id);
      return webhooks.setClientWebhook(req.params.id, req.body.url);
    },
  );
  api.get(
    '/sms/accounts/:id/webhook',
    {
      schema: {
        tags,
        summary: "An account's own webhook (without the secret)",
        params: IdParams,
        response: { 200: Hook, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    (req) => Promise.resolve(shown(req.params.id)),
  );
  api.delete(
    '/sms/accounts/:id/webhook',
    {
      schema: { tags, summary: "Remove an account's own webhook", params: IdParams },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      if (!(await webhooks.removeClientWebhook(req.params.id))) shown(req.params.id);
      return reply.status(204).send();
    },
  );
}
