/** Records the services read and write through the store ports. Times are Date objects. */
import type { Channel, OverflowRule, Strategy } from '../domain/routing/types.js';
import type { BusinessHours } from '../domain/calendar/business-hours.js';
import type { SegmentStatus, SmsStatus, SmsType } from '../domain/sms/lifecycle.js';
import type { CampaignState } from '../domain/sms/campaign.js';

export type Role = 'admin' | 'supervisor' | 'agent';
export const ROLES: readonly Role[] = ['admin', 'supervisor', 'agent'];

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  createdAt: Date;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  keyHash: string;
  scopes: string[];
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  /** Request limits per key (null = none); enforced in memory by ApiKeyRateLimiter. */
  ratePerSecond: number | null;
  ratePerMinute: number | null;
}

export interface AuditEntry {
  id: number;
  at: Date;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

export interface TeamRecord {
  id: string;
  name: string;
  supervisorIds: string[];
  createdAt: Date;
}

export interface SkillRecord {
  id: string;
  name: string;
  createdAt: Date;
}

export interface AgentRecord {
  id: string;
  userId: string;
  username: string;
  displayName: string;
  teamId: string | null;
  /** skillId → level 1..10 */
  skills: Record<string, number>;
  capacity: Partial<Record<Channel, number>>;
  exclusiveChannels: Channel[];
  presence: 'logged_out' | 'available' | 'not_ready';
  presenceReason: string | null;
  createdAt: Date;
}

export interface QueueRecord {
  id: string;
  name: string;
  requirements: { skillId: string; minLevel: number }[];
  priority: number;
  strategy: Strategy;
  reservationTimeoutSec: number;
  wrapUpSec: number;
  maxWaitSec: number | null;
  overflow: OverflowRule[];
  stickySec: number;
  slThresholdSec: number;
  slTargetPct: number;
  businessHours: BusinessHours | null;
  createdAt: Date;
}

export type ReasonKind = 'not_ready' | 'wrap_up';

export interface ReasonCodeRecord {
  id: string;
  kind: ReasonKind;
  code: string;
  label: string;
}

export interface CustomerRecord {
  id: string;
  name: string;
  phones: string[];
  emails: string[];
  vip: boolean;
  blacklisted: boolean;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
}

export type InteractionStatus = 'queued' | 'offered' | 'active' | 'wrap_up' | 'ended';
export type InteractionOutcome = 'completed' | 'abandoned' | 'interrupted' | 'max_wait_exceeded' | 'removed';
export type Direction = 'inbound' | 'outbound';

export interface InteractionRecord {
  id: string;
  seq: number;
  channel: Channel;
  direction: Direction;
  customerId: string | null;
  queueId: string | null;
  priority: number;
  vip: boolean;
  status: InteractionStatus;
  outcome: InteractionOutcome | null;
  agentId: string | null;
  subject: string | null;
  fromAddress: string | null;
  metadata: Record<string, unknown>;
  wrapUpCode: string | null;
  wrapUpNotes: string | null;
  idempotencyKey: string | null;
  createdAt: Date;
  queuedAt: Date | null;
  offeredAt: Date | null;
  acceptedAt: Date | null;
  endedAt: Date | null;
  wrapUpEndedAt: Date | null;
}

export interface InteractionEventRecord {
  id: number;
  interactionId: string;
  at: Date;
  type: string;
  agentId: string | null;
  details: Record<string, unknown> | null;
}

export interface AgentStateRecord {
  agentId: string;
  at: Date;
  state: string;
  previous: string;
  reason: string | null;
  cause: string;
}

export interface SmsMessageRecord {
  id: string;
  sender: string;
  recipient: string;
  body: string;
  encoding: 'gsm7' | 'ucs2';
  segments: number;
  type: SmsType;
  priority: number;
  status: SmsStatus;
  errorCode: number | null;
  concatRef: number | null;
  idempotencyKey: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  nextAttemptAt: Date | null;
  submittedAt: Date | null;
  doneAt: Date | null;
  /** The account charged; null only for messages stored before accounts existed. */
  accountId: string | null;
  /** segments × price at acceptance, in minor units. */
  costMinor: number;
  sendAt: Date | null;
  validUntil: Date | null;
  campaignId: string | null;
}

export type { CampaignState };

export interface SmsCampaignRecord {
  id: string;
  name: string;
  template: string;
  type: SmsType;
  sender: string;
  encoding: 'auto' | 'gsm7' | 'ucs2';
  throttlePerSec: number | null;
  state: CampaignState;
  audience: Record<string, unknown>;
  total: number;
  rejected: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** The fields of a message that sending changes: what the dispatcher reads and writes back. */
export type SmsMessageState = Pick<
  SmsMessageRecord,
  'id' | 'status' | 'errorCode' | 'segments' | 'updatedAt' | 'nextAttemptAt' | 'submittedAt' | 'doneAt'
>;

export interface SmsSegmentRecord {
  messageId: string;
  seq: number;
  status: SegmentStatus;
  smscMessageKey: string | null;
  smscMessageId: string | null;
  errorCode: number | null;
  submittedAt: Date | null;
  doneAt: Date | null;
  /** The SMS route (SMSC connection) it went through; null before it left. */
  route?: string | null;
}

export interface SmsEventRecord {
  id: number;
  messageId: string;
  at: Date;
  type: string;
  details: Record<string, unknown> | null;
}

/** The SIP credentials of an agent's phone (HA1 only). */
export interface SipAccountRecord {
  agentId: string;
  username: string;
  realm: string;
  ha1: string;
  updatedAt: Date;
}

/** A call recording file and what is known about it. */
export interface RecordingRecord {
  id: string;
  interactionId: string;
  filePath: string;
  startedAt: Date;
  endedAt: Date | null;
  durationMs: number | null;
  pauses: { fromMs: number; toMs: number }[];
}

/** How a call leg ended. */
export type CdrEndCause =
  | 'caller_hangup'
  | 'agent_hangup'
  | 'ivr_hangup'
  | 'no_answer'
  | 'cancelled'
  | 'rejected'
  /** The agent's leg ended because the agent transferred the caller elsewhere. */
  | 'transferred'
  /** Hotline was stopped with the call up. */
  | 'shutdown'
  /** A supervisor or admin hung up both legs (POST /api/interactions/{id}/release). */
  | 'forced_release'
  /** An external number (through the trunk) was busy (486, 600). */
  | 'busy'
  /** The trunk could not be reached or answered 5xx. */
  | 'unreachable'
  /** The external party (through the trunk) hung up. */
  | 'callee_hangup'
  /** A supervisor's leg: the call it was mixed into ended. */
  | 'call_ended'
  /** The agent's browser phone lost its connection and did not come back within the grace period. */
  | 'connection_lost';

/** Whose leg a CDR is. */
export type CdrRole = 'caller' | 'agent' | 'consulted' | 'supervisor';

/** A call detail record: one leg of a call. */
export interface CdrRecord {
  id: string;
  callId: string;
  direction: 'inbound' | 'outbound';
  fromAddress: string;
  toAddress: string;
  agentId: string | null;
  interactionId: string | null;
  recordingId: string | null;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date;
  endCause: CdrEndCause;
  /** Final SIP status of the agent leg's INVITE; null for the caller's leg. */
  sipStatus: number | null;
  /** Whose leg; when left out, caller for inbound and agent for outbound legs. */
  role?: CdrRole;
}
