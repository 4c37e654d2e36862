import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { EVERYONE, presentedSecret, principal } from '../auth.js';
import { DateTime, Nullable, Role, Uuid } from '../schemas.js';

export function authRoutes(api: Api, { services, guard }: RouteContext): void {
  api.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; answers a session token',
        security: [],
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 100 }),
            password: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            token: Type.String(),
            expiresAt: DateTime,
            user: Type.Object({ id: Uuid, username: Type.String(), displayName: Type.String(), role: Role }),
          }),
          401: errors[401],
          429: { $ref: 'Error#' },
        },
      },
    },
    async (req) => {
      const r = await services.auth.login(req.body.username, req.body.password, req.ip);
      return { token: r.token, expiresAt: r.expiresAt.toISOString(), user: r.user };
    },
  );

  api.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End this session' }, onRequest: guard(EVERYONE) },
    async (req, reply) => {
      const secret = presentedSecret(req);
      if (secret) await services.auth.logout(secret);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who am I: user, role, agent profile and supervised teams',
        response: {
          200: Type.Object({
            userId: Uuid,
            username: Type.String(),
            role: Role,
            agentId: Nullable(Uuid),
            teamIds: Type.Array(Uuid),
          }),
          401: errors[401],
        },
      },
      onRequest: guard(EVERYONE),
    },
    (req) => {
      const p = principal(req);
      if (p.kind !== 'user') throw new Error('unreachable: guard admits users only');
      return p;
    },
  );
}
