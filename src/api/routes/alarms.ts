import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { STAFF } from '../auth.js';
import { DateTime, Nullable, lit } from '../schemas.js';

const Check = Type.Object({ key: Type.String(), ok: Type.Boolean(), detail: Type.String() });

export function alarmRoutes(api: Api, { services, guard }: RouteContext): void {
  api.get(
    '/alarms',
    {
      schema: {
        tags: ['system'],
        summary: 'System alarms: problems going on, recent notices, and the last round of health checks',
        description:
          'The health monitor checks the SMPP bind, a timed database probe, free space on the data disk and ' +
          "each queue's longest wait every alarms.intervalSec. A new problem texts the on-call list once " +
          '(alarm SMS), reminds every alarms.reNotifyMin while it lasts, and sends an all clear when it ends.',
        response: {
          200: Type.Object({
            open: Type.Array(Type.Object({ key: Type.String(), detail: Type.String(), since: DateTime })),
            recent: Type.Array(
              Type.Object({
                kind: lit(['problem', 'reminder', 'clear'] as const),
                key: Type.String(),
                detail: Type.String(),
                text: Type.String({ description: 'The SMS sent to the on-call list' }),
                at: DateTime,
              }),
            ),
            checks: Type.Array(Check),
            lastRunAt: Nullable(DateTime),
          }),
          ...errors,
        },
      },
      onRequest: guard(STAFF, 'events:read'),
    },
    () => services.alarms.view(),
  );
}
