import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { STAFF } from '../auth.js';
import { DateTime, Nullable } from '../schemas.js';

const Counts = Type.Object({
  accepted: Type.Number({ description: 'Messages taken into the outbox' }),
  submitted: Type.Number({ description: 'Segments the SMSC (or Kannel) accepted' }),
  delivered: Type.Number(),
  failed: Type.Number({ description: 'Segments refused at submit or with a failed receipt' }),
  retried: Type.Number({ description: 'Submits put back to wait (throttled, no route up)' }),
  uncertain: Type.Number({ description: 'Submits without an answer (never resent)' }),
  failover: Type.Number({ description: 'Segments sent through a route other than the first choice' }),
});

const Route = Type.Object({
  name: Type.String(),
  driver: Type.String(),
  up: Type.Boolean(),
  detail: Type.String(),
  prefixes: Type.Array(Type.String()),
  types: Type.Array(Type.String()),
  inFlight: Type.Integer(),
  waiting: Type.Integer(),
  window: Type.Integer(),
  rate: Type.Number(),
  lastError: Nullable(Type.Object({ at: DateTime, reason: Type.String() })),
  lastMinute: Counts,
  errorRate: Nullable(Type.Number()),
});

const Monitor = Type.Object({
  at: DateTime,
  throughput: Type.Composite([Counts], { description: 'Per second, averaged over the last minute' }),
  lastMinute: Counts,
  errorRate: Nullable(Type.Number({ description: 'failed / (submitted + failed), last minute' })),
  queue: Type.Array(
    Type.Object({ priority: Type.Integer(), types: Type.Array(Type.String()), queued: Type.Integer() }),
  ),
  routes: Type.Array(Route),
  recentFailures: Type.Array(
    Type.Object({
      at: DateTime,
      route: Nullable(Type.String()),
      reference: Nullable(Type.String({ description: 'messageId:segment' })),
      errorCode: Nullable(Type.Integer()),
      reason: Type.String(),
    }),
  ),
});

/** The SMS platform: monitor, and the delivery-report callback of Kannel routes. */
export function smsPlatformRoutes(api: Api, { services, guard }: RouteContext): void {
  const tags = ['sms'];
  api.get(
    '/sms/monitor',
    {
      schema: {
        tags,
        summary: 'The SMS platform now: throughput, queue depth, routes and recent failures',
        querystring: Type.Object({
          failures: Type.Optional(Type.Integer({ minimum: 0, maximum: 50, default: 20 })),
        }),
        response: { 200: Monitor, ...errors },
      },
      onRequest: guard(STAFF, 'sms:monitor'),
    },
    async (req) => services.smsOps.report(req.query.failures ?? 20),
  );
  api.get(
    '/sms/dlr/kannel',
    {
      schema: {
        tags,
        summary: "Kannel's dlr-url: a delivery report for a segment sent through a Kannel route",
        description:
          "Called by Kannel, not by people: Hotline puts this URL with `route`, the route's secret `token` " +
          'and the segment `ref` into every sendsms request; Kannel adds `status` (%d) and `answer` (%A). ' +
          'A repeated report changes nothing.',
        security: [],
        querystring: Type.Object(
          {
            route: Type.String({ maxLength: 40 }),
            token: Type.String({ maxLength: 200 }),
            ref: Type.Optional(Type.String({ maxLength: 100 })),
            status: Type.Optional(Type.String({ maxLength: 10 })),
            answer: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: true },
        ),
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors },
      },
      // The URL carries the route's secret token: keep it out of the per-request info logs.
      logLevel: 'warn',
    },
    (req) => {
      const { route, token, ...params } = req.query;
      const strings = Object.fromEntries(
        Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
      services.smsOps.deliveryReport(route, token, strings);
      return { ok: true };
    },
  );
}
