/**
 * Voice as the API sees it: agents' SIP credentials (kept as the digest HA1, never the password),
 * an interaction's recordings and CDRs (seen by whoever may see the interaction), recording audio,
 * and pausing the recording of a live call.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DomainError } from '../../domain/errors.js';
import { requireRole } from '../access.js';
import type { AuditTrail } from '../audit.js';
import type { Principal } from '../auth/principal.js';
import type { InteractionDesk } from '../interactions.js';
import type { Clock, Store } from '../ports.js';
import type { CdrRecord, RecordingRecord } from '../records.js';
import type { SipAccounts } from './sip-accounts.js';
import {
  agentHistory,
  searchRecordings,
  type AgentHistoryEntry,
  type Page,
  type RecordingListing,
  type RecordingSearchInput,
} from './call-history.js';
import { PlaybackTickets } from './playback-tickets.js';

/** Reads recording files (the adapter side of GET …/audio). */
export interface RecordingFiles {
  /** Size in bytes, or null when the file is gone. */
  size(path: string): Promise<number | null>;
  /** Bytes start..end inclusive. */
  read(path: string, start: number, end: number): Readable;
}

/** What pausing needs from the call side (the AgentConnector, when SIP is on). */
export interface RecordingControl {
  pauseRecording(interactionId: string): void;
  resumeRecording(interactionId: string): void;
  recordingState(interactionId: string): { active: boolean; paused: boolean };
}

/** An agent's SIP account as shown (no secret). */
export interface SipAccountView {
  agentId: string;
  username: string;
  realm: string;
  updatedAt: Date;
}

/** The digest HA1 (RFC 2617): MD5 of username:realm:password, what the registrar checks against. */
export function sipHa1(username: string, realm: string, password: string): string {
  return createHash('md5').update(`${username}:${realm}:${password}`).digest('hex');
}

/** Bytes of a recording file: the whole size and the part read. */
export interface AudioPart {
  size: number;
  start: number;
  end: number;
  stream: Readable;
}

/** How long a playback link works (a long call listened to with pauses and seeks). */
export const PLAYBACK_TICKET_MS = 4 * 3600_000;

