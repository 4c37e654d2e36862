import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { ADMIN, EVERYONE, STAFF, principal } from '../auth.js';
import { IdParams, Queue, QueueCreate, QueueStats, QueueUpdate } from '../schemas.js';
import type { RoutingService } from '../../services/routing/routing-service.js';
import { averageSpeedOfAnswer, occupancy, requiredAgents, serviceLevel } from '../../domain/stats/index.js';

function statsOf(routing: RoutingService, queueId: string, now: number) {
  const s = routing.engine.queueStats(queueId);
  return {
    ...s,
    longestWaitSec: s.oldestArrivedAt === null ? 0 : Math.max(0, (now - s.oldestArrivedAt) / 1000),
  };
}

export function queueRoutes(api: Api, { services, guard }: RouteContext): void {
  const { queues, routing, clock } = services;
  const tags = ['queues'];
  api.get(
    '/queues',
    {
      schema: { tags, response: { 200: Type.Array(Queue), ...errors } },
      onRequest: guard(EVERYONE, 'queues:read'),
    },
    async () => queues.list(),
  );
  api.post(
    '/queues',
    {
      schema: {
        tags,
        summary: 'Create a queue: required skills, priority, strategy, SLA, overflow, business hours',
        body: QueueCreate,
        response: { 201: Queue, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => reply.status(201).send(await queues.create(principal(req), req.body)),
  );
  api.get(
    '/queues/:id',
    {
      schema: { tags, params: IdParams, response: { 200: Queue, ...errors } },
      onRequest: guard(EVERYONE, 'queues:read'),
    },
    async (req) => queues.get(req.params.id),
  );
  api.patch(
    '/queues/:id',
    {
      schema: { tags, params: IdParams, body: QueueUpdate, response: { 200: Queue, ...errors } },
      onRequest: guard(ADMIN),
    },
    async (req) => queues.update(principal(req), req.params.id, req.body),
  );
  api.delete(
    '/queues/:id',
    {
      schema: {
        tags,
        summary: 'Delete an empty queue',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      await queues.remove(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  api.get(
    '/queues/:id/stats',
    {
      schema: {
        tags,
        summary: 'Live statistics of one queue',
        params: IdParams,
        response: { 200: QueueStats, ...errors },
      },
      onRequest: guard(STAFF, 'queues:read'),
    },
    async (req) => {
      await queues.get(req.params.id);
      return statsOf(routing, req.params.id, clock.now());
    },
  );
  api.get(
    '/stats/queues',
    {
      schema: {
        tags,
        summary: 'Live statistics of every queue',
        response: { 200: Type.Array(QueueStats), ...errors },
      },
      onRequest: guard(STAFF, 'queues:read'),
    },
    async () => {
      const now = clock.now();
      return (await queues.list())
        .filter((q) => routing.engine.hasQueue(q.id))
        .map((q) => statsOf(routing, q.id, now));
    },
  );
  api.get(
    '/queues/:id/waiting',
    {
      schema: {
        tags,
        summary: 'Interactions waiting in this queue, in the order they will be served',
        params: IdParams,
        response: {
          200: Type.Array(
            Type.Object({
              interactionId: Type.String(),
              arrivedAt: Type.Number(),
              priority: Type.Number(),
              seq: Type.Number(),
            }),
          ),
          ...errors,
        },
      },
      onRequest: guard(STAFF, 'queues:read'),
    },
    async (req) => {
      await queues.get(req.params.id);
      return routing.engine.waiting(req.params.id);
    },
  );
  api.get(
    '/queues/:id/staffing',
    {
      schema: {
        tags,
        summary: "Agents needed to meet the queue's service-level target (Erlang C)",
        description:
          'For a forecast of contacts per hour and average handling time, the smallest number of agents that ' +
          "answers the queue's target share within its threshold, with the expected service level, speed of answer and occupancy.",
        params: IdParams,
        querystring: Type.Object({
          contactsPerHour: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
          ahtSec: Type.Number({ exclusiveMinimum: 0, maximum: 86_400 }),
          maxOccupancyPct: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
        }),
        response: {
          200: Type.Object({
            requiredAgents: Type.Integer(),
            trafficErlangs: Type.Number(),
            serviceLevelPct: Type.Number(),
            targetPct: Type.Number(),
            thresholdSec: Type.Number(),
            averageSpeedOfAnswerSec: Type.Number(),
            occupancyPct: Type.Number(),
          }),
          ...errors,
        },
      },
      onRequest: guard(STAFF),
    },
    async (req) => {
      const q = await queues.get(req.params.id);
      const load = { arrivalRatePerSec: req.query.contactsPerHour / 3600, ahtSec: req.query.ahtSec };
      const agents = requiredAgents({
        ...load,
        thresholdSec: q.slThresholdSec,
        targetServiceLevel: q.slTargetPct / 100,
        maxOccupancy: req.query.maxOccupancyPct === undefined ? undefined : req.query.maxOccupancyPct / 100,
      });
      const round = (x: number) => Math.round(x * 10) / 10;
      return {
        requiredAgents: agents,
        trafficErlangs: round(load.arrivalRatePerSec * load.ahtSec),
        serviceLevelPct: round(serviceLevel({ ...load, agents, thresholdSec: q.slThresholdSec }) * 100),
        targetPct: q.slTargetPct,
        thresholdSec: q.slThresholdSec,
        averageSpeedOfAnswerSec: round(averageSpeedOfAnswer({ ...load, agents })),
        occupancyPct: round(occupancy({ ...load, agents }) * 100),
      };
    },
  );
}
