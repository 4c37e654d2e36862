/** Request and response schemas (TypeBox → JSON Schema → OpenAPI). */
import { Type, type TSchema } from '@sinclair/typebox';
import { CHANNELS, STRATEGIES } from '../domain/routing/types.js';
import { ROLES } from '../services/records.js';
import { WEEKDAYS } from '../domain/calendar/business-hours.js';

/** A string enum from a list of literals. */
export const lit = <T extends string>(xs: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...xs] });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Uuid = Type.String({ format: 'uuid' });
/** Dates go out as ISO 8601 strings (records hold Date objects). */
export const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });
export const IdParams = Type.Object({ id: Uuid });
export const Channel = lit(CHANNELS);
export const Role = lit(ROLES);
export const Name = Type.String({ minLength: 1, maxLength: 200 });

export const User = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  disabled: Type.Boolean(),
  createdAt: DateTime,
});

export const Team = Type.Object({
  id: Uuid,
  name: Type.String(),
  supervisorIds: Type.Array(Uuid),
  createdAt: DateTime,
});
export const Skill = Type.Object({ id: Uuid, name: Type.String(), createdAt: DateTime });
export const ReasonCode = Type.Object({
  id: Uuid,
  kind: lit(['not_ready', 'wrap_up'] as const),
  code: Type.String(),
  label: Type.String(),
});

const SkillLevels = Type.Record(Type.String({ format: 'uuid' }), Type.Integer({ minimum: 1, maximum: 10 }));
const Capacity = Type.Partial(
  Type.Object(Object.fromEntries(CHANNELS.map((c) => [c, Type.Integer({ minimum: 0, maximum: 100 })]))),
  { additionalProperties: false },
);

