// Dial-out: POST /api/calls rings the agent's phone, then the customer's number through the trunk.
import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { EVERYONE, principal } from '../auth.js';
import { Uuid } from '../schemas.js';

const DialOutInput = Type.Object(
  {
    to: Type.String({
      minLength: 2,
      maxLength: 40,
      description:
        'The customer’s number, normalised to E.164 with defaultCountry; it must be allowed by voice.dialPlan (else 403 DIAL_PLAN_REFUSED).',
    }),
    agentId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'Who places the call (supervisors and admins only); default your own agent.',
      }),
    ),
    customerId: Type.Optional(
      Type.String({ format: 'uuid', description: 'The customer; default the one with this number.' }),
    ),
    queueId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'The queue the interaction is filed under (wrap-up time); default the first queue.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** POST /calls. */
export function dialOutRoutes(api: Api, { services, guard }: RouteContext): void {
  api.post(
    '/calls',
    {
      schema: {
        tags: ['voice'],
        summary: 'Dial out: ring the agent’s phone, then the customer through the SIP trunk',
        description:
          'Agent first: the agent’s phone (SIP or browser softphone) rings; once answered, the number is rung through the trunk with the center’s caller ID and both are bridged and recorded (customer left, agent right). Answers 201 as soon as the agent’s phone rings, with the outbound voice interaction (assigned to the agent). A call that does not come up ends that interaction with metadata.dialOut.cause (agent_no_answer, agent_rejected, agent_hangup, busy, no_answer, rejected, unreachable, cancelled).',
        body: DialOutInput,
        response: { 201: Type.Object({ interactionId: Uuid }), ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:write'),
    },
    async (req, reply) => {
      const out = await services.dialOut.start(principal(req), req.body);
      return reply.code(201).send(out);
    },
  );
}
