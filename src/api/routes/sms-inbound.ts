// Inbound SMS and what it drives: received messages, opt-outs, SMS replies on interactions,
// work orders (field dispatch), subscription topics, and the webhook delivery log.
import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { ADMIN, EVERYONE, STAFF, principal } from '../auth.js';
import { DateTime, IdParams, Name, Nullable, Paging, Uuid, lit } from '../schemas.js';

const Phone = Type.String({ minLength: 1, maxLength: 40, description: 'Phone number in any spelling' });

const InboundSms = Type.Object({
  id: Uuid,
  sender: Type.String({ description: 'E.164 when the originator is a number' }),
  recipient: Type.String({ description: 'The number or short code it was sent to' }),
  body: Type.String(),
  parts: Type.Integer(),
  route: Type.String({ description: 'The SMSC bind (system_id) it came through' }),
  customerId: Nullable(Uuid),
  intent: lit(['opt_out', 'opt_in', 'subscribe', 'unsubscribe', 'work_order', 'conversation'] as const),
  outcome: Type.Record(Type.String(), Type.Unknown(), {
    description: 'What it did (interaction, work order, topic, reply SMS); empty while it is being handled',
  }),
  receivedAt: DateTime,
});

const OptOut = Type.Object({
  phone: Type.String(),
  at: DateTime,
  source: Type.String(),
  keyword: Nullable(Type.String()),
});

const WorkOrderState = lit(['sent', 'acknowledged', 'done'] as const);
const WorkOrder = Type.Object({
  id: Uuid,
  reference: Type.Integer({ description: 'The short number technicians quote: "OK 4711"' }),
  title: Type.String(),
  address: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  technicianPhone: Type.String(),
  state: WorkOrderState,
  customerId: Nullable(Uuid),
  interactionId: Nullable(Uuid),
  smsId: Nullable(Uuid),
  doneNote: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  acknowledgedAt: Nullable(DateTime),
  doneAt: Nullable(DateTime),
});
const WorkOrderDetail = Type.Composite([
  WorkOrder,
  Type.Object({
    events: Type.Array(
      Type.Object({
        at: DateTime,
        type: Type.String(),
        details: Nullable(Type.Record(Type.String(), Type.Unknown())),
      }),
    ),
  }),
]);

const Schedule = Type.Object(
  {
    at: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Local time of day, HH:MM' }),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, e.g. Asia/Shanghai' }),
    body: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false, description: 'A daily send to all subscribers' },
);
const TopicType = lit(['marketing', 'notification'] as const);
const Topic = Type.Object({
  id: Uuid,
  name: Type.String(),
  keyword: Type.String(),
  description: Type.String(),
  type: TopicType,
  schedule: Nullable(Schedule),
  lastScheduledAt: Nullable(DateTime),
  createdAt: DateTime,
});
const Subscription = Type.Object({
  topicId: Uuid,
  phone: Type.String(),
  source: Type.String(),
  createdAt: DateTime,
});

const WebhookDelivery = Type.Object({
  id: Uuid,
  eventType: Type.String(),
  url: Type.String(),
  status: lit(['pending', 'delivered', 'failed'] as const),
  attempts: Type.Integer(),
  nextAttemptAt: DateTime,
  lastError: Nullable(Type.String()),
  createdAt: DateTime,
  deliveredAt: Nullable(DateTime),
});

const SentSms = Type.Object({
  id: Uuid,
  recipient: Type.String(),
  status: Type.String(),
  type: Type.String(),
});

