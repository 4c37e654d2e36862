/**
 * One inbound call through the IVR: feeds the interpreter the leg's events and carries out its
 * commands (prompts, the one timer, queueing). Once queued the caller hears hold music until the
 * call ends; a caller who hangs up while waiting is an abandon.
 */
import {
  announcementPrompts,
  isFinished,
  startCall,
  step,
  type CallState,
  type Flow,
  type IvrCommand,
  type IvrEvent,
  type Language,
} from '../../domain/ivr/index.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import type { InteractionDesk, NewInteraction } from '../interactions.js';
import type { Clock, Logger, Timer } from '../ports.js';
import type { RoutingService } from '../routing/routing-service.js';
import type { IvrLookups } from './lookups.js';
import { VoicemailRecording, type VoicemailBox } from './voicemail.js';
import type { InboundCall } from './ports.js';

/** How a caller's leg ended before an agent took it (for its CDR). */
export interface CallerLegEnd {
  callId: string;
  caller: string;
  dnis: string;
  startedAt: number;
  interactionId: string | null;
  cause: 'caller_hangup' | 'ivr_hangup' | 'shutdown';
}

/** What a call needs from the rest of the application. */
export interface CallDeps {
  desk: Pick<InteractionDesk, 'create'>;
  routing: Pick<RoutingService, 'abandon' | 'interrupt'>;
  clock: Clock;
  timer: Timer;
  log: Logger;
  /** Answers lookup commands; without it every lookup fails (`not_supported`). */
  lookups?: Pick<IvrLookups, 'run'>;
  /** Keeps voicemail messages; without it a voicemail node hangs up. */
  voicemail?: Pick<VoicemailBox, 'newFile' | 'deliver'>;
  /**
   * The caller's leg ended without an agent: settles before an abandon is reported, so that
   * ringing agent legs are cancelled and the call's records written first.
   */
  callerEnded?: (end: CallerLegEnd) => Promise<void>;
  /** Where a waiting interaction stands, for position/wait announcements (null once it is not waiting). */
  queuePosition?: (interactionId: string) => { position: number; staffedAgents: number } | null;
  /** Keeps an event on the interaction's timeline (announcements); failures are only logged. */
  noteEvent?: (interactionId: string, type: string, details: Record<string, unknown>) => Promise<void>;
  /** The dial plan for transfer nodes; without it every transfer is refused. */
  allowTransfer?: (number: string) => boolean;
  /** Carries out a transfer node (through the trunk); without it every transfer fails. */
  transferOut?: (o: TransferRequest) => Promise<{ ok: true } | { ok: false; reason: string }>;
}

/** A transfer node's call to an external number, as the IVR hands it over. */
export interface TransferRequest {
  call: InboundCall;
  /** The number as the flow gave it (the transfer checks it again). */
  to: string;
  startedAt: number;
  /** Fires when the caller hangs up (or Hotline stops) while it rings. */
  signal: AbortSignal;
  /** The external party answered: the IVR lets go of the caller; false when the caller is gone. */
  takeOver: () => boolean;
  /** The IVR nodes the caller went through so far (kept on the transfer's interaction). */
  ivrPath: string[];
  /** The stored flow's id, when the flow is one. */
  flowId: string | null;
}

/** How calls are run: the flow, where prompts live, the language. */
export interface CallSettings {
  flow: Flow;
  /** The stored flow's id (null for the configured fallback flow), kept on the interaction. */
  flowId?: string | null;
  language: Language;
  promptsDir: string;
  /** The file of a prompt (an admin's upload or the built-in); default `<promptsDir>/<language>/<prompt>.wav`. */
  promptPath?: (language: Language, prompt: string) => string;
  /** The prompt looped while the caller waits in a queue. */
  holdPrompt: string;
  /** Silence that ends a voicemail message; default 5 s. */
  voicemailSilenceSeconds?: number;
}

/** The call's phases; `queued`, `connected` and `ended` are reached once. */
type Phase = 'ivr' | 'queueing' | 'queued' | 'transferring' | 'connected' | 'ended';

