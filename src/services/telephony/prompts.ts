/**
 * Recorded prompts: the built-in English and Mandarin ones shipped in the prompts directory, and
 * uploads that replace one prompt for one language. Uploads may be any PCM WAV; the media adapter
 * converts them to what the player plays (8 kHz mono µ-law) before they are stored.
 */
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../auth/principal.js';
import type { AuditTrail } from '../audit.js';
import type { Store } from '../ports.js';

export const PROMPT_LANGUAGES = ['en', 'zh'] as const;
export type PromptLanguage = (typeof PROMPT_LANGUAGES)[number];

/** A prompt id as flows name it: lower-case `/`-separated parts (docs/ivr.md). */
export const PROMPT_NAME = /^[a-z0-9_-]{1,64}(\/[a-z0-9_-]{1,64}){0,3}$/;

/** One prompt of one language. */
export interface PromptEntry {
  language: PromptLanguage;
  name: string;
  /** Shipped with Hotline. */
  builtIn: boolean;
  /** Replaced (or added) by an upload; calls play the upload. */
  uploaded: boolean;
}

/** What an upload became after conversion. */
export interface ConvertedPrompt {
  wav: Buffer;
  durationMs: number;
  source: { sampleRate: number; channels: number; bitDepth: string };
}

/** The prompt files (the media adapter's folders). */
export interface PromptFiles {
  list(): Promise<PromptEntry[]>;
  /** The WAV a call plays for this prompt (the upload when there is one); null when there is none. */
  read(language: PromptLanguage, name: string): Promise<Buffer | null>;
  /** Converts any PCM WAV; the reason in words when it is not one. */
  convert(bytes: Buffer): { ok: true; prompt: ConvertedPrompt } | { ok: false; reason: string };
  store(language: PromptLanguage, name: string, wav: Buffer): Promise<void>;
  /** Removes the upload (the built-in plays again); false when there was none. */
  removeUpload(language: PromptLanguage, name: string): Promise<boolean>;
}

/** Longest prompt accepted, in ms (a prompt is an announcement, not a recording). */
export const MAX_PROMPT_MS = 5 * 60_000;

/** Lists, serves and replaces prompts; changes are audited. */
export class PromptLibrary {
  constructor(
    private readonly files: PromptFiles,
    private readonly store: Store,
    private readonly audit: AuditTrail,
  ) {}

  list(): Promise<PromptEntry[]> {
    return this.files.list();
  }

  /** The audio a call plays for the prompt. */
  async audio(language: PromptLanguage, name: string): Promise<Buffer> {
    const wav = PROMPT_NAME.test(name) ? await this.files.read(language, name) : null;
    if (!wav) throw new DomainError('PROMPT_NOT_FOUND', `no prompt ${language}/${name}`);
    return wav;
  }

  /** Converts and stores an uploaded WAV; from now on calls in that language play it. */
  async upload(actor: Actor, language: PromptLanguage, name: string, bytes: Buffer): Promise<PromptEntry> {
    if (!PROMPT_NAME.test(name) || name.startsWith('say/')) {
      throw new DomainError('PROMPT_NAME_INVALID', `"${name}" is not a prompt id`, { name });
    }
    const converted = this.files.convert(bytes);
    if (!converted.ok) {
      throw new DomainError('PROMPT_AUDIO_INVALID', `not a usable WAV file: ${converted.reason}`, {
        reason: converted.reason,
      });
    }
    const { prompt } = converted;
    if (prompt.durationMs === 0 || prompt.durationMs > MAX_PROMPT_MS) {
      const reason = prompt.durationMs === 0 ? 'the file has no audio' : 'longer than 5 minutes';
      throw new DomainError('PROMPT_AUDIO_INVALID', `not a usable WAV file: ${reason}`, { reason });
    }
    await this.files.store(language, name, prompt.wav);
    await this.audit.record(
      this.store,
      actor,
      'prompt.upload',
      { type: 'prompt', id: `${language}/${name}` },
      { durationMs: prompt.durationMs, source: prompt.source },
    );
    const entry = (await this.files.list()).find((p) => p.language === language && p.name === name);
    return entry ?? { language, name, builtIn: false, uploaded: true };
  }

  /** Drops the upload so the built-in prompt (if any) plays again. */
  async revert(actor: Actor, language: PromptLanguage, name: string): Promise<void> {
    const removed = PROMPT_NAME.test(name) && (await this.files.removeUpload(language, name));
    if (!removed) throw new DomainError('PROMPT_NOT_FOUND', `no uploaded prompt ${language}/${name}`);
    await this.audit.record(this.store, actor, 'prompt.revert', {
      type: 'prompt',
      id: `${language}/${name}`,
    });
  }
}
