// Call control of a call connected to an agent: hold, resume and DTMF to the caller's side.
import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { EVERYONE, principal } from '../auth.js';
import { IdParams, Uuid } from '../schemas.js';

const HoldState = Type.Object({
  interactionId: Uuid,
  held: Type.Boolean(),
  heldBy: Type.Array(
    Type.Union([
      Type.Literal('api'),
      Type.Literal('agent'),
      Type.Literal('caller'),
      Type.Literal('connection'),
    ]),
    {
      description:
        'Who holds the call: api (POST …/hold), agent (the hold key on the agent’s phone), caller (the ' +
        'caller’s phone), connection (the agent’s browser phone lost its connection and the call waits for it).',
    },
  ),
});

const DtmfInput = Type.Object(
  {
    digits: Type.String({
      pattern: '^[0-9*#A-Da-d]{1,32}$',
      description: 'Sent to the caller’s side as RFC 4733 events, e.g. to walk a remote IVR menu.',
    }),
  },
  { additionalProperties: false },
);

const ToQueue = Type.Object(
  { queueId: Uuid },
  { additionalProperties: false, description: 'A queue: the caller waits there as a new interaction.' },
);

const ToAgent = Type.Object(
  { agentId: Uuid },
  {
    additionalProperties: false,
    description:
      'An agent (logged in and available, else 409 AGENT_NOT_AVAILABLE): their phone rings; unanswered, the caller goes back to the first agent, then to the queue.',
  },
);

const ToNumber = Type.Object(
  {
    number: Type.String({
      minLength: 2,
      maxLength: 40,
      description:
        'An external number through the SIP trunk, normalised to E.164 with defaultCountry; it must be allowed by voice.dialPlan (else 403 DIAL_PLAN_REFUSED).',
    }),
  },
  { additionalProperties: false },
);

const TransferInput = Type.Object(
  {
    to: Type.Union([ToQueue, ToAgent, ToNumber], { description: 'Where the caller goes (blind transfer).' }),
  },
  { additionalProperties: false },
);

const Transferred = Type.Object({
  interactionId: Type.String({
    description: 'The new interaction the caller now waits as (a queue), or this one (a number).',
  }),
  transferredFrom: Uuid,
  number: Type.Optional(Type.String({ description: 'The number being rung (E.164), for a number.' })),
});

/** Routes under /interactions/:id for the connected call. */
export function callControlRoutes(api: Api, { services, guard }: RouteContext): void {
  const control = services.callControl;
  const tags = ['voice'];
  for (const action of ['hold', 'resume'] as const) {
    api.post(
      `/interactions/:id/${action}`,
      {
        schema: {
          tags,
          summary:
            action === 'hold'
              ? 'Put the caller on hold: hold music to the caller, no audio relayed either way (the agent on the call, or a supervisor)'
              : 'Take the hold off: the caller and the agent talk again (unless a phone still holds the call)',
          params: IdParams,
          response: { 200: HoldState, ...errors },
        },
        onRequest: guard(EVERYONE, 'interactions:write'),
      },
      async (req) =>
        action === 'hold'
          ? control.hold(principal(req), req.params.id)
          : control.resume(principal(req), req.params.id),
    );
  }
  api.get(
    '/interactions/:id/hold',
    {
      schema: {
        tags,
        summary: 'Whether the connected call is on hold, and by whom',
        params: IdParams,
        response: { 200: HoldState, ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req) => control.holdState(principal(req), req.params.id),
  );
  api.post(
    '/interactions/:id/transfer',
    {
      schema: {
        tags,
        summary: 'Blind transfer of the connected caller to a queue, an agent or an external number',
        description:
          'The agent’s phone is hung up and this interaction goes to wrap-up. To a queue: the caller hears hold music and waits as a new voice interaction (metadata.transferredFrom) in the queue. To an agent (logged in and available, else 409 AGENT_NOT_AVAILABLE): offered straight to them, their phone rings; unanswered, the caller goes back to the first agent, then to the queue. To a number: the caller hears hold music while the number rings through the SIP trunk, then is bridged to it (recorded on this interaction, CDRs for both legs); if it is busy or does not answer, the caller waits again in this interaction’s queue.',
        params: IdParams,
        body: TransferInput,
        response: { 200: Transferred, ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:write'),
    },
    async (req) => control.transfer(principal(req), req.params.id, req.body.to),
  );
  api.post(
    '/interactions/:id/dtmf',
    {
      schema: {
        tags,
        summary: 'Send DTMF digits to the caller’s side of the connected call (RFC 4733)',
        description: 'Answers once the digits are sent. The digits are never logged at info level.',
        params: IdParams,
        body: DtmfInput,
        response: { 200: Type.Object({ sent: Type.Integer() }), ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:write'),
    },
    async (req) => control.sendDigits(principal(req), req.params.id, req.body.digits),
  );
  api.post(
    '/interactions/:id/hangup',
    {
      schema: {
        tags,
        summary: 'Hang up the connected call (the agent on it, or a supervisor)',
        description:
          'Both legs are hung up (BYE), as when the agent’s phone hangs up: the CDRs’ end cause is agent_hangup and the interaction goes to wrap-up. For agents on a SIP phone (a browser softphone hangs up itself). 409 CALL_NOT_CONNECTED when no call is connected to an agent.',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:write'),
    },
    async (req, reply) => {
      await control.hangUp(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
