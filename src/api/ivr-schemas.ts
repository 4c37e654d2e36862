/** Request and response schemas of the IVR administration (flows, dialed numbers). */
import { Type } from '@sinclair/typebox';
import { BusinessHours, DateTime, Nullable, Uuid, lit } from './schemas.js';

/** A flow document: checked by the IVR validator (docs/ivr.md), not by the schema, for exact paths. */
const FlowDocument = Type.Record(Type.String(), Type.Unknown(), {
  description: 'The IVR flow document (docs/ivr.md)',
});
const Problem = Type.Object({ path: Type.String(), message: Type.String() });

export const IvrFlowWrite = Type.Object(
  {
    document: FlowDocument,
    /** Publish the new version at once (default true); false keeps it as a draft. */
    publish: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

export const IvrFlowSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  publishedVersion: Nullable(Type.Integer()),
  latestVersion: Type.Integer(),
  createdBy: Nullable(Type.String()),
  createdAt: DateTime,
  archivedAt: Nullable(DateTime),
});

export const IvrFlow = Type.Composite([
  IvrFlowSummary,
  Type.Object({
    versions: Type.Array(
      Type.Object({ version: Type.Integer(), createdBy: Nullable(Type.String()), createdAt: DateTime }),
    ),
    /** The published version's document. */
    document: Nullable(FlowDocument),
    warnings: Type.Array(Problem),
  }),
]);

export const IvrFlowVersion = Type.Object({
  flowId: Uuid,
  version: Type.Integer(),
  document: FlowDocument,
  createdBy: Nullable(Type.String()),
  createdAt: DateTime,
});

export const VersionParams = Type.Object({ id: Uuid, version: Type.Integer({ minimum: 1 }) });

const FlowOverride = Type.Object(
  {
    when: lit(['open', 'closed', 'holiday'] as const),
    hours: BusinessHours,
    flowId: Uuid,
  },
  { additionalProperties: false },
);

export const IvrNumberWrite = Type.Object(
  {
    dnis: Type.String({ minLength: 1, maxLength: 40, description: 'E.164, a short number, or "*"' }),
    flowId: Uuid,
    overrides: Type.Optional(Type.Array(FlowOverride, { maxItems: 20 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);

export const IvrNumber = Type.Object({
  id: Uuid,
  dnis: Type.String(),
  flowId: Uuid,
  overrides: Type.Array(FlowOverride),
  description: Nullable(Type.String()),
  createdAt: DateTime,
});