export const AgentSettings = Type.Object(
  {
    teamId: Type.Optional(Nullable(Uuid)),
    skills: Type.Optional(SkillLevels),
    capacity: Type.Optional(Capacity),
    exclusiveChannels: Type.Optional(Type.Array(Channel, { uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const Agent = Type.Object({
  id: Uuid,
  userId: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  teamId: Nullable(Uuid),
  skills: Type.Record(Type.String(), Type.Integer()),
  capacity: Type.Record(Type.String(), Type.Integer()),
  exclusiveChannels: Type.Array(Type.String()),
  createdAt: DateTime,
});

export const AgentState = Type.Object({
  agentId: Uuid,
  state: lit(['logged_out', 'available', 'not_ready', 'reserved', 'busy', 'wrap_up'] as const),
  presence: lit(['logged_out', 'available', 'not_ready'] as const),
  reason: Nullable(Type.String()),
  pendingLogout: Type.Boolean(),
  /** When the agent entered this state; null when not known since the server started. */
  since: Nullable(DateTime),
  work: Type.Array(
    Type.Object({
      interactionId: Uuid,
      channel: Type.String(),
      phase: Type.String(),
      reservationId: Type.Optional(Type.String()),
    }),
  ),
});

const TimeRange = Type.Object({ from: Type.String(), to: Type.String() }, { additionalProperties: false });
export const BusinessHours = Type.Object(
  {
    timeZone: Type.String({ minLength: 1 }),
    weekly: Type.Partial(Type.Object(Object.fromEntries(WEEKDAYS.map((d) => [d, Type.Array(TimeRange)]))), {
      additionalProperties: false,
    }),
    holidays: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

export const OverflowRule = Type.Union([
  Type.Object(
    {
      afterSec: Type.Integer({ minimum: 1 }),
      action: Type.Literal('widen'),
      lowerMinLevelBy: Type.Optional(Type.Integer({ minimum: 1, maximum: 9 })),
      dropSkills: Type.Optional(Type.Array(Uuid)),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { afterSec: Type.Integer({ minimum: 1 }), action: Type.Literal('move'), toQueueId: Uuid },
    { additionalProperties: false },
  ),
]);

const queueFields = {
  name: Name,
  requirements: Type.Array(
    Type.Object(
      { skillId: Uuid, minLevel: Type.Integer({ minimum: 1, maximum: 10 }) },
      { additionalProperties: false },
    ),
  ),
  priority: Type.Integer({ minimum: -100, maximum: 100 }),
  strategy: lit(STRATEGIES),
  reservationTimeoutSec: Type.Integer({ minimum: 1, maximum: 600 }),
  wrapUpSec: Type.Integer({ minimum: 0, maximum: 3600 }),
  maxWaitSec: Nullable(Type.Integer({ minimum: 1 })),
  overflow: Type.Array(OverflowRule, { maxItems: 20 }),
  stickySec: Type.Integer({ minimum: 0, maximum: 3600 }),
  slThresholdSec: Type.Integer({ minimum: 1, maximum: 3600 }),
  slTargetPct: Type.Integer({ minimum: 1, maximum: 100 }),
  businessHours: Nullable(BusinessHours),
};
export const QueueCreate = Type.Composite(
  [Type.Object({ name: Name }), Type.Partial(Type.Omit(Type.Object(queueFields), ['name']))],
  { additionalProperties: false },
);
export const QueueUpdate = Type.Partial(Type.Object(queueFields), { additionalProperties: false });
export const Queue = Type.Object({ id: Uuid, ...queueFields, createdAt: DateTime });

export const QueueStats = Type.Object({
  queueId: Uuid,
  waiting: Type.Integer(),
  oldestArrivedAt: Nullable(Type.Number()),
  longestWaitSec: Type.Number(),
  answered: Type.Integer(),
  answeredWithinThreshold: Type.Integer(),
  abandoned: Type.Integer(),
  serviceLevelPct: Nullable(Type.Number()),
  agents: Type.Record(Type.String(), Type.Integer()),
});

export const CustomerInput = Type.Object(
  {
    name: Name,
    phones: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
    emails: Type.Optional(Type.Array(Type.String({ format: 'email', maxLength: 254 }), { maxItems: 20 })),
    vip: Type.Optional(Type.Boolean()),
    blacklisted: Type.Optional(Type.Boolean()),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export const Customer = Type.Object({
  id: Uuid,
  name: Type.String(),
  phones: Type.Array(Type.String()),
  emails: Type.Array(Type.String()),
  vip: Type.Boolean(),
  blacklisted: Type.Boolean(),
  tags: Type.Array(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const Interaction = Type.Object({
  id: Uuid,
  seq: Type.Integer(),
  channel: Type.String(),
  direction: Type.String(),
  customerId: Nullable(Uuid),
  queueId: Nullable(Uuid),
  priority: Type.Integer(),
  vip: Type.Boolean(),
  status: Type.String(),
  outcome: Nullable(Type.String()),
  agentId: Nullable(Uuid),
  subject: Nullable(Type.String()),
  fromAddress: Nullable(Type.String()),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  wrapUpCode: Nullable(Type.String()),
  wrapUpNotes: Nullable(Type.String()),
  idempotencyKey: Nullable(Type.String()),
  createdAt: DateTime,
  queuedAt: Nullable(DateTime),
  offeredAt: Nullable(DateTime),
  acceptedAt: Nullable(DateTime),
  endedAt: Nullable(DateTime),
  wrapUpEndedAt: Nullable(DateTime),
});

export const InteractionCreate = Type.Object(
  {
    channel: Channel,
    queueId: Uuid,
    direction: Type.Optional(lit(['inbound', 'outbound'] as const)),
    customerId: Type.Optional(Uuid),
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    subject: Type.Optional(Type.String({ maxLength: 500 })),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const InteractionEvent = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  type: Type.String(),
  agentId: Nullable(Uuid),
  details: Nullable(Type.Record(Type.String(), Type.Unknown())),
});

export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

export const Ok = Type.Object({ ok: Type.Boolean() });
