// Consult transfer and three-way conference on a connected call (the agent on it, or a supervisor).
import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { EVERYONE, principal } from '../auth.js';
import { IdParams, Uuid } from '../schemas.js';

const ConsultInput = Type.Union(
  [
    Type.Object(
      {
        agentId: Type.String({
          format: 'uuid',
          description:
            'The agent to consult: logged in and available with a phone (else 409 AGENT_NOT_AVAILABLE).',
        }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        queueId: Type.String({
          format: 'uuid',
          description:
            'A queue to consult: the consult waits there (the consulting agent hears hold music) until routing offers it to one of its agents with the queue’s skills and their phone answers (404 QUEUE_NOT_FOUND).',
        }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        number: Type.String({
          minLength: 1,
          maxLength: 32,
          description:
            'An external number to consult, called out through the trunk with the center’s caller ID: E.164 or national (default country); the dial plan must allow it (else 403 DIAL_PLAN_REFUSED, 400 PHONE_NUMBER_INVALID); 503 TRUNK_UNAVAILABLE without an outbound trunk.',
        }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'Whom to consult: `agentId`, `queueId` or `number` (one of them).' },
);

const ConsultView = Type.Object({
  interactionId: Uuid,
  fromAgentId: Uuid,
  toAgentId: Type.Union([Uuid, Type.Null()], {
    description: 'The consulted agent; null for a number, and for a queue until one of its agents answers.',
  }),
  toNumber: Type.Union([Type.String(), Type.Null()], {
    description: 'The consulted number in E.164; null for an agent.',
  }),
  toQueueId: Type.Union([Uuid, Type.Null()], {
    description: 'The consulted queue; `toAgentId` is null until one of its agents answers.',
  }),
  state: Type.Union([Type.Literal('ringing'), Type.Literal('talking'), Type.Literal('conference')], {
    description:
      'ringing: the consulted agent’s phone (or the number) rings; talking: the agent talks to them, the caller holds; conference: all three talk.',
  }),
});

const Completed = Type.Object({
  interactionId: Type.String({
    description:
      'The new interaction, assigned to the consulted agent; for a number, this same interaction (the caller talks to the number on it).',
  }),
  transferredFrom: Uuid,
  number: Type.Optional(Type.String({ description: 'The number the caller now talks to (E.164).' })),
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
        summary: 'Consult another agent or an external number: the caller holds (music) while it rings',
        description:
          'Answers once the phone rings (a number: once the INVITE went out through the trunk). Follow `call.consult` events on /api/events (state ringing, talking, conference, ended with a reason; a number that did not answer ends with reason not_answered and a cause: busy, no_answer, rejected, unreachable). On answer the agent talks to the consulted party; then complete, cancel or conference. A refused number leaves the call as it was.',
        params: IdParams,
        body: ConsultInput,
        response: { 200: ConsultView, ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:write'),
    },
    async (req) => consults.start(principal(req), req.params.id, req.body),
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
        summary: 'Complete a consult transfer: the caller is bridged to the consulted agent or number',
        description:
          'An agent: the caller talks to them as a new interaction assigned to them (metadata.transferredFrom). A number: the caller is bridged to it on this interaction, recorded in stereo (caller left, number right), CDRs for both legs (the number’s with role consulted). Either way the first agent’s phone is hung up and this interaction goes to wrap-up (CDR cause transferred).',
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
        summary:
          'Cancel a consult: the consulted party is hung up (or stops ringing), the caller and the agent talk again',
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
