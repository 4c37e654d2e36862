import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { ADMIN } from '../auth.js';
import { DateTime, Nullable } from '../schemas.js';

export function auditRoutes(api: Api, { services, guard }: RouteContext): void {
  api.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Who changed what: configuration, forced states, logins (newest first)',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
          action: Type.Optional(Type.String({ maxLength: 100 })),
          actorId: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.Integer(),
              at: DateTime,
              actorType: Type.String(),
              actorId: Nullable(Type.String()),
              actorName: Nullable(Type.String()),
              action: Type.String(),
              targetType: Nullable(Type.String()),
              targetId: Nullable(Type.String()),
              details: Nullable(Type.Record(Type.String(), Type.Unknown())),
              ip: Nullable(Type.String()),
            }),
          ),
          ...errors,
        },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => services.store.audit.list({ ...req.query, limit: req.query.limit ?? 100 }),
  );
}
