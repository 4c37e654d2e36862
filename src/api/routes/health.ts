import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';

export function healthRoutes(api: Api, { services }: RouteContext): void {
  api.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Health of the server and its parts (database; later SIP and SMPP)',
        security: [],
        response: {
          200: Type.Object({
            status: Type.String(),
            parts: Type.Record(
              Type.String(),
              Type.Object({
                status: Type.String(),
                detail: Type.Optional(Type.String()),
                latencyMs: Type.Optional(Type.Number()),
                routes: Type.Optional(
                  Type.Array(
                    Type.Object({
                      name: Type.String(),
                      driver: Type.String(),
                      up: Type.Boolean(),
                      detail: Type.String(),
                    }),
                  ),
                ),
              }),
            ),
          }),
        },
      },
    },
    async () => services.health(),
  );
}
