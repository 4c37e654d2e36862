import { Type } from '@sinclair/typebox';
import type { Api, RouteContext } from './context.js';
import { errors } from './context.js';
import { ADMIN, EVERYONE, STAFF, principal } from '../auth.js';
import { IdParams } from '../schemas.js';
import {
  IvrFlow,
  IvrFlowSummary,
  IvrFlowVersion,
  IvrFlowWrite,
  IvrNumber,
  IvrNumberWrite,
  VersionParams,
} from '../ivr-schemas.js';

/** IVR flows with versions, and the dialed numbers that choose them. */
export function ivrRoutes(api: Api, { services, guard }: RouteContext): void {
  const { ivrFlows, ivrNumbers, voicemail } = services;
  const tags = ['ivr'];
  api.get(
    '/ivr/flows',
    {
      schema: {
        tags,
        summary: 'IVR flows (archived ones with ?archived=true)',
        querystring: Type.Object({ archived: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Array(IvrFlowSummary), ...errors },
      },
      onRequest: guard(STAFF),
    },
    async (req) => ivrFlows.list(req.query.archived ?? false),
  );
  api.post(
    '/ivr/flows',
    {
      schema: {
        tags,
        summary: 'Create a flow from a document (version 1, published unless publish is false)',
        body: IvrFlowWrite,
        response: { 201: IvrFlow, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) =>
      reply.status(201).send(await ivrFlows.create(principal(req), req.body.document, req.body.publish)),
  );
  api.get(
    '/ivr/flows/:id',
    {
      schema: {
        tags,
        summary: 'A flow, its versions and the published document',
        params: IdParams,
        response: { 200: IvrFlow, ...errors },
      },
      onRequest: guard(STAFF),
    },
    async (req) => ivrFlows.get(req.params.id),
  );
  api.post(
    '/ivr/flows/:id/versions',
    {
      schema: {
        tags,
        summary: 'Write a new version (published unless publish is false); calls in progress keep theirs',
        params: IdParams,
        body: IvrFlowWrite,
        response: { 201: IvrFlow, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await ivrFlows.addVersion(principal(req), req.params.id, req.body.document, req.body.publish)),
  );
  api.put(
    '/ivr/flows/:id',
    {
      schema: {
        tags,
        summary: 'Same as POST /ivr/flows/{id}/versions: a new version of the document',
        params: IdParams,
        body: IvrFlowWrite,
        response: { 200: IvrFlow, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => ivrFlows.addVersion(principal(req), req.params.id, req.body.document, req.body.publish),
  );
  api.get(
    '/ivr/flows/:id/versions/:version',
    {
      schema: {
        tags,
        summary: 'One version of a flow with its document',
        params: VersionParams,
        response: { 200: IvrFlowVersion, ...errors },
      },
      onRequest: guard(STAFF),
    },
    async (req) => ivrFlows.version(req.params.id, req.params.version),
  );
  api.post(
    '/ivr/flows/:id/versions/:version/publish',
    {
      schema: {
        tags,
        summary: 'Make this version the one new calls run (also to roll back)',
        params: VersionParams,
        response: { 200: IvrFlow, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => ivrFlows.publish(principal(req), req.params.id, req.params.version),
  );
  api.delete(
    '/ivr/flows/:id',
    {
      schema: {
        tags,
        summary: 'Archive a flow no number uses (its versions stay readable)',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      await ivrFlows.archive(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/ivr/numbers',
    {
      schema: {
        tags,
        summary: 'Dialed numbers and their flows',
        response: { 200: Type.Array(IvrNumber), ...errors },
      },
      onRequest: guard(STAFF),
    },
    async () => ivrNumbers.list(),
  );
  api.post(
    '/ivr/numbers',
    {
      schema: {
        tags,
        summary: 'Bind a dialed number (or "*") to a flow, with overrides by business hours',
        body: IvrNumberWrite,
        response: { 201: IvrNumber, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => reply.status(201).send(await ivrNumbers.create(principal(req), req.body)),
  );
  api.get(
    '/ivr/numbers/:id',
    {
      schema: { tags, params: IdParams, response: { 200: IvrNumber, ...errors } },
      onRequest: guard(STAFF),
    },
    async (req) => ivrNumbers.get(req.params.id),
  );
  api.put(
    '/ivr/numbers/:id',
    {
      schema: {
        tags,
        summary: 'Replace a binding',
        params: IdParams,
        body: IvrNumberWrite,
        response: { 200: IvrNumber, ...errors },
      },
      onRequest: guard(ADMIN),
    },
    async (req) => ivrNumbers.update(principal(req), req.params.id, req.body),
  );
  api.delete(
    '/ivr/numbers/:id',
    {
      schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errors } },
      onRequest: guard(ADMIN),
    },
    async (req, reply) => {
      await ivrNumbers.remove(principal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  api.get(
    '/interactions/:id/voicemail',
    {
      schema: {
        tags: ['interactions'],
        summary: "The caller's message of a voicemail interaction (WAV, 8 kHz mono)",
        params: IdParams,
        response: {
          200: {
            description: 'WAV audio',
            content: { 'audio/wav': { schema: { type: 'string', format: 'binary' } } },
          },
          ...errors,
        },
      },
      onRequest: guard(EVERYONE, 'interactions:read'),
    },
    async (req, reply) => reply.type('audio/wav').send(await voicemail.audio(principal(req), req.params.id)),
  );
}
