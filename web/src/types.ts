/** The API's shapes the web app reads (see /api/openapi.json for the full schemas). */

export type Role = 'admin' | 'supervisor' | 'agent';
export type AgentStateName = 'logged_out' | 'available' | 'not_ready' | 'reserved' | 'busy' | 'wrap_up';
export const CHANNELS = ['voice', 'chat', 'email', 'sms', 'callback', 'ticket'] as const;
export const STRATEGIES = [
  'longest_idle',
  'least_occupied',
  'highest_skill',
  'round_robin',
  'ring_all',
] as const;

export interface Session {
  token: string;
  user: { id: string; username: string; displayName: string; role: Role };
}

export interface Me {
  userId: string;
  username: string;
  role: Role;
  agentId: string | null;
  teamIds: string[];
}

export interface WorkItem {
  interactionId: string;
  channel: string;
  phase: string;
  reservationId?: string;
}

export interface AgentState {
  agentId: string;
  state: AgentStateName;
  presence: 'logged_out' | 'available' | 'not_ready';
  reason: string | null;
  pendingLogout: boolean;
  since: string | null;
  work: WorkItem[];
}

export interface Agent {
  id: string;
  userId: string;
  username: string;
  displayName: string;
  teamId: string | null;
  skills: Record<string, number>;
  capacity: Record<string, number>;
  exclusiveChannels: string[];
}

export interface Interaction {
  id: string;
  seq: number;
  channel: string;
  direction: string;
  customerId: string | null;
  queueId: string | null;
  priority: number;
  vip: boolean;
  status: string;
  outcome: string | null;
  agentId: string | null;
  subject: string | null;
  fromAddress: string | null;
  wrapUpCode: string | null;
  wrapUpNotes: string | null;
  createdAt: string;
  queuedAt: string | null;
  acceptedAt: string | null;
  endedAt: string | null;
}

export interface Customer {
  id: string;
  name: string;
  phones: string[];
  emails: string[];
  vip: boolean;
  blacklisted: boolean;
  tags: string[];
}

export interface ReasonCode {
  id: string;
  kind: 'not_ready' | 'wrap_up';
  code: string;
  label: string;
}

export interface Team {
  id: string;
  name: string;
  supervisorIds: string[];
}

export interface Skill {
  id: string;
  name: string;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
}

export type OverflowRule =
  | { afterSec: number; action: 'widen'; lowerMinLevelBy?: number; dropSkills?: string[] }
  | { afterSec: number; action: 'move'; toQueueId: string };

export interface BusinessHours {
  timeZone: string;
  weekly: Partial<Record<string, { from: string; to: string }[]>>;
  holidays: string[];
}

export interface Queue {
  id: string;
  name: string;
  requirements: { skillId: string; minLevel: number }[];
  priority: number;
  strategy: string;
  reservationTimeoutSec: number;
  wrapUpSec: number;
  maxWaitSec: number | null;
  overflow: OverflowRule[];
  stickySec: number;
  slThresholdSec: number;
  slTargetPct: number;
  businessHours: BusinessHours | null;
}

export interface QueueStats {
  queueId: string;
  waiting: number;
  oldestArrivedAt: number | null;
  longestWaitSec: number;
  answered: number;
  answeredWithinThreshold: number;
  abandoned: number;
  serviceLevelPct: number | null;
  agents: Record<string, number>;
}

export interface Waiting {
  interactionId: string;
  arrivedAt: number;
  priority: number;
  seq: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorType: string;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

/** A message on /api/events. */
export interface StreamEvent {
  id?: number;
  type: string;
  at?: number;
  data?: unknown;
}
