/**
 * Supervisors on live calls: listen, whisper or barge in from their own registered SIP phone, switch
 * mode on the fly, leave (hanging up returns the call to the plain two-way bridge), and force-release
 * a call (both legs hung up). A supervisor's phone is the SIP account of their own agent profile,
 * set like any agent's (PUT /api/agents/{id}/sip). Only supervisors of the agent's team and admins.
 */
import { DomainError } from '../../domain/errors.js';
import { mayActOnAgent, requireRole } from '../access.js';
import type { AuditTrail } from '../audit.js';
import type { Principal } from '../auth/principal.js';
import type { Clock, Logger, Store } from '../ports.js';
import { randomUUID } from 'node:crypto';
import type { CdrEndCause } from '../records.js';
import type { AgentPhones, CallLeg, MediaBridge, RingOutcome } from './ports.js';
import { ringAgentPhone } from './agent-phone.js';
import type { SipAccounts } from './sip-accounts.js';

/** The supervisor's modes (who hears the supervisor: nobody, the agent, everyone). */
export type SupervisionMode = 'listen' | 'whisper' | 'barge';

/** A connected call as supervision sees it (the AgentConnector). */
export interface LiveCalls {
  live(interactionId: string): { agentId: string; caller: string; bridge: MediaBridge } | undefined;
  /** Hangs up both legs; the records say forced_release. False when the call is not connected. */
  release(interactionId: string): Promise<boolean>;
  onCallEnded(fn: (interactionId: string) => void): void;
}

/** Supervision of one call as shown. */
export interface SupervisionView {
  interactionId: string;
  supervisorId: string;
  mode: SupervisionMode;
  /** ringing: the supervisor's phone is ringing; connected: the supervisor is mixed in. */
  state: 'ringing' | 'connected';
}

interface Session extends SupervisionView {
  abort: AbortController;
  leg: CallLeg | null;
  /** The supervisor's agent profile and caller id shown, for the leg's CDR. */
  agentId: string;
  caller: string;
  ring: { callId: string; target: string; startedAt: number; answeredAt: number | null } | null;
  /** A force release under way: the leg's CDR says forced_release. */
  releasing: boolean;
}

