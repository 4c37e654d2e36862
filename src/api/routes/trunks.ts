// SIP trunks over the API: the configuration's (read-only) and the console's (create, replace,
// delete). Every change applies to calls at once and is audited; passwords are write-only.
import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { ADMIN, principal } from '../auth.js';
import { DateTime, Nullable, lit } from '../schemas.js';

const Transport = lit(['udp', 'tcp'] as const);

const Trunk = Type.Object({
  name: Type.String(),
  origin: lit(['config', 'console'] as const),
  sources: Type.Array(Type.String(), { description: 'Addresses or CIDR ranges its INVITEs come from' }),
  dids: Type.Array(Type.String(), { description: 'Numbers it may call; "*" for any' }),
  outboundProxy: Nullable(Type.String({ description: 'host[:port] of the carrier; null: inbound only' })),
  transport: Transport,
  domain: Nullable(Type.String()),
  username: Nullable(Type.String()),
  passwordSet: Type.Boolean({ description: 'Whether a password is stored; the password is never returned' }),
  registerExpires: Type.Integer({ description: '0: trusted by address only' }),
  callerId: Nullable(Type.String()),
  active: Type.Boolean({ description: 'False when a configuration trunk of the same name is used instead' }),
  outbound: Type.Boolean({ description: 'Calls out go through this trunk now (see GET /outbound-trunk)' }),
  problem: Nullable(Type.String()),
  health: Type.Object({
    reachable: Nullable(Type.Boolean({ description: 'Last OPTIONS ping answered; null: not pinged' })),
    detail: Nullable(Type.String()),
    registration: Nullable(lit(['idle', 'registered', 'failed'] as const)),
  }),
  createdAt: Nullable(DateTime),
  updatedAt: Nullable(DateTime),
});

const fields = {
  sources: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
    minItems: 1,
    maxItems: 100,
    description: 'IPv4/IPv6 addresses or CIDR ranges allowed to send INVITEs without authentication',
  }),
  dids: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
    minItems: 1,
    maxItems: 1000,
    description: 'Numbers these sources may call (digits, optional "+"); "*" for any',
  }),
  outboundProxy: Type.Optional(Nullable(Type.String({ maxLength: 300, description: 'host[:port]' }))),
  transport: Type.Optional(Transport),
  domain: Type.Optional(Nullable(Type.String({ maxLength: 253 }))),
  username: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  password: Type.Optional(
    Nullable(
      Type.String({
        maxLength: 200,
        description: 'Write-only. On update: leave out to keep the stored one, null or "" to clear it',
      }),
    ),
  ),
  registerExpires: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400, default: 0 })),
  callerId: Type.Optional(Nullable(Type.String({ maxLength: 21 }))),
};

const TrunkCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 63 }), ...fields },
  { additionalProperties: false },
);
const TrunkUpdate = Type.Object(
  { name: Type.Optional(Type.String({ maxLength: 63 })), ...fields },
  { additionalProperties: false },
);
const OutboundTrunk = Type.Object({
  inForce: Nullable(Type.String({ description: 'The trunk calls go out through now; null: none can' })),
  /** Why: chosen in the console, voice.outboundTrunk of the configuration, or the first with a proxy. */
  source: Nullable(lit(['console', 'config', 'first'] as const)),
  chosen: Nullable(Type.String({ description: 'The console’s choice; null: the configuration decides' })),
  configured: Nullable(Type.String({ description: 'voice.outboundTrunk of the configuration file' })),
  problem: Nullable(Type.String({ description: 'Set when the console’s choice is skipped (trunk gone)' })),
});
const OutboundChoice = Type.Object(
  {
    trunk: Nullable(
      Type.String({
        maxLength: 63,
        description:
          'A console or configuration trunk with an outbound proxy; null: back to the configuration',
      }),
    ),
  },
  { additionalProperties: false },
);

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });

/** GET/POST/PUT/DELETE /trunks (admins). */
export function trunkRoutes(api: Api, { services, guard }: RouteContext): void {
  const { trunks } = services;
  const tags = ['voice'];
  api.get(
    '/trunks',
    {
      schema: {
        tags,
        summary: 'SIP trunks: the configuration file’s (read-only) and the console’s, with their health',
        response: { 200: Type.Array(Trunk), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    () => Promise.resolve(trunks.list()),
  );
  api.get(
    '/outbound-trunk',
    {
      schema: {
        tags,
        summary: 'Which trunk carries calls out now, and why',
        description:
          'The rule: the trunk chosen in the console (PUT) wins; without a choice, voice.outboundTrunk of ' +
          'the configuration; without that, the first trunk with an outbound proxy.',
        response: { 200: OutboundTrunk, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    () => Promise.resolve(trunks.outboundState()),
  );
  api.put(
    '/outbound-trunk',
    {
      schema: {
        tags,
        summary: 'Choose the trunk calls out go through (no restart); null returns to the configuration',
        description:
          'Dial-out, click-to-call, consult and transfer to a number and the IVR’s transfer node use it from ' +
          'the next call. A trunk without an outbound proxy is `TRUNK_OUTBOUND_NO_PROXY`, one without a ' +
          'caller ID (its own or voice.callerId) `TRUNK_OUTBOUND_NO_CALLER_ID`, an unknown one ' +
          '`TRUNK_NOT_FOUND`, all with `details.path` `/trunk`. Audited as `sip_trunk.outbound`.',
        body: OutboundChoice,
        response: { 200: OutboundTrunk, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => trunks.chooseOutbound(principal(req), req.body.trunk),
  );
  api.get(
    '/trunks/:name',
    {
      schema: { tags, summary: 'One SIP trunk', params: NameParams, response: { 200: Trunk, ...errors } },
      onRequest: guard(ADMIN),
    },
    (req) => Promise.resolve(trunks.get(req.params.name)),
  );
  api.post(
    '/trunks',
    {
      schema: {
        tags,
        summary: 'Add a SIP trunk; the next INVITE, call out and ping use it (no restart)',
        description:
          'Names are unique across console and configuration trunks (`TRUNK_NAME_TAKEN`). ' +
          'Bad sources are `TRUNK_SOURCE_INVALID`, a bad proxy `TRUNK_PROXY_INVALID`, other fields ' +
          '`VALIDATION_FAILED` with `details.path`. Audited as `sip_trunk.create`.',
        body: TrunkCreate,
        response: { 201: Trunk, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => reply.status(201).send(await trunks.create(principal(req), req.body)),
  );
  api.put(
    '/trunks/:name',
    {
      schema: {
        tags,
        summary: 'Replace a console trunk’s settings (a configuration trunk is `TRUNK_READ_ONLY`)',
        description: 'Leave `password` out to keep the stored one. Audited as `sip_trunk.update`.',
        params: NameParams,
        body: TrunkUpdate,
        response: { 200: Trunk, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => trunks.update(principal(req), req.params.name, req.body),
  );
  api.delete(
    '/trunks/:name',
    {
      schema: {
        tags,
        summary: 'Delete a console trunk; its sources are refused from the next INVITE on',
        description:
          'With no trunk left at all, every source is admitted again (see README, Trunks). ' +
          'The trunk chosen for calls out is `TRUNK_IS_OUTBOUND` until another is chosen. ' +
          'Audited as `sip_trunk.delete`.',
        params: NameParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      await trunks.remove(principal(req), req.params.name);
      return reply.status(204).send(null);
    },
  );
}
