// Supervisors on live calls: listen, whisper, barge (from their own SIP phone), and force release.
import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { EVERYONE, principal } from '../auth.js';
import { IdParams, Uuid } from '../schemas.js';

const Mode = Type.Union([Type.Literal('listen'), Type.Literal('whisper'), Type.Literal('barge')], {
  description:
    'listen: the supervisor hears both, nobody hears the supervisor; whisper: the agent hears the supervisor, the caller does not; barge: everyone hears everyone.',
});

const ModeInput = Type.Object({ mode: Mode }, { additionalProperties: false });

const SupervisionState = Type.Object({
  interactionId: Uuid,
  supervisorId: Type.String({ description: 'User id of the supervisor.' }),
  mode: Mode,
  state: Type.Union([Type.Literal('ringing'), Type.Literal('connected')], {
    description: "ringing: the supervisor's phone rings; connected: the supervisor is mixed into the call.",
  }),
});

export function supervisionRoutes(api: Api, { services, guard }: RouteContext): void {
  const { supervision } = services;
  const tags = ['voice'];
  api.post(
    '/interactions/:id/supervise',
    {
      schema: {
        tags,
        summary: "Supervise a live call from the supervisor's own registered SIP phone",
        description:
          "Supervisors of the agent's team and admins. Hotline rings the phone registered with the SIP credentials of the supervisor's own agent profile (PUT /api/agents/{id}/sip); on answer the supervisor is mixed into the call by `mode`. Hanging up the phone (or DELETE) ends the supervision.",
        params: IdParams,
        body: ModeInput,
        response: { 202: SupervisionState, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req, reply) =>
      reply.status(202).send(await supervision.start(principal(req), req.params.id, req.body.mode)),
  );
  api.patch(
    '/interactions/:id/supervise',
    {
      schema: {
        tags,
        summary: 'Switch the supervision mode on the fly',
        params: IdParams,
        body: ModeInput,
        response: { 200: SupervisionState, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => supervision.setMode(principal(req), req.params.id, req.body.mode),
  );
  api.get(
    '/interactions/:id/supervise',
    {
      schema: {
        tags,
        summary: "The call's supervision now",
        params: IdParams,
        response: { 200: SupervisionState, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => supervision.current(principal(req), req.params.id),
  );
  api.delete(
    '/interactions/:id/supervise',
    {
      schema: {
        tags,
        summary: "End the supervision (the supervisor's phone is hung up)",
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req, reply) => {
      await supervision.stop(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  api.post(
    '/interactions/:id/release',
    {
      schema: {
        tags,
        summary: 'Force-release a live call: both legs are hung up (BYE)',
        description:
          "Supervisors of the agent's team and admins. The CDRs' end cause is forced_release; the interaction completes (wrap-up follows).",
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req, reply) => {
      await supervision.release(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