export class IvrCall {
  private state: CallState;
  private phase: Phase = 'ivr';
  private readonly pending: IvrEvent[] = [];
  private stepping = false;
  /** The play command now sounding, for playback_done and barge-in. */
  private playing: { id: string; bargeIn: boolean } | null = null;
  private timerId: string | null = null;
  private interactionId: string | null = null;
  private readonly path: string[] = [];
  /** A voicemail message being recorded: digits and the hang-up go to it. */
  private recording: VoicemailRecording | null = null;
  /** The queue command that queued the call, for its announcement options. */
  private queuedBy: Extract<IvrCommand, { type: 'queue' }> | null = null;
  /** A transfer through the trunk ringing: aborted when the caller hangs up. */
  private transferAbort: AbortController | null = null;
  /** When the call came in (clock time). */
  readonly startedAt: number;

  constructor(
    private readonly call: InboundCall,
    private readonly deps: CallDeps,
    private readonly settings: CallSettings,
    private readonly onEnded: () => void,
  ) {
    this.startedAt = deps.clock.now();
    const first = startCall(settings.flow, {
      callId: call.callId,
      caller: call.caller,
      dnis: call.dnis,
      now: deps.clock.now(),
      language: settings.language,
      ...(deps.allowTransfer ? { allowTransfer: deps.allowTransfer } : {}),
    });
    this.state = first.state;
    call.leg.onDigit((digit) => this.digit(digit));
    call.leg.onHangup(() => this.callerHungUp());
    this.carryOut(first.commands);
    this.drain();
  }

  /** The call as it arrived. */
  get inbound(): InboundCall {
    return this.call;
  }

  /** The interaction the caller waits as, once queued. */
  get waitingAs(): string | null {
    return this.phase === 'queued' ? this.interactionId : null;
  }

  /**
   * An agent answered: the hold music stops and the call is the connector's from now on (a hangup
   * is no longer an abandon). False when the caller is no longer waiting.
   */
  takeOver(): boolean {
    if (this.phase !== 'queued') return false;
    this.phase = 'connected';
    this.deps.timer.clear();
    this.call.leg.stopPlayback();
    return true;
  }

  /**
   * The agent transferred the connected caller to a queue: from now on the call is waiting again
   * (a hangup is an abandon of the new interaction), which is created linked to the one before
   * (metadata.transferredFrom); once queued the caller hears hold music. Resolves with its id.
   */
  requeue(
    queueId: string,
    fromInteractionId: string,
    offerTo?: NewInteraction['offerTo'],
    /** Keep the caller's place: their priority and when they first started waiting. */
    place: { priority: number; queuedAt: Date; reason: string } | null = null,
  ): Promise<string> {
    this.phase = 'queueing';
    const input: NewInteraction = {
      channel: 'voice' as const,
      queueId,
      from: this.call.caller,
      priority: place?.priority ?? 0,
      ...(place === null ? {} : { queuedAt: place.queuedAt }),
      metadata: {
        callId: this.call.callId,
        dnis: this.call.dnis,
        transferredFrom: fromInteractionId,
        ...(place === null ? {} : { requeueReason: place.reason }),
      },
      // The caller is on the line already: a transfer is not refused for the hour.
      ignoreBusinessHours: true,
      ...(offerTo ? { offerTo } : {}),
    };
    return this.deps.desk.create(SYSTEM_ACTOR, input).then(
      ({ interaction }) => {
        this.queued(interaction.id);
        return interaction.id;
      },
      (err: unknown) => {
        // Nowhere to wait: the caller is let go rather than left in silence.
        this.deps.log.error({ err, callId: this.call.callId }, 'transfer to a queue failed');
        if (this.phase !== 'ended') {
          this.end();
          this.call.leg.hangup();
          void this.recordEnd('ivr_hangup');
        }
        throw err;
      },
    );
  }

  private digit(digit: string): void {
    if (this.phase !== 'ivr') return;
    if (this.recording) {
      this.recording.digit(digit);
      return;
    }
    const barged = this.playing?.bargeIn === true ? this.playing.id : null;
    this.feed({ type: 'digit', digit });
    // A barge-in prompt stops on the key, and the interpreter still hears that it ended.
    if (barged !== null && this.playing?.id === barged) {
      this.call.leg.stopPlayback();
      this.playing = null;
      this.feed({ type: 'playback_done', id: barged });
    }
  }

  private feed(event: IvrEvent): void {
    this.pending.push(event);
    this.drain();
  }

