/**
 * Finding calls after the fact: the recordings search (supervisors and admins: every recording;
 * agents: their own) and an agent's personal history of interactions on every channel.
 */
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../auth/principal.js';

/** Filters of a recordings search; pages go newest first, `after` is where the last page ended. */
export interface RecordingSearchQuery {
  agentId?: string;
  /** Digits only; matches anywhere in the caller's number ("5550143" finds "+12025550143"). */
  number?: string;
  queueId?: string;
  /** Recording started at or after. */
  from?: Date;
  /** Recording started before. */
  to?: Date;
  limit: number;
  after?: { startedAt: Date; id: string };
}

/** One recording found, with who took the call, who called and where it waited. */
export interface RecordingListing {
  recordingId: string;
  interactionId: string;
  agentId: string | null;
  agentName: string | null;
  callerNumber: string | null;
  customerId: string | null;
  customerName: string | null;
  queueId: string | null;
  queueName: string | null;
  startedAt: Date;
  endedAt: Date | null;
  durationMs: number | null;
  pauses: { fromMs: number; toMs: number }[];
  wrapUpCode: string | null;
}

/** An agent's interactions, newest first; `beforeSeq` is where the last page ended. */
export interface AgentHistoryQuery {
  agentId: string;
  limit: number;
  beforeSeq?: number;
}

/** One interaction of an agent's history, with its recordings. */
export interface AgentHistoryEntry {
  seq: number;
  interactionId: string;
  channel: string;
  direction: string;
  status: string;
  outcome: string | null;
  wrapUpCode: string | null;
  fromAddress: string | null;
  subject: string | null;
  customerId: string | null;
  customerName: string | null;
  queueId: string | null;
  queueName: string | null;
  createdAt: Date;
  acceptedAt: Date | null;
  endedAt: Date | null;
  recordings: { id: string; durationMs: number | null }[];
}

/** What the searches need from storage (part of the VoiceRepo). */
export interface CallHistoryRepo {
  searchRecordings(q: RecordingSearchQuery): Promise<RecordingListing[]>;
  agentHistory(q: AgentHistoryQuery): Promise<AgentHistoryEntry[]>;
}

/** A page of results and the cursor of the next page (null at the end). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

function badCursor(): DomainError {
  return new DomainError('VALIDATION_FAILED', 'The cursor is not one this API gave out.', {
    path: '/cursor',
  });
}

/** The opaque cursor after a recording: its start and id (the order of the search). */
export function recordingCursor(r: { startedAt: Date; recordingId: string }): string {
  return Buffer.from(`${r.startedAt.toISOString()}|${r.recordingId}`).toString('base64url');
}

function readRecordingCursor(cursor: string): { startedAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const startedAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(startedAt.getTime())) throw badCursor();
  return { startedAt, id };
}

/** Raw search input as the API takes it. */
export interface RecordingSearchInput {
  agentId?: string;
  number?: string;
  queueId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/**
 * Searches recordings. Supervisors and admins (and API keys with interactions:read) search all;
 * an agent searches only their own calls and asking for another agent's is forbidden.
 */
export async function searchRecordings(
  repo: CallHistoryRepo,
  actor: Principal,
  input: RecordingSearchInput,
): Promise<Page<RecordingListing>> {
  let agentId = input.agentId;
  if (actor.kind === 'user' && actor.role === 'agent') {
    if (agentId !== undefined && agentId !== actor.agentId) {
      throw new DomainError('AUTH_FORBIDDEN', "Agents may only search their own calls' recordings.");
    }
    if (!actor.agentId) return { items: [], nextCursor: null };
    agentId = actor.agentId;
  }
  let number: string | undefined;
  if (input.number !== undefined && input.number.trim() !== '') {
    number = input.number.replace(/\D/g, '');
    if (number === '') {
      throw new DomainError('VALIDATION_FAILED', 'A number to search for needs digits.', { path: '/number' });
    }
  }
  const from = input.from === undefined ? undefined : new Date(input.from);
  const to = input.to === undefined ? undefined : new Date(input.to);
  const limit = input.limit ?? 50;
  const rows = await repo.searchRecordings({
    agentId,
    number,
    queueId: input.queueId,
    from,
    to,
    limit: limit + 1,
    after: input.cursor === undefined ? undefined : readRecordingCursor(input.cursor),
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? recordingCursor(last) : null };
}

/** The signed-in agent's own interactions, newest first, with their recordings. */
export async function agentHistory(
  repo: CallHistoryRepo,
  actor: Principal,
  input: { limit?: number; cursor?: string },
): Promise<Page<AgentHistoryEntry>> {
  if (actor.kind !== 'user' || !actor.agentId) {
    throw new DomainError('AGENT_NOT_FOUND', 'You have no agent profile, so no call history.');
  }
  let beforeSeq: number | undefined;
  if (input.cursor !== undefined) {
    beforeSeq = Number(input.cursor);
    if (!Number.isSafeInteger(beforeSeq) || beforeSeq < 0) throw badCursor();
  }
  const limit = input.limit ?? 50;
  const rows = await repo.agentHistory({ agentId: actor.agentId, limit: limit + 1, beforeSeq });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? String(last.seq) : null };
}