export function smsInboundRoutes(api: Api, { services, guard }: RouteContext): void {
  const { inbound, optOuts, topics, workOrders, conversations, webhooks } = services.smsMo;
  const paging = (q: { limit?: number; offset?: number }) => ({
    limit: q.limit ?? 50,
    offset: q.offset ?? 0,
  });

  api.get(
    '/sms/inbound',
    {
      schema: {
        tags: ['sms'],
        summary: 'Received (mobile-originated) messages, newest first',
        querystring: Type.Object({ from: Type.Optional(Phone), ...Paging }),
        response: { 200: Type.Array(InboundSms), ...errors },
      },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async (req) =>
      inbound.list({ ...(req.query.from ? { from: req.query.from } : {}), ...paging(req.query) }),
  );
  api.get(
    '/sms/inbound/:id',
    {
      schema: {
        tags: ['sms'],
        summary: 'One received message with what it did (outcome)',
        params: IdParams,
        response: { 200: InboundSms, ...errors },
      },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async (req) => inbound.get(req.params.id),
  );

  api.get(
    '/sms/opt-outs',
    {
      schema: {
        tags: ['sms'],
        summary: 'Numbers opted out of marketing, newest first',
        querystring: Type.Object({ ...Paging }),
        response: { 200: Type.Array(OptOut), ...errors },
      },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async (req) => optOuts.list(paging(req.query)),
  );
  api.post(
    '/sms/opt-outs',
    {
      schema: {
        tags: ['sms'],
        summary: 'Opt a number out of marketing (as if it had sent STOP)',
        body: Type.Object({ phone: Phone }, { additionalProperties: false }),
        response: { 201: OptOut, ...errors },
      },
      onRequest: guard(STAFF, 'sms:send'),
    },
    async (req, reply) => reply.status(201).send(await optOuts.optOut(req.body.phone, 'api')),
  );
  api.delete(
    '/sms/opt-outs/:phone',
    {
      schema: {
        tags: ['sms'],
        summary: 'Take back an opt-out (the customer asked for marketing again)',
        params: Type.Object({ phone: Phone }),
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(STAFF, 'sms:send'),
    },
    async (req, reply) => {
      await optOuts.optIn(req.params.phone);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/interactions/:id/sms',
    {
      schema: {
        tags: ['interactions'],
        summary: 'Answer an SMS conversation: sends an SMS to the customer and records it on the interaction',
        params: IdParams,
        body: Type.Object(
          { body: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 201: SentSms, ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:write'),
    },
    async (req, reply) =>
      reply.status(201).send(await conversations.reply(principal(req), req.params.id, req.body.body)),
  );

  api.post(
    '/work-orders',
    {
      schema: {
        tags: ['work-orders'],
        summary: 'Create a work order and send it to the technician by SMS (type dispatch)',
        description:
          'The technician answers "OK <reference>" (acknowledged) and "DONE <reference> <note>" (done); each ' +
          'change is a `work_order.updated` event to staff and to the agent of the linked interaction.',
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 200 }),
            technicianPhone: Phone,
            address: Type.Optional(Type.String({ maxLength: 300 })),
            notes: Type.Optional(Type.String({ maxLength: 500 })),
            customerId: Type.Optional(Uuid),
            interactionId: Type.Optional(Uuid),
          },
          { additionalProperties: false },
        ),
        response: { 201: WorkOrderDetail, ...errors },
      },
      onRequest: guard(EVERYONE, 'sms:send'),
    },
    async (req, reply) => reply.status(201).send(await workOrders.create(principal(req), req.body)),
  );
  api.get(
    '/work-orders',
    {
      schema: {
        tags: ['work-orders'],
        summary: 'Work orders, newest first',
        querystring: Type.Object({ state: Type.Optional(WorkOrderState), ...Paging }),
        response: { 200: Type.Array(WorkOrder), ...errors },
      },
      onRequest: guard(EVERYONE, 'sms:read'),
    },
    async (req) =>
      workOrders.list({ ...(req.query.state ? { state: req.query.state } : {}), ...paging(req.query) }),
  );
  api.get(
    '/work-orders/:id',
    {
      schema: {
        tags: ['work-orders'],
        summary: 'One work order with its history (sent, acknowledged, done, refused replies)',
        params: IdParams,
        response: { 200: WorkOrderDetail, ...errors },
      },
      onRequest: guard(EVERYONE, 'sms:read'),
    },
    async (req) => workOrders.get(req.params.id),
  );

  api.post(
    '/sms/topics',
    {
      schema: {
        tags: ['sms'],
        summary: 'Create a subscription topic; texting its keyword (or "SUB <keyword>") subscribes',
        body: Type.Object(
          {
            name: Name,
            keyword: Type.String({ minLength: 1, maxLength: 30 }),
            description: Type.Optional(Type.String({ maxLength: 500 })),
            type: Type.Optional(TopicType),
            schedule: Type.Optional(Nullable(Schedule)),
          },
          { additionalProperties: false },
        ),
        response: { 201: Topic, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => reply.status(201).send(await topics.create(principal(req), req.body)),
  );
  api.get(
    '/sms/topics',
    {
      schema: {
        tags: ['sms'],
        summary: 'Subscription topics',
        response: { 200: Type.Array(Topic), ...errors },
      },
      onRequest: guard(EVERYONE, 'sms:read'),
    },
    async () => topics.list(),
  );
  api.patch(
    '/sms/topics/:id',
    {
      schema: {
        tags: ['sms'],
        summary: 'Change a topic: description, type, or its daily schedule (null removes it)',
        description:
          'A schedule sends `body` to all subscribers once a day at `at` in `timeZone`; a send missed while ' +
          'the service was down is made within the hour after, not later.',
        params: IdParams,
        body: Type.Object(
          {
            description: Type.Optional(Type.String({ maxLength: 500 })),
            type: Type.Optional(TopicType),
            schedule: Type.Optional(Nullable(Schedule)),
          },
          { additionalProperties: false },
        ),
        response: { 200: Topic, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => topics.update(principal(req), req.params.id, req.body),
  );
  api.delete(
    '/sms/topics/:id',
    {
      schema: {
        tags: ['sms'],
        summary: 'Delete a topic and its subscriptions',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      await topics.remove(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  api.get(
    '/sms/topics/:id/subscribers',
    {
      schema: {
        tags: ['sms'],
        summary: 'Current subscribers of a topic',
        params: IdParams,
        response: { 200: Type.Array(Subscription), ...errors },
      },
      onRequest: guard(STAFF, 'sms:read'),
    },
    async (req) => topics.subscribers(req.params.id),
  );
  api.post(
    '/sms/topics/:id/subscribers',
    {
      schema: {
        tags: ['sms'],
        summary: 'Subscribe a number (an agent for a customer, or a system by API key)',
        params: IdParams,
        body: Type.Object({ phone: Phone }, { additionalProperties: false }),
        response: { 200: Subscription, 201: Subscription, ...errors },
      },
      onRequest: guard(EVERYONE, 'sms:send'),
    },
    async (req, reply) => {
      const p = principal(req);
      const source = p.kind === 'user' ? `agent:${p.username}` : `api:${p.name}`;
      const r = await topics.subscribe(req.params.id, req.body.phone, source);
      return reply.status(r.created ? 201 : 200).send(r.subscription);
    },
  );
  api.delete(
    '/sms/topics/:id/subscribers/:phone',
    {
      schema: {
        tags: ['sms'],
        summary: 'Unsubscribe a number',
        params: Type.Object({ id: Uuid, phone: Phone }),
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(EVERYONE, 'sms:send'),
    },
    async (req, reply) => {
      await topics.unsubscribe(req.params.id, req.params.phone);
      return reply.status(204).send(null);
    },
  );
  api.post(
    '/sms/topics/:id/send',
    {
      schema: {
        tags: ['sms'],
        summary:
          "Send a message to every current subscriber (the topic's type; marketing skips opted-out numbers)",
        params: IdParams,
        body: Type.Object(
          { body: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            sendId: Uuid,
            queued: Type.Integer(),
            suppressed: Type.Integer({ description: 'Subscribers skipped because they opted out' }),
            messageIds: Type.Array(Uuid),
          }),
          ...errors,
        },
      },
      onRequest: guard(STAFF, 'sms:send'),
    },
    async (req, reply) =>
      reply.status(201).send(await topics.send(principal(req), req.params.id, req.body.body)),
  );

  api.get(
    '/sms/webhook-deliveries',
    {
      schema: {
        tags: ['sms'],
        summary: 'Webhook pushes (pending, delivered, failed), newest first',
        querystring: Type.Object({
          status: Type.Optional(lit(['pending', 'delivered', 'failed'] as const)),
          ...Paging,
        }),
        response: { 200: Type.Array(WebhookDelivery), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) =>
      webhooks.list({ ...(req.query.status ? { status: req.query.status } : {}), ...paging(req.query) }),
  );
}
