import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { EVERYONE, STAFF, principal } from '../auth.js';
import { Customer, CustomerInput, IdParams, Interaction, Paging } from '../schemas.js';
import { DomainError } from '../../domain/errors.js';

export function customerRoutes(api: Api, { services, guard }: RouteContext): void {
  const { customers } = services;
  const tags = ['customers'];
  api.get(
    '/customers',
    {
      schema: {
        tags,
        summary: 'Search customers by name or number, tag, VIP or blacklist',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          tag: Type.Optional(Type.String({ maxLength: 50 })),
          vip: Type.Optional(Type.Boolean()),
          blacklisted: Type.Optional(Type.Boolean()),
          ...Paging,
        }),
        response: { 200: Type.Array(Customer), ...errors },
      },
      onRequest: guard(EVERYONE, 'customers:read'),
    },
    async (req) =>
      customers.search({ ...req.query, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }),
  );
  api.get(
    '/customers/lookup',
    {
      schema: {
        tags,
        summary: 'The customer owning a phone number (any spelling; normalised to E.164)',
        querystring: Type.Object({ number: Type.String({ minLength: 1, maxLength: 40 }) }),
        response: { 200: Customer, ...errors },
      },
      onRequest: guard(EVERYONE, 'customers:read'),
    },
    async (req) => {
      const c = await customers.byNumber(req.query.number);
      if (!c) throw new DomainError('CUSTOMER_NOT_FOUND', 'No customer has this number.');
      return c;
    },
  );
  api.post(
    '/customers',
    {
      schema: { tags, body: CustomerInput, response: { 201: Customer, ...errors } },
      onRequest: guard(EVERYONE, 'customers:write'),
    },
    async (req, reply) => reply.status(201).send(await customers.create(principal(req), req.body)),
  );
  api.get(
    '/customers/:id',
    {
      schema: { tags, params: IdParams, response: { 200: Customer, ...errors } },
      onRequest: guard(EVERYONE, 'customers:read'),
    },
    async (req) => customers.get(req.params.id),
  );
  api.patch(
    '/customers/:id',
    {
      schema: {
        tags,
        params: IdParams,
        body: Type.Partial(CustomerInput),
        response: { 200: Customer, ...errors },
      },
      onRequest: guard(EVERYONE, 'customers:write'),
    },
    async (req) => customers.update(principal(req), req.params.id, req.body),
  );
  api.delete(
    '/customers/:id',
    {
      schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errors } },
      onRequest: guard(STAFF),
    },
    async (req, reply) => {
      await customers.remove(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  api.get(
    '/customers/:id/interactions',
    {
      schema: {
        tags,
        summary: "The customer's history across channels, newest first",
        params: IdParams,
        querystring: Type.Object(Paging),
        response: { 200: Type.Array(Interaction), ...errors },
      },
      onRequest: guard(EVERYONE, 'customers:read'),
    },
    async (req) => {
      await customers.get(req.params.id);
      return services.interactions.list(principal(req), {
        customerId: req.params.id,
        limit: req.query.limit ?? 50,
        offset: req.query.offset ?? 0,
      });
    },
  );
}
