// Voice: agents' SIP phone credentials, recordings (list, audio, pause for card capture) and CDRs.
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { ADMIN, EVERYONE, principal } from '../auth.js';
import { DateTime, IdParams, Nullable, Uuid } from '../schemas.js';
import type { AudioPart } from '../../services/calls/voice-desk.js';

const SipAccount = Type.Object({
  agentId: Uuid,
  username: Type.String(),
  realm: Type.String({ description: 'Digest realm the phone authenticates in (HOTLINE_SIP_REALM).' }),
  updatedAt: DateTime,
});

const SipAccountInput = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'SIP user name of the phone.' }),
    password: Type.String({
      minLength: 8,
      maxLength: 128,
      description: 'Kept only as the digest HA1 (MD5 of username:realm:password); never stored or shown.',
    }),
  },
  { additionalProperties: false },
);

const Recording = Type.Object({
  id: Uuid,
  interactionId: Uuid,
  filePath: Type.String(),
  startedAt: DateTime,
  endedAt: Nullable(DateTime),
  durationMs: Nullable(Type.Integer()),
  pauses: Type.Array(Type.Object({ fromMs: Type.Integer(), toMs: Type.Integer() }), {
    description: 'Spans recorded as silence (payment card capture).',
  }),
});

const Cdr = Type.Object({
  id: Uuid,
  callId: Type.String(),
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')], {
    description: "inbound: the caller's leg; outbound: the leg to the agent's phone.",
  }),
  fromAddress: Type.String(),
  toAddress: Type.String(),
  agentId: Nullable(Uuid),
  interactionId: Nullable(Uuid),
  recordingId: Nullable(Uuid),
  startedAt: DateTime,
  answeredAt: Nullable(DateTime),
  endedAt: DateTime,
  endCause: Type.String({
    description:
      'caller_hangup, agent_hangup, ivr_hangup, no_answer (reservation timed out or 408/480), cancelled (the caller left while the phone rang, or the answer came too late), rejected (the phone refused: 486, 603…), forced_release (a supervisor released the call), transferred (the agent transferred the caller), shutdown, busy / unreachable / callee_hangup (an external number through the trunk), call_ended (a supervisor’s leg: the call ended), connection_lost (the agent’s browser phone lost its connection and did not come back within webrtc.reconnectGraceSeconds; the caller went back to the queue)',
  }),
  role: Type.Union(
    [Type.Literal('caller'), Type.Literal('agent'), Type.Literal('consulted'), Type.Literal('supervisor')],
    {
      description:
        'Whose leg: the caller, the agent, a consulted agent (consult/conference) or a supervisor (listen/whisper/barge).',
    },
  ),
  sipStatus: Nullable(
    Type.Integer({
      description:
        "Final SIP status of the agent leg's INVITE (200, 486 busy, 487 after our CANCEL…); null for callers.",
    }),
  ),
});

const RecordingState = Type.Object({
  interactionId: Uuid,
  recording: Type.Boolean(),
  paused: Type.Boolean(),
});

/** `bytes=a-b`, `bytes=a-` or `bytes=-n`; null for anything else (the whole file is sent). */
function parseRange(
  header: string | undefined,
  size: () => number,
): { start: number; end: number | null } | null {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') return { start: Math.max(0, size() - Number(m[2])), end: null };
  return { start: Number(m[1]), end: m[2] === '' ? null : Number(m[2]) };
}

/**
 * Answers with a recording's WAV, whole (200) or the asked byte range (206); `load` reads the
 * bytes (and checks who may). Shared by the session-authenticated and the playback-ticket routes.
 */
export async function sendAudio(
  req: FastifyRequest,
  reply: FastifyReply,
  load: (range: { start: number; end: number | null } | null) => Promise<AudioPart>,
): Promise<FastifyReply> {
  // The size is only known after the look-up: a suffix range is resolved in two steps.
  const header = req.headers.range;
  const first = parseRange(header, () => Number.MAX_SAFE_INTEGER);
  const suffix = header !== undefined && /^bytes=-\d+$/.test(header.trim());
  let audio = await load(suffix ? null : first);
  if (suffix) {
    audio.stream.destroy();
    const known = audio.size;
    audio = await load(parseRange(header, () => known));
  }
  const partial = first !== null;
  reply
    .status(partial ? 206 : 200)
    .header('content-type', 'audio/wav')
    .header('accept-ranges', 'bytes')
    .header('content-length', String(audio.end - audio.start + 1));
  if (partial) reply.header('content-range', `bytes ${audio.start}-${audio.end}/${audio.size}`);
  return reply.send(audio.stream);
}

export function voiceRoutes(api: Api, { services, guard }: RouteContext): void {
  const { voice } = services;
  const tags = ['voice'];

  api.put(
    '/agents/:id/sip',
    {
      schema: {
        tags,
        summary: "Set the SIP credentials of an agent's phone (admins)",
        description:
          'The phone registers with these at the SIP port (digest auth, the realm shown); calls offered to the agent then ring it.',
        params: IdParams,
        body: SipAccountInput,
        response: { 200: SipAccount, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => voice.setSipAccount(principal(req), req.params.id, req.body),
  );
  api.get(
    '/agents/:id/sip',
    {
      schema: {
        tags,
        summary: "An agent's SIP user name (admins, or the agent)",
        params: IdParams,
        response: { 200: SipAccount, ...errors },
      },
      onRequest: guard(EVERYONE),
    },
    async (req) => voice.sipAccount(principal(req), req.params.id),
  );
  api.delete(
    '/agents/:id/sip',
    {
      schema: {
        tags,
        summary: "Remove an agent's SIP credentials",
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      await voice.removeSipAccount(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/interactions/:id/recordings',
    {
      schema: {
        tags,
        summary: "The interaction's call recordings (agents: their own interactions)",
        params: IdParams,
        response: { 200: Type.Array(Recording), ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req) => voice.recordings(principal(req), req.params.id),
  );
  api.get(
    '/interactions/:id/cdrs',
    {
      schema: {
        tags,
        summary: 'Call detail records of the interaction, one per leg',
        params: IdParams,
        response: { 200: Type.Array(Cdr), ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req) => voice.cdrs(principal(req), req.params.id),
  );
  api.get(
    '/recordings/:id/audio',
    {
      schema: {
        tags,
        summary: 'The recording as a stereo WAV (caller left, agent right); Range requests allowed',
        params: IdParams,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
          206: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
          ...errors,
        },
      },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req, reply) => sendAudio(req, reply, (range) => voice.audio(principal(req), req.params.id, range)),
  );
  api.get(
    '/interactions/:id/recording',
    {
      schema: {
        tags,
        summary: 'Whether the live call is being recorded now, and whether the recording is paused',
        params: IdParams,
        response: { 200: RecordingState, ...errors },
      },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req) => voice.recordingState(principal(req), req.params.id),
  );
  for (const [action, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    api.post(
      `/interactions/:id/recording/${action}`,
      {
        schema: {
          tags,
          summary:
            action === 'pause'
              ? 'Pause the call recording (payment card capture): silence is recorded and digits are not noted'
              : 'Resume the call recording',
          params: IdParams,
          response: { 200: RecordingState, ...errors },
        },
        onRequest: guard(EVERYONE, 'interactions:write'),
      },
      async (req) => voice.setRecordingPaused(principal(req), req.params.id, paused),
    );
  }
}
