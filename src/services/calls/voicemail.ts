/**
 * Voicemail: a caller's message recorded in the IVR (`record_voicemail`), stored as a mono WAV and
 * brought to agents as a `callback` interaction in the mailbox's queue — a voicemail is a request
 * to be called back, so it is routed like one; `metadata.voicemailId` tells it apart. The audio is
 * served by `GET /api/interactions/{id}/voicemail`.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../auth/principal.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import type { InteractionDesk } from '../interactions.js';
import type { Clock, Logger, Store, Timer } from '../ports.js';
import type { CallLeg } from './ports.js';

/** A WAV being written: 8 kHz mono samples in, its length out. */
export interface VoicemailFile {
  write(samples: Int16Array): void;
  /** Flushes and closes; safe to call twice. */
  finish(): { durationMs: number };
}

/** Where voicemail audio lives (the media adapter's folder). */
export interface VoicemailFiles {
  create(name: string): VoicemailFile;
  read(name: string): Promise<Buffer | null>;
}

/** How a recording ended. */
export type RecordingEnd = 'key' | 'silence' | 'max_length' | 'hangup';

/** Below this RMS a frame counts as silence (G.711 line noise sits well under it). */
const SILENCE_RMS = 200;

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
}

/** Options of one recording. */
export interface RecordingOptions {
  /** Prompt files played first (the greeting, then the beep). */
  promptFiles: string[];
  maxSeconds: number;
  /** Silence that ends the message. */
  silenceSeconds: number;
}

/**
 * One message being recorded on a call: prompts, then the caller's audio until #, silence, the
 * maximum length or the hang-up.
 */
export class VoicemailRecording {
  private stopAudio: (() => void) | null = null;
  private silentSamples = 0;
  private done = false;

  constructor(
    private readonly leg: CallLeg,
    private readonly file: VoicemailFile,
    private readonly timer: Timer,
    private readonly clock: Clock,
    private readonly options: RecordingOptions,
    private readonly onEnd: (how: RecordingEnd, durationMs: number) => void,
  ) {}

  start(): void {
    this.leg.play(this.options.promptFiles, { loop: false, onEnd: () => this.capture() });
  }

  /** # ends the message (also during the greeting, which then records nothing). */
  digit(digit: string): void {
    if (digit === '#') this.stop('key');
  }

  hangup(): void {
    this.stop('hangup');
  }

  private capture(): void {
    if (this.done) return;
    this.timer.set(this.clock.now() + this.options.maxSeconds * 1000, () => this.stop('max_length'));
    const silenceLimit = this.options.silenceSeconds * 8000;
    this.stopAudio = this.leg.onAudio((samples) => {
      this.file.write(samples);
      this.silentSamples = rms(samples) < SILENCE_RMS ? this.silentSamples + samples.length : 0;
      if (this.silentSamples >= silenceLimit) this.stop('silence');
    });
  }

  private stop(how: RecordingEnd): void {
    if (this.done) return;
    this.done = true;
    this.stopAudio?.();
    this.timer.clear();
    this.leg.stopPlayback();
    const { durationMs } = this.file.finish();
    this.onEnd(how, durationMs);
  }
}

/** A recorded message to keep and deliver. */
export interface NewVoicemail {
  callId: string;
  caller: string;
  dnis: string;
  /** The queue whose agents get it (the flow's `mailbox`); null stores it without an interaction. */
  mailbox: string | null;
  file: string;
  durationMs: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Stores messages, creates their interactions, and serves their audio. */
export class VoicemailBox {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly files: VoicemailFiles,
    private readonly desk: Pick<InteractionDesk, 'create' | 'get'>,
    private readonly log: Logger,
  ) {}

  /** A fresh file for a message; `name` is what `deliver` and the row keep. */
  newFile(): { name: string; file: VoicemailFile } {
    const name = `${randomUUID()}.wav`;
    return { name, file: this.files.create(name) };
  }

  /**
   * Writes the message, then the interaction in the mailbox's queue (after hours too: the message
   * waits for an agent). Resolves with the voicemail id and the interaction id, if one was made.
   */
  async deliver(v: NewVoicemail): Promise<{ voicemailId: string; interactionId: string | null }> {
    const id = randomUUID();
    await this.store.voicemails.insert({
      id,
      interactionId: null,
      callId: v.callId,
      caller: v.caller,
      dnis: v.dnis,
      mailbox: v.mailbox,
      file: v.file,
      durationMs: v.durationMs,
      createdAt: new Date(this.clock.now()),
    });
    const queueId = v.mailbox !== null && UUID.test(v.mailbox) ? v.mailbox : null;
    if (queueId === null || !(await this.store.queues.byId(queueId))) {
      this.log.warn(
        { voicemailId: id, callId: v.callId },
        'voicemail kept without an interaction: no such mailbox queue',
      );
      return { voicemailId: id, interactionId: null };
    }
    const { interaction } = await this.desk.create(SYSTEM_ACTOR, {
      channel: 'callback',
      queueId,
      from: v.caller,
      subject: 'Voicemail',
      ignoreBusinessHours: true,
      metadata: { voicemailId: id, callId: v.callId, dnis: v.dnis, durationMs: v.durationMs },
    });
    await this.store.voicemails.setInteraction(id, interaction.id);
    return { voicemailId: id, interactionId: interaction.id };
  }

  /** The WAV of the interaction's voicemail, for those who may see the interaction. */
  async audio(p: Principal, interactionId: string): Promise<Buffer> {
    await this.desk.get(p, interactionId);
    const v = await this.store.voicemails.byInteraction(interactionId);
    const audio = v ? await this.files.read(v.file) : null;
    if (!audio) throw new DomainError('VOICEMAIL_NOT_FOUND', 'This interaction has no voicemail.');
    return audio;
  }
}
