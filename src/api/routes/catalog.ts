import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { ADMIN, EVERYONE, principal } from '../auth.js';
import { IdParams, Name, ReasonCode, Skill, Team, Uuid } from '../schemas.js';

export function catalogRoutes(api: Api, { services, guard }: RouteContext): void {
  const { catalog } = services;
  api.get(
    '/teams',
    {
      schema: { tags: ['teams'], response: { 200: Type.Array(Team), ...errors } },
      onRequest: guard(EVERYONE),
    },
    async () => catalog.listTeams(),
  );
  api.post(
    '/teams',
    {
      schema: {
        tags: ['teams'],
        body: Type.Object(
          { name: Name, supervisorIds: Type.Optional(Type.Array(Uuid)) },
          { additionalProperties: false },
        ),
        response: { 201: Team, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await catalog.createTeam(principal(req), req.body.name, req.body.supervisorIds ?? [])),
  );
  api.patch(
    '/teams/:id',
    {
      schema: {
        tags: ['teams'],
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Name), supervisorIds: Type.Optional(Type.Array(Uuid)) },
          { additionalProperties: false },
        ),
        response: { 200: Team, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => catalog.updateTeam(principal(req), req.params.id, req.body),
  );
  api.delete(
    '/teams/:id',
    {
      schema: { tags: ['teams'], params: IdParams, response: { 204: Type.Null(), ...errors } },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      await catalog.deleteTeam(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/skills',
    {
      schema: { tags: ['skills'], response: { 200: Type.Array(Skill), ...errors } },
      onRequest: guard(EVERYONE),
    },
    async () => catalog.listSkills(),
  );
  api.post(
    '/skills',
    {
      schema: {
        tags: ['skills'],
        body: Type.Object({ name: Name }, { additionalProperties: false }),
        response: { 201: Skill, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => reply.status(201).send(await catalog.createSkill(principal(req), req.body.name)),
  );

  const Kind = Type.Union([Type.Literal('not_ready'), Type.Literal('wrap_up')]);
  api.get(
    '/reason-codes',
    {
      schema: {
        tags: ['reason-codes'],
        querystring: Type.Object({ kind: Type.Optional(Kind) }),
        response: { 200: Type.Array(ReasonCode), ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => catalog.listReasonCodes(req.query.kind),
  );
  api.post(
    '/reason-codes',
    {
      schema: {
        tags: ['reason-codes'],
        summary: 'Add a not-ready reason or a wrap-up code',
        body: Type.Object(
          {
            kind: Kind,
            code: Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z0-9_.-]+$' }),
            label: Name,
          },
          { additionalProperties: false },
        ),
        response: { 201: ReasonCode, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await catalog.createReasonCode(principal(req), req.body.kind, req.body.code, req.body.label)),
  );
  api.delete(
    '/reason-codes/:id',
    {
      schema: { tags: ['reason-codes'], params: IdParams, response: { 204: Type.Null(), ...errors } },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      await catalog.deleteReasonCode(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
