/**
 * Ports: what the services need from the outside world. Adapters implement them; only main.ts
 * wires adapters to services.
 */
import type { SegmentStatus, SmsType } from '../domain/sms/lifecycle.js';
import type {
  AgentRecord,
  AgentStateRecord,
  ApiKeyRecord,
  AuditEntry,
  CdrRecord,
  CustomerRecord,
  InteractionEventRecord,
  InteractionRecord,
  QueueRecord,
  ReasonCodeRecord,
  ReasonKind,
  RecordingRecord,
  SipAccountRecord,
  SkillRecord,
  SmsEventRecord,
  SmsCampaignRecord,
  SmsMessageRecord,
  SmsMessageState,
  SmsSegmentRecord,
  TeamRecord,
  UserRecord,
} from './records.js';
import type { SmsBillingRepo } from './sms/billing-ports.js';
import type { IvrFlowRepo, IvrNumberRepo, VoicemailRepo } from './ivr/ports.js';
import type { SipTrunkRepo } from './telephony/sip-trunks.js';
import type { CallHistoryRepo } from './calls/call-history.js';

export interface Clock {
  now(): number;
}

export interface UserRepo {
  insert(u: UserRecord): Promise<void>;
  byId(id: string): Promise<UserRecord | undefined>;
  byUsername(username: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  update(id: string, patch: Partial<Omit<UserRecord, 'id' | 'createdAt'>>): Promise<void>;
  count(): Promise<number>;
}

export interface SessionRepo {
  insert(s: { tokenHash: string; userId: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  find(tokenHash: string): Promise<{ userId: string; expiresAt: Date } | undefined>;
  delete(tokenHash: string): Promise<void>;
  deleteForUser(userId: string): Promise<void>;
}

export interface ApiKeyRepo {
  insert(k: ApiKeyRecord): Promise<void>;
  byHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: string, at: Date): Promise<boolean>;
  byId(id: string): Promise<ApiKeyRecord | undefined>;
  setRateLimits(id: string, limits: Pick<ApiKeyRecord, 'ratePerSecond' | 'ratePerMinute'>): Promise<boolean>;
}

export interface AuditRepo {
  append(e: Omit<AuditEntry, 'id'>): Promise<void>;
  list(q: { limit: number; beforeId?: number; action?: string; actorId?: string }): Promise<AuditEntry[]>;
}

export interface TeamRepo {
  insert(t: Omit<TeamRecord, 'supervisorIds'>): Promise<void>;
  list(): Promise<TeamRecord[]>;
  byId(id: string): Promise<TeamRecord | undefined>;
  rename(id: string, name: string): Promise<void>;
  delete(id: string): Promise<boolean>;
  setSupervisors(teamId: string, userIds: string[]): Promise<void>;
  supervisedBy(userId: string): Promise<string[]>;
}

export interface SkillRepo {
  insert(s: SkillRecord): Promise<void>;
  list(): Promise<SkillRecord[]>;
  delete(id: string): Promise<boolean>;
}

export interface AgentRepo {
  insert(a: Omit<AgentRecord, 'username' | 'displayName'>): Promise<void>;
  byId(id: string): Promise<AgentRecord | undefined>;
  byUserId(userId: string): Promise<AgentRecord | undefined>;
  list(): Promise<AgentRecord[]>;
  update(
    id: string,
    patch: Partial<Pick<AgentRecord, 'teamId' | 'capacity' | 'exclusiveChannels' | 'skills'>>,
  ): Promise<void>;
  setPresence(id: string, presence: AgentRecord['presence'], reason: string | null): Promise<void>;
  delete(id: string): Promise<boolean>;
}

export interface QueueRepo {
  insert(q: QueueRecord): Promise<void>;
  byId(id: string): Promise<QueueRecord | undefined>;
  list(): Promise<QueueRecord[]>;
  update(id: string, patch: Partial<Omit<QueueRecord, 'id' | 'createdAt'>>): Promise<void>;
  delete(id: string): Promise<boolean>;
}

export interface ReasonCodeRepo {
  insert(r: ReasonCodeRecord): Promise<void>;
  list(kind?: ReasonKind): Promise<ReasonCodeRecord[]>;
  find(kind: ReasonKind, code: string): Promise<ReasonCodeRecord | undefined>;
  delete(id: string): Promise<boolean>;
}

export interface CustomerQuery {
  q?: string;
  tag?: string;
  vip?: boolean;
  blacklisted?: boolean;
  limit: number;
  offset: number;
}

export interface CustomerRepo {
  insert(c: CustomerRecord): Promise<void>;
  byId(id: string): Promise<CustomerRecord | undefined>;
  byPhone(e164: string): Promise<CustomerRecord | undefined>;
  /** Which of these numbers already belong to someone other than `exceptCustomerId`. */
  phonesTaken(numbers: string[], exceptCustomerId: string | null): Promise<string[]>;
  update(c: CustomerRecord): Promise<void>;
  search(q: CustomerQuery): Promise<CustomerRecord[]>;
  delete(id: string): Promise<boolean>;
}

export interface InteractionQuery {
  customerId?: string;
  agentId?: string;
  queueId?: string;
  status?: string;
  agentIds?: string[];
  limit: number;
  offset: number;
}

export interface InteractionRepo {
  insert(i: Omit<InteractionRecord, 'seq'>): Promise<InteractionRecord>;
  byId(id: string): Promise<InteractionRecord | undefined>;
  byIdempotencyKey(key: string): Promise<InteractionRecord | undefined>;
  update(id: string, patch: Partial<Omit<InteractionRecord, 'id' | 'seq' | 'createdAt'>>): Promise<void>;
  /** Interactions not ended, oldest first. */
  listOpen(): Promise<InteractionRecord[]>;
  list(q: InteractionQuery): Promise<InteractionRecord[]>;
  appendEvents(events: Omit<InteractionEventRecord, 'id'>[]): Promise<void>;
  events(interactionId: string): Promise<InteractionEventRecord[]>;
}

export interface AgentStateRepo {
  append(rows: AgentStateRecord[]): Promise<void>;
  list(agentId: string, from: Date, to: Date): Promise<AgentStateRecord[]>;
}

export interface SmsQuery {
  status?: string;
  recipient?: string;
  /** The sender ID, exactly as stored. */
  sender?: string;
  accountId?: string;
  campaignId?: string;
  /** Created at or after / before. */
  since?: Date;
  until?: Date;
  limit: number;
  offset: number;
}

export interface SmsRepo {
  insert(m: SmsMessageRecord): Promise<void>;
  byId(id: string): Promise<SmsMessageRecord | undefined>;
  byIdempotencyKey(key: string): Promise<SmsMessageRecord | undefined>;
  /** Newest first. */
  search(q: SmsQuery): Promise<SmsMessageRecord[]>;
  update(id: string, patch: Partial<Omit<SmsMessageRecord, 'id' | 'createdAt'>>): Promise<void>;
  /**
   * Many messages with their 'queued' events, in multi-row chunks; call inside a transaction so
   * they are stored all or none.
   */
  insertMany(messages: SmsMessageRecord[]): Promise<void>;
  /** Many messages in one multi-row statement, without events (the caller writes its own). */
  insertAll(messages: readonly SmsMessageRecord[]): Promise<void>;
  /**
   * Queued messages due at `now` and not in `exclude`: highest priority first, then oldest. A
   * campaign's messages come only from the campaigns listed, at most `limit` of each.
   */
  due(
    now: Date,
    limit: number,
    exclude: string[],
    campaigns?: readonly { id: string; limit: number }[],
  ): Promise<SmsMessageRecord[]>;
  /** The earliest retry time of a queued message, if any. */
  nextRetryAt(): Promise<Date | undefined>;
  insertSegments(rows: SmsSegmentRecord[]): Promise<void>;
  /**
   * Marks these segments 'submitting' at `at` in one statement: new ones are inserted so, existing
   * 'queued' ones are switched; answers the segments that are now submitting (not those found in
   * another status).
   */
  startSegments(rows: readonly SmsSegmentRecord[], at: Date): Promise<{ messageId: string; seq: number }[]>;
  segments(messageId: string): Promise<SmsSegmentRecord[]>;
  segmentBySmscKey(key: string): Promise<SmsSegmentRecord | undefined>;
  /** Updates one segment; with `onlyIf`, only while its status is one of those. True when changed. */
  updateSegment(
    messageId: string,
    seq: number,
    patch: Partial<Omit<SmsSegmentRecord, 'messageId' | 'seq'>>,
    onlyIf?: SegmentStatus[],
  ): Promise<boolean>;
  /** Messages by id (any order). */
  byIds(ids: readonly string[]): Promise<SmsMessageRecord[]>;
  /** The segments of these messages (any order). */
  segmentsOf(messageIds: readonly string[]): Promise<SmsSegmentRecord[]>;
  /** Writes these segments' mutable fields (status, ids, error, times) in one statement. */
  saveSegments(rows: readonly SmsSegmentRecord[]): Promise<void>;
  /** The sending state of these messages (any order): less to read than whole rows. */
  messageStates(ids: readonly string[]): Promise<SmsMessageState[]>;
  /** Writes these messages' state fields (status, error, times) in one statement. */
  saveMessages(rows: readonly SmsMessageState[]): Promise<void>;
  /** Ids of messages with a segment in this status. */
  messagesWithSegment(status: SegmentStatus): Promise<string[]>;
  appendEvents(events: Omit<SmsEventRecord, 'id'>[]): Promise<void>;
  events(messageId: string): Promise<SmsEventRecord[]>;
  /** Queued messages per priority (the outbox's queue depth), highest priority first. */
  queuedByPriority(): Promise<{ priority: number; count: number }[]>;
}

/** Voice: agents' SIP credentials, call recordings, call detail records. */
export interface VoiceRepo extends CallHistoryRepo {
  putSipAccount(a: SipAccountRecord): Promise<void>;
  sipAccountByAgent(agentId: string): Promise<SipAccountRecord | undefined>;
  sipAccountByUsername(username: string): Promise<SipAccountRecord | undefined>;
  deleteSipAccount(agentId: string): Promise<boolean>;
  insertRecording(r: RecordingRecord): Promise<void>;
  updateRecording(id: string, patch: Partial<Omit<RecordingRecord, 'id' | 'interactionId'>>): Promise<void>;
  recordingById(id: string): Promise<RecordingRecord | undefined>;
  recordings(interactionId: string): Promise<RecordingRecord[]>;
  insertCdrs(rows: CdrRecord[]): Promise<void>;
  cdrs(interactionId: string): Promise<CdrRecord[]>;
}

/** Message counts of a campaign by message status. */
export type CampaignCounts = Partial<Record<string, number>>;

export interface SmsCampaignRepo {
  insert(c: SmsCampaignRecord): Promise<void>;
  byId(id: string): Promise<SmsCampaignRecord | undefined>;
  /** Newest first. */
  list(q: { state?: string; limit: number; offset: number }): Promise<SmsCampaignRecord[]>;
  inStates(states: readonly string[]): Promise<SmsCampaignRecord[]>;
  update(id: string, patch: Partial<Omit<SmsCampaignRecord, 'id' | 'createdAt'>>): Promise<void>;
  counts(id: string): Promise<CampaignCounts>;
  /** Marks the campaign's messages not yet taken by the dispatcher 'cancelled'; how many. */
  cancelQueued(id: string, at: Date): Promise<number>;
  messages(id: string, q: { status?: string; limit: number; offset: number }): Promise<SmsMessageRecord[]>;
}

/** How a transaction commits. */
export interface TransactionOptions {
  /**
   * The commit may return before the database has flushed it to disk (PostgreSQL's
   * `synchronous_commit = off`). A crash of Hotline alone loses nothing; a crash of the database
   * server (or its machine) may lose the last such transactions, never an earlier durable one. Only
   * for writes whose loss crash recovery already covers (docs/architecture.md, SMS).
   */
  relaxedCommit?: boolean;
}

/** The durable store: every repository, and transactions over them. */
export interface Store {
  users: UserRepo;
  sessions: SessionRepo;
  apiKeys: ApiKeyRepo;
  audit: AuditRepo;
  teams: TeamRepo;
  skills: SkillRepo;
  agents: AgentRepo;
  queues: QueueRepo;
  reasonCodes: ReasonCodeRepo;
  customers: CustomerRepo;
  interactions: InteractionRepo;
  agentStates: AgentStateRepo;
  sms: SmsRepo;
  smsCampaigns: SmsCampaignRepo;
  smsBilling: SmsBillingRepo;
  ivrFlows: IvrFlowRepo;
  ivrNumbers: IvrNumberRepo;
  voicemails: VoicemailRepo;
  voice: VoiceRepo;
  /** SIP trunks added in the admin console. */
  sipTrunks: SipTrunkRepo;
  /** Runs `fn` in one transaction; inside one already, in that one (its options decide). */
  transaction<T>(fn: (tx: Store) => Promise<T>, options?: TransactionOptions): Promise<T>;
  ping(): Promise<void>;
}

/** One timer, re-armed to the next deadline; its owner is the service that arms it. */
export interface Timer {
  /** Calls `fn` at `atMs` (clock time), replacing any earlier setting. */
  set(atMs: number, fn: () => void): void;
  clear(): void;
}

/** The structured logger the services use (pino's shape). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** One SMS segment ready for the SMS center: addresses, data_coding and exact octets. */
export interface SmsSubmission {
  source: string;
  destination: string;
  dataCoding: number;
  /** Concatenation header (length octet first), or null for a single SMS. */
  udh: Uint8Array | null;
  /** GSM 03.38 septets one per octet (the SMSC packs them), or UTF-16BE octets. */
  shortMessage: Uint8Array;
  /** Handed back with this segment's receipt. */
  reference: string;
  /** Chooses the route with the destination; default 'notification'. */
  type?: SmsType;
}

/**
 * How a submit ended; `smscMessageKey` is the SMSC's id in the form receipts are matched on,
 * `route` the SMS route (SMSC connection) it went through.
 */
export type SmsSubmitResult = (
  | { status: 'accepted'; smscMessageId: string; smscMessageKey: string }
  /** Not sent; `down` when the connection is not up (another route may take it). */
  | { status: 'retry'; reason: string; down?: boolean }
  | { status: 'failed'; errorCode: number }
  /** Sent but unanswered: the SMSC may have it, so it is never sent again. */
  | { status: 'timeout'; reason: string }
) & { route?: string };

/** A delivery receipt, tied to a segment by our reference or by the SMSC's id. */
export interface SmsReceipt {
  reference?: string;
  smscMessageKey?: string;
  /** The SMSC's message state: delivered, undeliverable, expired, rejected, … */
  state: string;
  final: boolean;
  /** The receipt's err, as a number, when it has one. */
  errorCode: number | null;
}

/** One mobile-originated SMS (or one part of a concatenated one) as the SMS center delivered it. */
export interface SmsInboundPart {
  /** Which SMSC bind it came through (its system_id). */
  route: string;
  source: string;
  destination: string;
  dataCoding: number;
  /** The user data header (length octet first), when there was one. */
  udh: Uint8Array | null;
  /** SAR TLVs, the other way of concatenating. */
  sar: { reference: number; total: number; sequence: number } | null;
  /** The octets after any UDH: GSM 03.38 one septet per octet, UCS-2 big-endian, … */
  shortMessage: Uint8Array;
}

/** The SMS center, as the outbox sees it. */
export interface SmsGateway {
  submit(s: SmsSubmission): Promise<SmsSubmitResult>;
  onReceipt(handler: (r: SmsReceipt) => void): void;
  /** Mobile-originated messages; the gateway has answered the SMSC before calling. */
  onInbound?(handler: (m: SmsInboundPart) => void): void;
  /** For health: 'bound' when submits can go out now. */
  state(): { bound: boolean; detail: string };
  start(): void;
  close(): Promise<void>;
}

/** Numbers of one SMSC connection for the monitor. */
export interface SmsRouteStats {
  /** Submits sent and not yet answered. */
  inFlight: number;
  /** Submits waiting locally for the window or the pacing. */
  waiting: number;
  window: number;
  /** Submits per second at most. */
  rate: number;
}

/** One route's connection: an SmsGateway with numbers, and (HTTP gateways) a receipt callback. */
export interface SmsRouteGateway extends SmsGateway {
  stats(): SmsRouteStats;
  /**
   * A delivery report that arrived on Hotline's callback URL (HTTP gateways such as Kannel);
   * handed to the onReceipt handler. False when the parameters are not a readable report.
   */
  callback?(params: Readonly<Record<string, string>>): boolean;
}