export class VoiceDesk {
  private readonly tickets = new PlaybackTickets();
  /** Set by main.ts once the call side runs; without SIP, pause answers RECORDING_NOT_ACTIVE. */
  control: RecordingControl | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly interactions: Pick<InteractionDesk, 'get'>,
    private readonly files: RecordingFiles,
    private readonly realm: string,
    /** The SIP accounts as last read; this desk is their one writer and tells it of each change. */
    readonly accounts: SipAccounts,
  ) {}

  /** Sets (or replaces) the SIP credentials of an agent's phone. Admins only. */
  async setSipAccount(
    actor: Principal,
    agentId: string,
    input: { username: string; password: string },
  ): Promise<SipAccountView> {
    requireRole(actor, ['admin']);
    if (!(await this.store.agents.byId(agentId))) throw new DomainError('AGENT_NOT_FOUND', 'No such agent.');
    const other = await this.store.voice.sipAccountByUsername(input.username);
    if (other && other.agentId !== agentId) {
      throw new DomainError('SIP_USERNAME_TAKEN', 'Another agent already uses this SIP username.', {
        path: '/username',
      });
    }
    const row = {
      agentId,
      username: input.username,
      realm: this.realm,
      ha1: sipHa1(input.username, this.realm, input.password),
      updatedAt: new Date(this.clock.now()),
    };
    await this.changingAccounts(async (tx) => {
      await tx.voice.putSipAccount(row);
      // The password never reaches the audit log.
      await this.audit.record(
        tx,
        actor,
        'agent.sip.set',
        { type: 'agent', id: agentId },
        { username: row.username },
      );
    });
    return { agentId, username: row.username, realm: row.realm, updatedAt: row.updatedAt };
  }

  /** The SIP account of an agent (admins, or the agent); undefined when none is set. */
  async sipAccount(actor: Principal, agentId: string): Promise<SipAccountView> {
    if (actor.kind !== 'user' || (actor.role !== 'admin' && actor.agentId !== agentId)) {
      requireRole(actor, ['admin']);
    }
    const a = await this.store.voice.sipAccountByAgent(agentId);
    if (!a) throw new DomainError('NOT_FOUND', 'This agent has no SIP account.');
    return { agentId: a.agentId, username: a.username, realm: a.realm, updatedAt: a.updatedAt };
  }

  async removeSipAccount(actor: Principal, agentId: string): Promise<void> {
    requireRole(actor, ['admin']);
    await this.changingAccounts(async (tx) => {
      if (!(await tx.voice.deleteSipAccount(agentId))) {
        throw new DomainError('NOT_FOUND', 'This agent has no SIP account.');
      }
      await this.audit.record(tx, actor, 'agent.sip.remove', { type: 'agent', id: agentId }, {});
    });
  }

  /** The HA1 the registrar checks a REGISTER against (undefined: unknown user, or another realm). */
  async ha1For(username: string): Promise<string | undefined> {
    const a = await this.accounts.byUsername(username);
    return a && a.realm === this.realm ? a.ha1 : undefined;
  }

  private async changingAccounts(fn: (tx: Store) => Promise<void>): Promise<void> {
    try {
      await this.store.transaction(fn);
    } finally {
      this.accounts.forget();
    }
  }

  /** Recordings of an interaction the actor may see. */
  async recordings(actor: Principal, interactionId: string): Promise<RecordingRecord[]> {
    await this.interactions.get(actor, interactionId);
    return this.store.voice.recordings(interactionId);
  }

  /** Call detail records of an interaction the actor may see, one per leg. */
  async cdrs(actor: Principal, interactionId: string): Promise<CdrRecord[]> {
    await this.interactions.get(actor, interactionId);
    return this.store.voice.cdrs(interactionId);
  }

  /** Finds recordings by agent, caller number, queue and date (agents: their own calls only). */
  searchRecordings(actor: Principal, input: RecordingSearchInput): Promise<Page<RecordingListing>> {
    return searchRecordings(this.store.voice, actor, input);
  }

  /** The signed-in agent's own interactions on every channel, newest first, with recordings. */
  history(actor: Principal, input: { limit?: number; cursor?: string }): Promise<Page<AgentHistoryEntry>> {
    return agentHistory(this.store.voice, actor, input);
  }

  /** A recording's audio, whole or a byte range; the actor must be able to see its interaction. */
  async audio(
    actor: Principal,
    recordingId: string,
    range: { start: number; end: number | null } | null,
  ): Promise<AudioPart> {
    return this.readAudio(await this.visibleRecording(actor, recordingId), range);
  }

  /**
   * A playback link for an `<audio>` element (which cannot send the Authorization header): the
   * audio URL with a ticket for this recording, valid for PLAYBACK_TICKET_MS.
   */
  async playback(actor: Principal, recordingId: string): Promise<{ url: string; expiresAt: Date }> {
    const rec = await this.visibleRecording(actor, recordingId);
    const expiresAtMs = this.clock.now() + PLAYBACK_TICKET_MS;
    const ticket = this.tickets.issue(rec.id, expiresAtMs);
    return { url: `/api/recordings/${rec.id}/play?ticket=${ticket}`, expiresAt: new Date(expiresAtMs) };
  }

  /** The audio behind a playback link; an unknown or expired ticket answers AUTH_REQUIRED. */
  async audioByTicket(
    recordingId: string,
    ticket: string,
    range: { start: number; end: number | null } | null,
  ): Promise<AudioPart> {
    if (!this.tickets.valid(ticket, recordingId, this.clock.now())) {
      throw new DomainError('AUTH_REQUIRED', 'This playback link has expired; open the recording again.');
    }
    const rec = await this.store.voice.recordingById(recordingId);
    if (!rec) throw new DomainError('RECORDING_NOT_FOUND', 'No such recording.');
    return this.readAudio(rec, range);
  }

  private async visibleRecording(actor: Principal, recordingId: string): Promise<RecordingRecord> {
    const rec = await this.store.voice.recordingById(recordingId);
    if (!rec) throw new DomainError('RECORDING_NOT_FOUND', 'No such recording.');
    try {
      await this.interactions.get(actor, rec.interactionId);
    } catch (err) {
      // Someone who may not see the interaction is told the recording does not exist.
      if (err instanceof DomainError && err.code === 'INTERACTION_NOT_FOUND') {
        throw new DomainError('RECORDING_NOT_FOUND', 'No such recording.');
      }
      throw err;
    }
    return rec;
  }

  private async readAudio(
    rec: RecordingRecord,
    range: { start: number; end: number | null } | null,
  ): Promise<AudioPart> {
    const size = await this.files.size(rec.filePath);
    if (size === null) throw new DomainError('RECORDING_NOT_FOUND', 'The recording file is gone.');
    const start = Math.min(range?.start ?? 0, Math.max(0, size - 1));
    const end = Math.min(range?.end ?? size - 1, size - 1);
    return { size, start, end, stream: this.files.read(rec.filePath, start, Math.max(start, end)) };
  }

  /** Whether the interaction's call is being recorded now, and whether the recording is paused. */
  async recordingState(
    actor: Principal,
    interactionId: string,
  ): Promise<{ interactionId: string; recording: boolean; paused: boolean }> {
    await this.interactions.get(actor, interactionId);
    const state = this.control?.recordingState(interactionId) ?? { active: false, paused: false };
    return { interactionId, recording: state.active, paused: state.paused };
  }

  /** Pauses (payment card capture) or resumes the recording of the interaction's live call. */
  async setRecordingPaused(
    actor: Principal,
    interactionId: string,
    paused: boolean,
  ): Promise<{ interactionId: string; recording: boolean; paused: boolean }> {
    await this.interactions.get(actor, interactionId);
    const control = this.control;
    if (control === null) {
      throw new DomainError('RECORDING_NOT_ACTIVE', 'This interaction has no call being recorded now.');
    }
    if (paused) control.pauseRecording(interactionId);
    else control.resumeRecording(interactionId);
    const state = control.recordingState(interactionId);
    await this.store.transaction((tx) =>
      this.audit.record(
        tx,
        actor,
        paused ? 'recording.pause' : 'recording.resume',
        { type: 'interaction', id: interactionId },
        {},
      ),
    );
    return { interactionId, recording: state.active, paused: state.paused };
  }
}
