import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { ADMIN, EVERYONE, principal } from '../auth.js';
import { Agent, AgentSettings, AgentState, DateTime, IdParams, Nullable, Uuid } from '../schemas.js';
import { mayActOnAgent, requireAgentAccess } from '../../services/access.js';
import { DomainError } from '../../domain/errors.js';

const Reason = Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 50 })));
const Presence = Type.Union([Type.Literal('available'), Type.Literal('not_ready')]);
const ReservationParams = Type.Object({
  id: Uuid,
  reservationId: Type.String({ minLength: 1, maxLength: 100 }),
});

export function agentRoutes(api: Api, { services, guard }: RouteContext): void {
  const { agents, desk } = services;
  const tags = ['agents'];

  api.get(
    '/agents',
    {
      schema: {
        tags,
        summary: 'Agents you may see (supervisors: their teams)',
        response: { 200: Type.Array(Agent), ...errors },
      },
      onRequest: guard(EVERYONE, 'agents:read'),
    },
    async (req) => {
      const p = principal(req);
      const all = await agents.list();
      return p.kind === 'api_key' ? all : all.filter((a) => mayActOnAgent(p, a));
    },
  );
  api.post(
    '/agents',
    {
      schema: {
        tags,
        summary: 'Give a user an agent profile: team, skills with levels, capacity per channel',
        body: Type.Composite([Type.Object({ userId: Uuid }), AgentSettings], { additionalProperties: false }),
        response: { 201: Agent, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      const { userId, ...settings } = req.body;
      return reply.status(201).send(await agents.create(principal(req), userId, settings));
    },
  );
  api.get(
    '/agents/states',
    {
      schema: {
        tags,
        summary: "Every agent's live state, time in state and work you may see (wallboards)",
        response: { 200: Type.Array(AgentState), ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => desk.states(principal(req)),
  );
  api.get(
    '/agents/:id',
    { schema: { tags, params: IdParams, response: { 200: Agent, ...errors } }, onRequest: guard(EVERYONE) },
    async (req) => {
      const a = await agents.get(req.params.id);
      requireAgentAccess(principal(req), a);
      return a;
    },
  );
  api.patch(
    '/agents/:id',
    {
      schema: { tags, params: IdParams, body: AgentSettings, response: { 200: Agent, ...errors } },
      onRequest: guard(ADMIN),
    },
    async (req) => agents.update(principal(req), req.params.id, req.body),
  );
  api.delete(
    '/agents/:id',
    {
      schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errors } },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      await agents.remove(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/agents/:id/state',
    {
      schema: {
        tags,
        summary: 'Current state, presence and work',
        params: IdParams,
        response: { 200: AgentState, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => desk.state(principal(req), req.params.id),
  );
  api.post(
    '/agents/:id/login',
    {
      schema: {
        tags,
        summary: 'Log in to routing (an agent for themself, or forced by a supervisor/admin: audited)',
        params: IdParams,
        body: Type.Object(
          { presence: Type.Optional(Presence), reason: Reason },
          { additionalProperties: false },
        ),
        response: { 200: AgentState, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) =>
      desk.login(principal(req), req.params.id, req.body.presence ?? 'available', req.body.reason ?? null),
  );
  api.post(
    '/agents/:id/presence',
    {
      schema: {
        tags,
        summary: 'Available, or not ready with a reason code',
        params: IdParams,
        body: Type.Object({ presence: Presence, reason: Reason }, { additionalProperties: false }),
        response: { 200: AgentState, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) =>
      desk.setPresence(principal(req), req.params.id, req.body.presence, req.body.reason ?? null),
  );
  api.post(
    '/agents/:id/logout',
    {
      schema: {
        tags,
        summary: 'Log out; while working, takes effect when the work ends',
        params: IdParams,
        response: { 200: AgentState, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => desk.logout(principal(req), req.params.id),
  );
  api.post(
    '/agents/:id/reservations/:reservationId/accept',
    {
      schema: {
        tags,
        summary: 'Accept an offer',
        params: ReservationParams,
        response: { 200: AgentState, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => desk.accept(principal(req), req.params.id, req.params.reservationId),
  );
  api.post(
    '/agents/:id/reservations/:reservationId/reject',
    {
      schema: {
        tags,
        summary: 'Reject an offer: it returns to its place in the queue; the agent goes not ready (missed)',
        params: ReservationParams,
        response: { 200: AgentState, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => desk.reject(principal(req), req.params.id, req.params.reservationId),
  );
  api.get(
    '/agents/:id/state-log',
    {
      schema: {
        tags,
        summary: 'State transitions with time and cause (for occupancy and adherence)',
        params: IdParams,
        querystring: Type.Object({ from: Type.Optional(DateTime), to: Type.Optional(DateTime) }),
        response: {
          200: Type.Array(
            Type.Object({
              at: DateTime,
              state: Type.String(),
              previous: Type.String(),
              reason: Nullable(Type.String()),
              cause: Type.String(),
            }),
          ),
          ...errors,
        },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => {
      const a = await agents.get(req.params.id);
      requireAgentAccess(principal(req), a);
      const now = services.clock.now();
      const from = req.query.from ? new Date(req.query.from) : new Date(now - 24 * 3600 * 1000);
      const to = req.query.to ? new Date(req.query.to) : new Date(now);
      if (from > to) throw new DomainError('VALIDATION_FAILED', '"from" must not be after "to".');
      return services.store.agentStates.list(a.id, from, to);
    },
  );

  const PhoneChoice = Type.Object(
    {
      kind: Type.Union([Type.Literal('browser'), Type.Literal('sip')], {
        description: 'browser = the web softphone (WebRTC); sip = the registered SIP phone (default)',
      }),
    },
    { additionalProperties: false },
  );
  const myAgentId = (req: Parameters<typeof principal>[0]): string => {
    const p = principal(req);
    if (p.kind !== 'user' || p.agentId === null) {
      throw new DomainError('AGENT_NOT_FOUND', 'You have no agent profile.');
    }
    return p.agentId;
  };
  api.get(
    '/agents/me/phone',
    {
      schema: {
        tags,
        summary: 'The phone your calls ring on for this login: browser softphone or SIP phone',
        response: { 200: PhoneChoice, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    (req, reply) => reply.send({ kind: services.softphones.kindOf(myAgentId(req)) }),
  );
  api.put(
    '/agents/me/phone',
    {
      schema: {
        tags,
        summary:
          'Choose the phone your calls ring on (kept until the server restarts). The browser softphone ' +
          'rings over the /api/events WebSocket (webrtc.offer); answer with webrtc.answer.',
        body: PhoneChoice,
        response: { 200: PhoneChoice, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    (req, reply) => {
      const agentId = myAgentId(req);
      services.softphones.choose(agentId, req.body.kind);
      return reply.send({ kind: services.softphones.kindOf(agentId) });
    },
  );
}