  /** Steps one event at a time: commands may report events (a missing prompt ends at once). */
  private drain(): void {
    if (this.stepping) return;
    this.stepping = true;
    try {
      for (let event = this.pending.shift(); event !== undefined; event = this.pending.shift()) {
        if (this.phase === 'ended' || isFinished(this.state)) break;
        const next = step(this.state, event, this.deps.clock.now(), {
          ...(this.deps.allowTransfer ? { allowTransfer: this.deps.allowTransfer } : {}),
        });
        this.state = next.state;
        this.carryOut(next.commands);
      }
    } finally {
      this.stepping = false;
    }
  }

  private carryOut(commands: IvrCommand[]): void {
    for (const c of commands) {
      if (this.phase === 'ended') return;
      this.command(c);
    }
  }

  private command(c: IvrCommand): void {
    switch (c.type) {
      case 'play':
        return this.play(c.id, c.prompts, c.bargeIn, c.language);
      case 'start_timer':
        this.timerId = c.timerId;
        this.deps.timer.set(this.deps.clock.now() + c.seconds * 1000, () => {
          this.timerId = null;
          this.feed({ type: 'timeout', timerId: c.timerId });
        });
        return;
      case 'cancel_timer':
        if (this.timerId === c.timerId) this.stopTimer();
        return;
      case 'queue':
        this.queue(c);
        return;
      case 'hangup':
        this.deps.log.info({ callId: this.call.callId, cause: c.cause }, 'IVR hung up');
        this.end();
        this.call.leg.hangup();
        void this.recordEnd('ivr_hangup');
        return;
      case 'log':
        if (c.event === 'node' && c.node !== null) this.path.push(c.node);
        return;
      case 'lookup':
        this.lookup(c);
        return;
      case 'transfer':
        this.transfer(c.to);
        return;
      case 'record_voicemail':
        this.recordVoicemail(c);
        return;
      case 'set_variable':
        return;
    }
  }

  /**
   * A transfer node: the caller hears hold music while the external number rings; once it answers
   * the call is no longer the IVR's. A refusal, busy, no answer or trunk fault goes back to the
   * interpreter as a failed transfer_result, so the flow's error branch takes the caller on.
   */
  private transfer(to: string): void {
    const out = this.deps.transferOut;
    if (out === undefined) {
      this.pending.push({ type: 'transfer_result', ok: false, reason: 'not_supported' });
      return;
    }
    this.phase = 'transferring';
    this.stopTimer();
    const abort = new AbortController();
    this.transferAbort = abort;
    const hold = this.promptFile(this.settings.holdPrompt, this.settings.language);
    this.call.leg.play([hold], { loop: true, onEnd: () => undefined });
    const takeOver = (): boolean => {
      if (this.phase !== 'transferring') return false;
      this.transferAbort = null;
      this.call.leg.stopPlayback();
      this.deps.log.info({ callId: this.call.callId }, 'caller transferred out');
      this.end();
      return true;
    };
    const request = {
      call: this.call,
      to,
      startedAt: this.startedAt,
      signal: abort.signal,
      takeOver,
      ivrPath: [...this.path],
      flowId: this.settings.flowId ?? null,
    };
    out(request)
      .catch((err: unknown) => {
        this.deps.log.error({ err, callId: this.call.callId }, 'transfer failed');
        return { ok: false as const, reason: 'transfer_fault' };
      })
      .then((result) => {
        if (result.ok || this.phase !== 'transferring') return;
        this.transferAbort = null;
        this.phase = 'ivr';
        this.call.leg.stopPlayback();
        this.deps.log.info({ callId: this.call.callId, reason: result.reason }, 'transfer did not connect');
        this.feed({ type: 'transfer_result', ok: false, reason: result.reason });
      })
      .catch(() => undefined);
  }

  private lookup(c: Extract<IvrCommand, { type: 'lookup' }>): void {
    const lookups = this.deps.lookups;
    if (!lookups) {
      // The flow's error branch takes the caller on.
      this.pending.push({ type: 'lookup_result', id: c.id, ok: false, error: 'not_supported' });
      return;
    }
    // run() never rejects; a late answer after the guard timer is ignored by the interpreter.
    lookups.run(c, this.call.callId).then(
      (result) => this.feed(result),
      () => this.feed({ type: 'lookup_result', id: c.id, ok: false, error: 'lookup_fault' }),
    );
  }

  private promptFile(prompt: string, language: Language): string {
    if (this.settings.promptPath) return this.settings.promptPath(language, prompt);
    return `${this.settings.promptsDir}/${language}/${prompt}.wav`;
  }

