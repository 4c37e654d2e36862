// Consult transfer and three-way conference on a connected call (the agent on it, or a supervisor).
import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { EVERYONE, principal } from '../auth.js';
import { IdParams, Uuid } from '../schemas.js';

const ConsultInput = Type.Object(
  {
    agentId: Type.String({
      format: 'uuid',
      description:
        'The agent to consult: logged in and available with a phone (else 409 AGENT_NOT_AVAILABLE).',
    }),
  },
  { additionalProperties: false },
);

const ConsultView = Type.Object({
  interactionId: Uuid,
  fromAgentId: Uuid,
  toAgentId: Uuid,
  state: Type.Union([Type.Literal('ringing'), Type.Literal('talking'), Type.Literal('conference')], {
    description:
      'ringing: the consulted agent’s phone rings; talking: the two agents talk, the caller holds; conference: all three talk.',
  }),
});

const Completed = Type.Object({
  interactionId: Type.String({ description: 'The new interaction, assigned to the consulted agent.' }),
  transferredFrom: Uuid,
});

/** Routes under /interactions/:id/consult and /interactions/:id/conference. */
export function consultRoutes(api: Api, { services, guard }: RouteContext): void {
  const consults = services.consults;
  const tags = ['voice'];
  api.post(
    '/interactions/:id/consult',
    {
      schema: {
        tags,
        summary: 'Consult another agent: the caller holds (music) while their phone rings',
        description:
          'Answers once the phone rings. Follow `call.consult` events on /api/events (state ringing, talking, conference, ended with a reason). On answer the two agents talk; then complete, cancel or conference.',
        params: IdParams,
        body: ConsultInput,
        response: { 200: ConsultView, ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:write'),
    },
    async (req) => consults.start(principal(req), req.params.id, req.body.agentId),
  );
  api.get(
    '/interactions/:id/consult/agents',
    {
      schema: {
        tags,
        summary: 'Agents who can be consulted or transferred to now (logged in and available)',
        params: IdParams,
        response: { 200: Type.Array(Type.Object({ id: Uuid, displayName: Type.String() })), ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req) => consults.candidates(principal(req), req.params.id),
  );
  api.get(
    '/interactions/:id/consult',
    {
      schema: {
        tags,
        summary: 'The call’s consult or conference now (409 CONSULT_NOT_ACTIVE when none)',
        params: IdParams,
        response: { 200: ConsultView, ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req) => consults.current(principal(req), req.params.id),
  );
  api.post(
    '/interactions/:id/consult/complete',
    {
      schema: {
        tags,
        summary: 'Complete a consult transfer: the caller is bridged to the consulted agent',
        description:
          'The caller talks to the consulted agent as a new interaction assigned to them (metadata.transferredFrom); the first agent’s phone is hung up and this interaction goes to wrap-up (CDR cause transferred).',
        params: IdParams,
        response: { 200: Completed, ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:write'),
    },
    async (req) => consults.complete(principal(req), req.params.id),
  );
  api.post(
    '/interactions/:id/consult/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a consult: the consulted agent is hung up, the caller and the agent talk again',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:write'),
    },
    async (req, reply) => {
      await consults.cancel(principal(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  api.post(
    '/interactions/:id/conference',
    {
      schema: {
        tags,
        summary: 'Turn an answered consult into a three-way conference',
        description:
          'Caller, agent and consulted agent all hear each other and the call’s recording goes on. Anyone may hang up: the other two stay connected (the first agent leaving hands the caller to the consulted agent).',
        params: IdParams,
        response: { 200: ConsultView, ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:write'),
    },
    async (req) => consults.conference(principal(req), req.params.id),
  );
}