/** See the file comment. */
export class Supervision {
  private calls: { live: LiveCalls; phones: AgentPhones } | null = null;
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly log: Logger,
    private readonly accounts: Pick<SipAccounts, 'byAgent'>,
  ) {}

  /** Called by main.ts once the call side runs (null when it stops). */
  attach(calls: { live: LiveCalls; phones: AgentPhones } | null): void {
    if (calls === null) {
      for (const s of [...this.sessions.values()]) this.hangUp(s, 'shutdown');
      this.sessions.clear();
    } else {
      calls.live.onCallEnded((id) => {
        const s = this.sessions.get(id);
        if (s !== undefined) this.hangUp(s, s.releasing ? 'forced_release' : 'call_ended');
      });
    }
    this.calls = calls;
  }

  /** The interaction's supervision now. */
  async current(actor: Principal, interactionId: string): Promise<SupervisionView> {
    await this.authorize(actor, interactionId);
    return view(this.session(interactionId));
  }

  /** Rings the supervisor's phone; on answer they are mixed into the call by `mode`. */
  async start(actor: Principal, interactionId: string, mode: SupervisionMode): Promise<SupervisionView> {
    const { call, calls } = await this.authorize(actor, interactionId);
    if (this.sessions.has(interactionId)) {
      throw new DomainError('SUPERVISION_ACTIVE', 'This call is already being supervised.');
    }
    const agentId = actor.kind === 'user' ? actor.agentId : null;
    const account = agentId === null ? undefined : await this.accounts.byAgent(agentId);
    const noPhone = (): DomainError =>
      new DomainError(
        'SUPERVISOR_PHONE_UNAVAILABLE',
        'You need an agent profile with a phone (the browser softphone, or a registered SIP phone) to supervise calls.',
      );
    if (agentId === null || actor.kind !== 'user') throw noPhone();
    const s: Session = {
      interactionId,
      supervisorId: actor.userId,
      mode,
      state: 'ringing',
      abort: new AbortController(),
      leg: null,
      agentId,
      caller: call.caller,
      ring: null,
      releasing: false,
    };
    const startedAt = this.clock.now();
    this.sessions.set(interactionId, s);
    const ringing = await ringAgentPhone(calls.phones, agentId, account?.username, {
      caller: call.caller,
      signal: s.abort.signal,
      onRinging: () => this.log.info({ interactionId }, 'supervisor phone ringing'),
    }).catch((err: unknown) => {
      this.sessions.delete(interactionId);
      throw err;
    });
    if (ringing === null) {
      this.sessions.delete(interactionId);
      throw noPhone();
    }
    s.ring = { callId: ringing.callId, target: ringing.target, startedAt, answeredAt: null };
    await this.note(actor, interactionId, 'supervision_started', 'interaction.supervise', { mode });
    void ringing.outcome.then(
      (outcome) => this.answered(s, outcome),
      (err: unknown) => {
        this.log.error({ err, interactionId }, 'supervisor leg failed');
        this.sessions.delete(interactionId);
      },
    );
    return view(s);
  }

  /** Switches the mode of a supervision under way. */
  async setMode(actor: Principal, interactionId: string, mode: SupervisionMode): Promise<SupervisionView> {
    const { call } = await this.authorize(actor, interactionId);
    const s = this.session(interactionId);
    s.mode = mode;
    if (s.state === 'connected') call.bridge.setMixMode(mode);
    await this.note(actor, interactionId, 'supervision_mode_changed', 'interaction.supervise.mode', { mode });
    return view(s);
  }

  /** Ends the supervision (the supervisor's phone is hung up). */
  async stop(actor: Principal, interactionId: string): Promise<void> {
    await this.authorize(actor, interactionId);
    const s = this.session(interactionId);
    this.hangUp(s, 'cancelled');
    await this.note(actor, interactionId, 'supervision_ended', 'interaction.supervise.stop', {
      mode: s.mode,
    });
  }

  /** Hangs up both legs of the call (BYE); its CDRs say forced_release and the interaction completes. */
  async release(actor: Principal, interactionId: string): Promise<void> {
    const { calls } = await this.authorize(actor, interactionId);
    await this.store.transaction((tx) =>
      this.audit.record(tx, actor, 'interaction.release', { type: 'interaction', id: interactionId }, {}),
    );
    await this.event(interactionId, 'force_released', { by: actor.kind === 'user' ? actor.userId : null });
    const s = this.sessions.get(interactionId);
    if (s !== undefined) s.releasing = true;
    if (!(await calls.live.release(interactionId))) {
      throw new DomainError('CALL_NOT_CONNECTED', 'This interaction has no connected call now.');
    }
  }

  private answered(s: Session, outcome: RingOutcome): void {
    const leg = outcome.kind === 'answered' ? outcome.leg : null;
    const call = this.calls?.live.live(s.interactionId);
    if (this.sessions.get(s.interactionId) !== s || leg === null || call === undefined) {
      leg?.hangup();
      if (outcome.kind !== 'answered') {
        const cause: CdrEndCause =
          outcome.kind === 'cancelled'
            ? 'cancelled'
            : outcome.status === 408 || outcome.status === 480
              ? 'no_answer'
              : 'rejected';
        this.cdr(s, cause, outcome.status);
        s.ring = null;
      }
      if (this.sessions.get(s.interactionId) === s) {
        this.sessions.delete(s.interactionId);
        // The supervisor's phone refused or could not be reached.
        this.eventLater(s.interactionId, 'supervision_ended', { mode: s.mode, by: 'not_answered' });
      }
      this.log.info({ interactionId: s.interactionId }, 'supervisor leg not connected');
      return;
    }
    s.leg = leg;
    if (s.ring !== null) s.ring.answeredAt = this.clock.now();
    s.state = 'connected';
    call.bridge.join(leg.media, s.mode);
    leg.onHangup(() => {
      if (this.sessions.get(s.interactionId) !== s) return;
      this.hangUp(s, 'agent_hangup');
      this.eventLater(s.interactionId, 'supervision_ended', { mode: s.mode, by: 'supervisor_hangup' });
    });
    this.log.info({ interactionId: s.interactionId, mode: s.mode }, 'supervisor connected');
  }

  /** Ends a session: ringing cancelled or leg hung up, the bridge back to two legs; the leg's CDR. */
  private hangUp(s: Session, cause: CdrEndCause): void {
    if (this.sessions.get(s.interactionId) === s) this.sessions.delete(s.interactionId);
    s.abort.abort();
    if (s.leg !== null) {
      this.calls?.live.live(s.interactionId)?.bridge.leave();
      s.leg.hangup();
      s.leg = null;
      this.cdr(s, cause, 200);
      s.ring = null;
    }
  }

  /** The supervisor's leg (role supervisor), under the supervised interaction. */
  private cdr(s: Session, cause: CdrEndCause, sipStatus: number): void {
    const ring = s.ring;
    if (ring === null) return;
    this.store.voice
      .insertCdrs([
        {
          id: randomUUID(),
          callId: ring.callId,
          direction: 'outbound',
          fromAddress: s.caller,
          toAddress: ring.target,
          agentId: s.agentId,
          interactionId: s.interactionId,
          recordingId: null,
          startedAt: new Date(ring.startedAt),
          answeredAt: ring.answeredAt === null ? null : new Date(ring.answeredAt),
          endedAt: new Date(this.clock.now()),
          endCause: cause,
          sipStatus,
          role: 'supervisor',
        },
      ])
      .catch((err: unknown) =>
        this.log.error({ err, interactionId: s.interactionId }, 'supervisor CDR failed'),
      );
  }

  private session(interactionId: string): Session {
    const s = this.sessions.get(interactionId);
    if (s === undefined) {
      throw new DomainError('SUPERVISION_NOT_ACTIVE', 'Nobody is supervising this call now.');
    }
    return s;
  }

  /** Supervisors of the agent's team and admins, on a connected call. */
  private async authorize(actor: Principal, interactionId: string) {
    requireRole(actor, ['supervisor', 'admin']);
    const calls = this.calls;
    const call = calls?.live.live(interactionId);
    if (calls === null || call === undefined) {
      if (!(await this.store.interactions.byId(interactionId))) {
        throw new DomainError('INTERACTION_NOT_FOUND', 'No such interaction.');
      }
      throw new DomainError('CALL_NOT_CONNECTED', 'This interaction has no connected call now.');
    }
    const agent = await this.store.agents.byId(call.agentId);
    if (agent === undefined || !mayActOnAgent(actor, agent)) {
      throw new DomainError(
        'AUTH_FORBIDDEN',
        'Only supervisors of the agent’s team may supervise this call.',
      );
    }
    return { call, calls };
  }

  private async note(
    actor: Principal,
    interactionId: string,
    type: string,
    action: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.store.transaction((tx) =>
      this.audit.record(tx, actor, action, { type: 'interaction', id: interactionId }, details),
    );
    await this.event(interactionId, type, {
      ...details,
      supervisorId: actor.kind === 'user' ? actor.userId : null,
    });
  }

  /** An event from a SIP callback, where nobody awaits it: failures are only logged. */
  private eventLater(interactionId: string, type: string, details: Record<string, unknown>): void {
    this.event(interactionId, type, details).catch((err: unknown) =>
      this.log.warn({ err, interactionId }, 'supervision event not written'),
    );
  }

  private async event(interactionId: string, type: string, details: Record<string, unknown>): Promise<void> {
    await this.store.interactions.appendEvents([
      { interactionId, at: new Date(this.clock.now()), type, agentId: null, details },
    ]);
  }
}

function view(s: Session): SupervisionView {
  return { interactionId: s.interactionId, supervisorId: s.supervisorId, mode: s.mode, state: s.state };
}
