// Telephony administration: recorded prompts (list, play, upload, revert) and the SIP trunks.
import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { ADMIN, STAFF, principal } from '../auth.js';
import { lit } from '../schemas.js';
import { PROMPT_LANGUAGES } from '../../services/telephony/prompts.js';
import { trunkRoutes } from './trunks.js';

/** Uploads are converted down to 8 kHz µ-law; a 5-minute 48 kHz stereo 24-bit source is ~86 MB. */
const PROMPT_BODY_LIMIT = 100 * 1024 * 1024;

const Prompt = Type.Object({
  language: lit(PROMPT_LANGUAGES),
  name: Type.String({ description: 'Prompt id as flows use it (`welcome`, `billing/intro`)' }),
  builtIn: Type.Boolean({ description: 'Shipped with Hotline' }),
  uploaded: Type.Boolean({ description: 'Replaced or added by an upload; calls play the upload' }),
});

const PromptParams = Type.Object({
  lang: lit(PROMPT_LANGUAGES),
  name: Type.String({ minLength: 1, maxLength: 300, description: 'Prompt id; a `/` in it is sent as %2F' }),
});

const Wav = {
  description: 'WAV audio',
  content: { 'audio/wav': { schema: { type: 'string', format: 'binary' } } },
};

/** Prompts and trunks for the admin console. */
export function telephonyAdminRoutes(api: Api, ctx: RouteContext): void {
  const { services } = ctx;
  const guard = ctx.guard;
  const { prompts } = services;
  const tags = ['ivr'];
  for (const type of ['audio/wav', 'audio/x-wav', 'audio/wave']) {
    api.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: PROMPT_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
  }
  api.get(
    '/prompts',
    {
      schema: {
        tags,
        summary: 'Recorded prompts of every language: built-in and uploaded',
        response: { 200: Type.Array(Prompt), ...errors },
      },
      onRequest: guard(STAFF),
    },
    async () => prompts.list(),
  );
  api.get(
    '/prompts/:lang/:name/audio',
    {
      schema: {
        tags,
        summary: 'The audio calls play for this prompt (the upload when there is one)',
        params: PromptParams,
        response: { 200: Wav, ...errors },
      },
      onRequest: guard(STAFF),
    },
    async (req, reply) => reply.type('audio/wav').send(await prompts.audio(req.params.lang, req.params.name)),
  );
  api.put(
    '/prompts/:lang/:name',
    {
      bodyLimit: PROMPT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Upload a prompt (any PCM WAV; stored as 8 kHz mono µ-law), replacing the built-in one',
        description:
          'Body: the WAV file with `Content-Type: audio/wav` — 8 to 32-bit PCM, float, A-law or µ-law, ' +
          '8–192 kHz, mono or stereo, at most 5 minutes. It is resampled (low-pass filtered) and mixed to ' +
          'mono. Calls that start playing the prompt afterwards hear the upload. Audited as `prompt.upload`.',
        params: PromptParams,
        // The WAV bytes arrive as a Buffer; the schema only documents them (no validation).
        consumes: ['audio/wav'],
        response: { 200: Prompt, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => prompts.upload(principal(req), req.params.lang, req.params.name, req.body as Buffer),
  );
  api.delete(
    '/prompts/:lang/:name',
    {
      schema: {
        tags,
        summary: 'Remove the uploaded prompt; the built-in one (if any) plays again',
        params: PromptParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      await prompts.revert(principal(req), req.params.lang, req.params.name);
      return reply.status(204).send(null);
    },
  );
  trunkRoutes(api, ctx);
}
