import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { EVERYONE, STAFF, principal } from '../auth.js';
import { DomainError } from '../../domain/errors.js';
import {
  IdParams,
  Interaction,
  InteractionCreate,
  InteractionEvent,
  Nullable,
  Paging,
  Uuid,
} from '../schemas.js';

export function interactionRoutes(api: Api, { services, guard }: RouteContext): void {
  const { interactions, catalog } = services;
  const tags = ['interactions'];
  api.post(
    '/interactions',
    {
      schema: {
        tags,
        summary: 'Create an interaction in a queue (any channel); answers once it is stored and routed',
        description:
          'With `idempotencyKey`, repeating the request answers the first interaction (200) instead of creating another (201). ' +
          'The customer is found by `customerId` or by `from` (a phone number in any spelling).',
        body: InteractionCreate,
        response: { 200: Interaction, 201: Interaction, ...errors },
      },
      onRequest: guard(['admin', 'supervisor'], 'interactions:write'),
    },
    async (req, reply) => {
      const r = await interactions.create(principal(req), req.body);
      return reply.status(r.created ? 201 : 200).send(r.interaction);
    },
  );
  api.get(
    '/interactions',
    {
      schema: {
        tags,
        summary: 'List interactions (agents: their own)',
        querystring: Type.Object({
          customerId: Type.Optional(Uuid),
          agentId: Type.Optional(Uuid),
          queueId: Type.Optional(Uuid),
          status: Type.Optional(Type.String({ maxLength: 20 })),
          ...Paging,
        }),
        response: { 200: Type.Array(Interaction), ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req) =>
      interactions.list(principal(req), {
        ...req.query,
        limit: req.query.limit ?? 50,
        offset: req.query.offset ?? 0,
      }),
  );
  api.get(
    '/interactions/:id',
    {
      schema: { tags, params: IdParams, response: { 200: Interaction, ...errors } },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req) => interactions.get(principal(req), req.params.id),
  );
  api.get(
    '/interactions/:id/events',
    {
      schema: {
        tags,
        summary: 'Every step of the interaction, in order',
        params: IdParams,
        response: { 200: Type.Array(InteractionEvent), ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req) => interactions.events(principal(req), req.params.id),
  );
  api.post(
    '/interactions/:id/complete',
    {
      schema: {
        tags,
        summary: 'End the handling (wrap-up follows)',
        params: IdParams,
        response: { 200: Interaction, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => {
      const p = principal(req);
      await requireHandling(p, req.params.id);
      return interactions.complete(p, req.params.id);
    },
  );
  api.post(
    '/interactions/:id/wrap-up',
    {
      schema: {
        tags,
        summary: 'Set the wrap-up code and notes; ends wrap-up',
        params: IdParams,
        body: Type.Object(
          {
            code: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 50 }))),
            notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
          },
          { additionalProperties: false },
        ),
        response: { 200: Interaction, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => {
      const p = principal(req);
      await requireHandling(p, req.params.id);
      return interactions.wrapUp(p, req.params.id, req.body.code ?? null, req.body.notes ?? null, (code) =>
        catalog.requireReason('wrap_up', code),
      );
    },
  );
  api.post(
    '/interactions/:id/abandon',
    {
      schema: {
        tags,
        summary: 'The customer left while waiting (counts as abandoned)',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(STAFF, 'interactions:write'),
    },
    async (req, reply) => {
      await interactions.abandon(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  api.post(
    '/interactions/:id/move',
    {
      schema: {
        tags,
        summary: 'Move a waiting interaction to another queue (keeps its arrival time)',
        params: IdParams,
        body: Type.Object({ queueId: Uuid }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(STAFF),
    },
    async (req, reply) => {
      await interactions.move(principal(req), req.params.id, req.body.queueId);
      return reply.status(204).send(null);
    },
  );
  api.post(
    '/interactions/:id/priority',
    {
      schema: {
        tags,
        summary: 'Change the priority of a waiting interaction',
        params: IdParams,
        body: Type.Object(
          { priority: Type.Integer({ minimum: 0, maximum: 100 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(STAFF),
    },
    async (req, reply) => {
      await interactions.setPriority(principal(req), req.params.id, req.body.priority);
      return reply.status(204).send(null);
    },
  );

  /** Agents act only on interactions they handle; supervisors on their teams' agents' work. */
  async function requireHandling(p: ReturnType<typeof principal>, id: string): Promise<void> {
    const i = await interactions.get(p, id);
    if (p.kind !== 'user' || p.role === 'admin') return;
    if (p.role === 'agent' && i.agentId === p.agentId) return;
    if (p.role === 'supervisor' && i.agentId) {
      const agent = await services.agents.get(i.agentId);
      if (agent.teamId && p.teamIds.includes(agent.teamId)) return;
    }
    throw new DomainError('AUTH_FORBIDDEN', 'Only the handling agent or their supervisor can do this.');
  }
}