  private recordVoicemail(c: Extract<IvrCommand, { type: 'record_voicemail' }>): void {
    const box = this.deps.voicemail;
    let opened: ReturnType<VoicemailBox['newFile']> | null = null;
    try {
      opened = box?.newFile() ?? null;
    } catch (err) {
      this.deps.log.error({ err, callId: this.call.callId }, 'cannot open a voicemail file');
    }
    if (!box || !opened) {
      this.deps.log.warn({ callId: this.call.callId }, 'voicemail is not available: hanging up');
      this.end();
      this.call.leg.hangup();
      void this.recordEnd('ivr_hangup');
      return;
    }
    const { name, file } = opened;
    const beep = c.beep ? [this.promptFile('voicemail-beep', c.language)] : [];
    const options = {
      promptFiles: [...c.prompts.map((p) => this.promptFile(p, c.language)), ...beep],
      maxSeconds: c.maxSeconds,
      silenceSeconds: this.settings.voicemailSilenceSeconds ?? 5,
    };
    const { callId, caller, dnis } = this.call;
    this.recording = new VoicemailRecording(
      this.call.leg,
      file,
      this.deps.timer,
      this.deps.clock,
      options,
      (how, durationMs) => {
        this.recording = null;
        box.deliver({ callId, caller, dnis, mailbox: c.mailbox, file: name, durationMs }).then(
          ({ voicemailId, interactionId }) => {
            this.deps.log.info({ callId, voicemailId, interactionId, how, durationMs }, 'voicemail left');
            this.feed({ type: 'recording_done', id: c.id, recordingId: voicemailId });
          },
          (err: unknown) => {
            this.deps.log.error({ err, callId }, 'voicemail could not be stored');
            if (this.phase === 'ended') return;
            this.end();
            this.call.leg.hangup();
          },
        );
      },
    );
    this.recording.start();
  }

  private play(id: string, prompts: string[], bargeIn: boolean, language: Language): void {
    this.playing = { id, bargeIn };
    const files = prompts.map((p) => this.promptFile(p, language));
    this.call.leg.play(files, {
      loop: false,
      onEnd: () => {
        if (this.playing?.id !== id) return;
        this.playing = null;
        this.feed({ type: 'playback_done', id });
      },
    });
  }

  private queue(c: Extract<IvrCommand, { type: 'queue' }>): void {
    this.phase = 'queueing';
    this.queuedBy = c;
    this.stopTimer();
    const input = {
      channel: 'voice' as const,
      queueId: c.queueId,
      from: this.call.caller,
      priority: c.priority,
      metadata: {
        callId: this.call.callId,
        dnis: this.call.dnis,
        ...(this.settings.flowId ? { flowId: this.settings.flowId } : {}),
        ivrPath: [...this.path],
        variables: c.variables,
      },
    };
    this.deps.desk.create(SYSTEM_ACTOR, input).then(
      ({ interaction }) => this.queued(interaction.id),
      (err: unknown) => {
        if (this.phase === 'ended') {
          void this.recordEnd('caller_hangup');
          return;
        }
        this.phase = 'ivr';
        const reason = err instanceof Error ? err.message : 'queue_failed';
        this.feed({ type: 'queue_result', ok: false, reason });
      },
    );
  }

  private queued(interactionId: string): void {
    this.interactionId = interactionId;
    if (this.phase === 'ended') {
      // The caller hung up while the interaction was being written.
      this.abandon();
      return;
    }
    this.phase = 'queued';
    this.feed({ type: 'queue_result', ok: true });
    this.deps.log.info({ callId: this.call.callId, interactionId }, 'caller queued');
    this.hold();
  }

  /** Hold music, looped, until the next announcement (if the queue node asks for them). */
  private hold(): void {
    const hold = this.promptFile(this.settings.holdPrompt, this.settings.language);
    this.call.leg.play([hold], { loop: true, onEnd: () => undefined });
    this.nextAnnouncement();
  }

  private nextAnnouncement(): void {
    const c = this.queuedBy;
    if (c === null || (!c.announcePosition && !c.announceWaitTime)) return;
    this.deps.timer.set(this.deps.clock.now() + c.announceEverySeconds * 1000, () => this.announce(c));
  }

