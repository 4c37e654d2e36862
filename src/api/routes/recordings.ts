// Finding calls after the fact: the recordings search and an agent's own call history.
import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { EVERYONE, principal } from '../auth.js';
import { DateTime, IdParams, Nullable, Uuid } from '../schemas.js';
import { sendAudio } from './voice.js';

const Pause = Type.Object({ fromMs: Type.Integer(), toMs: Type.Integer() });

const RecordingListing = Type.Object({
  recordingId: Uuid,
  interactionId: Uuid,
  agentId: Nullable(Uuid),
  agentName: Nullable(Type.String()),
  callerNumber: Nullable(Type.String({ description: 'The number the call came from, as received.' })),
  customerId: Nullable(Uuid),
  customerName: Nullable(Type.String()),
  queueId: Nullable(Uuid),
  queueName: Nullable(Type.String()),
  startedAt: DateTime,
  endedAt: Nullable(DateTime),
  durationMs: Nullable(Type.Integer({ description: 'null while the call is still being recorded' })),
  pauses: Type.Array(Pause, { description: 'Spans recorded as silence (payment card capture).' }),
  wrapUpCode: Nullable(Type.String()),
});

const HistoryEntry = Type.Object({
  interactionId: Uuid,
  channel: Type.String(),
  direction: Type.String(),
  status: Type.String(),
  outcome: Nullable(Type.String()),
  wrapUpCode: Nullable(Type.String()),
  fromAddress: Nullable(Type.String({ description: "The customer's number or address" })),
  subject: Nullable(Type.String()),
  customerId: Nullable(Uuid),
  customerName: Nullable(Type.String()),
  queueId: Nullable(Uuid),
  queueName: Nullable(Type.String()),
  createdAt: DateTime,
  acceptedAt: Nullable(DateTime),
  endedAt: Nullable(DateTime),
  recordings: Type.Array(Type.Object({ id: Uuid, durationMs: Nullable(Type.Integer()) })),
});

const Cursor = Type.Optional(
  Type.String({ maxLength: 200, description: 'nextCursor of the previous page; omit for the first page' }),
);
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 }));

export function recordingRoutes(api: Api, { services, guard }: RouteContext): void {
  const { voice } = services;

  api.get(
    '/recordings',
    {
      schema: {
        tags: ['voice'],
        summary: 'Find call recordings by agent, caller number, queue and date, newest first',
        description:
          'Supervisors and admins search every recording; an agent searches only the calls they took ' +
          "(asking for another agent's is 403). Play a result with GET /recordings/{recordingId}/audio.",
        querystring: Type.Object(
          {
            agentId: Type.Optional(Uuid),
            number: Type.Optional(
              Type.String({
                maxLength: 40,
                description: 'Digits anywhere in the caller\'s number ("5550143" finds +12025550143).',
              }),
            ),
            queueId: Type.Optional(Uuid),
            from: Type.Optional(Type.String({ format: 'date-time', description: 'Started at or after' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'Started before' })),
            limit: Limit,
            cursor: Cursor,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(RecordingListing), nextCursor: Nullable(Type.String()) }),
          ...errors,
        },
      },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req) => voice.searchRecordings(principal(req), req.query),
  );

  api.post(
    '/recordings/:id/playback',
    {
      schema: {
        tags: ['voice'],
        summary: 'A playback link for an <audio> element (which cannot send the Authorization header)',
        description:
          'Checks that the caller may hear the recording and answers a URL with a ticket for it ' +
          '(valid 4 hours, until the server restarts). The URL serves the WAV like …/audio, Range requests included.',
        params: IdParams,
        response: { 200: Type.Object({ url: Type.String(), expiresAt: DateTime }), ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req) => voice.playback(principal(req), req.params.id),
  );
  api.get(
    '/recordings/:id/play',
    {
      schema: {
        tags: ['voice'],
        summary: 'The recording as a stereo WAV through a playback link (no Authorization header)',
        params: IdParams,
        querystring: Type.Object({ ticket: Type.String({ maxLength: 200 }) }),
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
          206: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
          ...errors,
        },
      },
    },
    async (req, reply) =>
      sendAudio(req, reply, (range) => voice.audioByTicket(req.params.id, req.query.ticket, range)),
  );

  api.get(
    '/agents/me/history',
    {
      schema: {
        tags: ['agents'],
        summary: "The signed-in agent's own interactions on every channel, newest first, with recordings",
        querystring: Type.Object({ limit: Limit, cursor: Cursor }, { additionalProperties: false }),
        response: {
          200: Type.Object({ items: Type.Array(HistoryEntry), nextCursor: Nullable(Type.String()) }),
          ...errors,
        },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => voice.history(principal(req), req.query),
  );
}
