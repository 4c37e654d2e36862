import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { ADMIN, principal } from '../auth.js';
import { DateTime, IdParams, Name, Nullable, Role, User, Uuid } from '../schemas.js';
import { SCOPES } from '../../services/auth/principal.js';

const Password = Type.String({ minLength: 8, maxLength: 200 });
const ApiKey = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: DateTime,
  revokedAt: Nullable(DateTime),
  ratePerSecond: Nullable(Type.Integer()),
  ratePerMinute: Nullable(Type.Integer()),
});

const RateLimits = {
  ratePerSecond: Type.Optional(
    Nullable(
      Type.Integer({ minimum: 1, maximum: 100000, description: 'Requests per second; null = no limit' }),
    ),
  ),
  ratePerMinute: Type.Optional(
    Nullable(
      Type.Integer({ minimum: 1, maximum: 6000000, description: 'Requests per minute; null = no limit' }),
    ),
  ),
};

export function userRoutes(api: Api, { services, guard }: RouteContext): void {
  const tags = ['users'];
  api.get(
    '/users',
    {
      schema: { tags, summary: 'List users', response: { 200: Type.Array(User), ...errors } },
      onRequest: guard(ADMIN),
    },
    async () => services.users.list(),
  );
  api.post(
    '/users',
    {
      schema: {
        tags,
        summary: 'Create a user (admin, supervisor or agent)',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._@-]+$' }),
            displayName: Name,
            role: Role,
            password: Password,
          },
          { additionalProperties: false },
        ),
        response: { 201: User, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => reply.status(201).send(await services.users.create(principal(req), req.body)),
  );
  api.get(
    '/users/:id',
    { schema: { tags, params: IdParams, response: { 200: User, ...errors } }, onRequest: guard(ADMIN) },
    async (req) => services.users.get(req.params.id),
  );
  api.patch(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Change a user: name, role, password, or disable (ends their sessions)',
        params: IdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(Name),
            role: Type.Optional(Role),
            password: Type.Optional(Password),
            disabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: User, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => services.users.update(principal(req), req.params.id, req.body),
  );

  api.get(
    '/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'List API keys (secrets are never shown again)',
        response: { 200: Type.Array(ApiKey), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async () => services.store.apiKeys.list(),
  );
  api.post(
    '/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key for a third-party system; the secret is in this answer only',
        description:
          'Optional ratePerSecond / ratePerMinute limit the key (in memory, per process); over a limit the API ' +
          'answers 429 API_KEY_RATE_LIMITED with Retry-After.',
        body: Type.Object(
          {
            name: Name,
            scopes: Type.Array(Type.Union(SCOPES.map((s) => Type.Literal(s))), { minItems: 1 }),
            ...RateLimits,
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Composite([ApiKey, Type.Object({ secret: Type.String() })]), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      const { key, secret } = await services.auth.createApiKey(
        principal(req),
        req.body.name,
        req.body.scopes,
        { ratePerSecond: req.body.ratePerSecond ?? null, ratePerMinute: req.body.ratePerMinute ?? null },
      );
      return reply.status(201).send({ ...key, secret });
    },
  );
  api.patch(
    '/api-keys/:id',
    {
      schema: {
        tags: ['api-keys'],
        summary: "Change an API key's request limits (null removes a limit)",
        params: IdParams,
        body: Type.Object(RateLimits, { additionalProperties: false }),
        response: { 200: ApiKey, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => {
      const current = (await services.store.apiKeys.byId(req.params.id)) ?? null;
      return services.auth.setApiKeyLimits(principal(req), req.params.id, {
        ratePerSecond:
          req.body.ratePerSecond === undefined ? (current?.ratePerSecond ?? null) : req.body.ratePerSecond,
        ratePerMinute:
          req.body.ratePerMinute === undefined ? (current?.ratePerMinute ?? null) : req.body.ratePerMinute,
      });
    },
  );
  api.delete(
    '/api-keys/:id',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      await services.auth.revokeApiKey(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