  /** "You are caller number N… your expected wait is about M minutes", then hold music again. */
  private announce(c: Extract<IvrCommand, { type: 'queue' }>): void {
    const id = this.interactionId;
    if (this.phase !== 'queued' || id === null) return;
    const where = this.deps.queuePosition?.(id) ?? null;
    // Not waiting just now (an agent's phone rings): the music goes on, ask again later.
    if (where === null) return this.nextAnnouncement();
    const prompts = announcementPrompts({
      ...where,
      averageHandleSeconds: c.averageHandleSeconds,
      sayPosition: c.announcePosition,
      sayWaitTime: c.announceWaitTime,
      language: c.language,
    });
    const details = { position: where.position, staffedAgents: where.staffedAgents, prompts };
    this.deps.log.info(
      { callId: this.call.callId, interactionId: id, position: where.position },
      'announcement',
    );
    this.deps
      .noteEvent?.(id, 'announcement', details)
      .catch((err: unknown) => this.deps.log.warn({ err, interactionId: id }, 'announcement not noted'));
    this.call.leg.play(
      prompts.map((p) => this.promptFile(p, c.language)),
      { loop: false, onEnd: () => (this.phase === 'queued' ? this.hold() : undefined) },
    );
  }

  /**
   * Hotline is stopping: the caller hears the closing prompt (at most `maxMs`), then BYE; a waiting
   * interaction is closed as interrupted and the caller's CDR written before this settles.
   */
  async shutdown(closingPrompt: string, maxMs: number): Promise<void> {
    if (this.phase === 'ended' || this.phase === 'connected') return;
    const was = this.phase;
    const id = this.interactionId;
    this.recording?.hangup();
    this.transferAbort?.abort();
    this.phase = 'ended';
    this.stopTimer();
    this.playing = null;
    // Whichever comes first: the prompt ends, the caller hangs up, or the time is up.
    await new Promise<void>((done) => {
      this.call.leg.onHangup(done);
      this.deps.timer.set(this.deps.clock.now() + maxMs, done);
      const file = this.promptFile(closingPrompt, this.settings.language);
      this.call.leg.play([file], { loop: false, onEnd: done });
    });
    this.deps.timer.clear();
    this.call.leg.stopPlayback();
    this.call.leg.hangup();
    this.onEnded();
    this.deps.log.info({ callId: this.call.callId, interactionId: id, was }, 'call ended by shutdown');
    await this.recordEnd('shutdown');
    if (id !== null && was === 'queued') {
      await this.deps.routing
        .interrupt(id)
        .catch((err: unknown) => this.deps.log.warn({ err, interactionId: id }, 'interrupt failed'));
    }
  }

  private callerHungUp(): void {
    if (this.phase === 'ended') return;
    const was = this.phase;
    // The interpreter's state is dropped with the call, so it need not hear of the hangup.
    this.end();
    // Once connected, the agent connector owns the hangup.
    if (was === 'connected') return;
    if (was === 'queued') this.abandon();
    // A caller hanging up while queueing is recorded once the interaction exists (queued()).
    else if (was !== 'queueing') void this.recordEnd('caller_hangup');
  }

  /** The caller's CDR, for a call that ends without an agent; failures are logged, not thrown. */
  private recordEnd(cause: CallerLegEnd['cause']): Promise<void> {
    const fn = this.deps.callerEnded;
    if (fn === undefined) return Promise.resolve();
    const c = this.call;
    const end = { callId: c.callId, caller: c.caller, dnis: c.dnis, startedAt: this.startedAt, cause };
    return fn({ ...end, interactionId: this.interactionId }).catch((err: unknown) =>
      this.deps.log.warn({ err, callId: c.callId }, 'call record failed'),
    );
  }

  private abandon(): void {
    const id = this.interactionId;
    if (id === null) return;
    this.recordEnd('caller_hangup')
      .then(() => this.deps.routing.abandon(id))
      .then(
        () => this.deps.log.info({ callId: this.call.callId, interactionId: id }, 'caller abandoned'),
        (err: unknown) => this.deps.log.warn({ err, interactionId: id }, 'abandon failed'),
      );
  }

  private stopTimer(): void {
    this.timerId = null;
    this.deps.timer.clear();
  }

  private end(): void {
    if (this.phase === 'ended') return;
    // A message being recorded is kept: hanging up is how most callers finish one.
    this.recording?.hangup();
    this.transferAbort?.abort();
    this.transferAbort = null;
    this.phase = 'ended';
    this.stopTimer();
    this.playing = null;
    this.call.leg.stopPlayback();
    this.onEnded();
  }
}
