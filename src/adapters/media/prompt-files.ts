/**
 * Prompt files on disk: the built-in prompts (`<promptsDir>/<language>/<name>.wav`, shipped) and
 * uploads (`<uploadDir>/<language>/<name>.wav`, in the data directory) that take their place. An
 * upload is any PCM WAV (8–32-bit or float, any rate, mono or stereo), stored converted to 8 kHz mono
 * µ-law, the player's own format, so nothing is converted while a call plays it.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import wavefile from 'wavefile';
import type {
  ConvertedPrompt,
  PromptEntry,
  PromptFiles,
  PromptLanguage,
} from '../../services/telephony/prompts.js';
import { PROMPT_LANGUAGES, PROMPT_NAME } from '../../services/telephony/prompts.js';

const RATE = 8000;
/** WAVE format tags the converter reads: PCM, IEEE float, A-law, µ-law, extensible. */
const PCM = 1;
const FLOAT = 3;
const ALAW = 6;
const MULAW = 7;
const EXTENSIBLE = 0xfffe;

/** Prompt names under a language folder (`say/digit-1` for say/digit-1.wav). */
function namesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.wav')) out.push(relative(dir, p).slice(0, -4).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.filter((n) => PROMPT_NAME.test(n));
}

/** Any PCM WAV → 8 kHz mono µ-law WAV, or why not. */
export function convertPromptWav(
  bytes: Buffer,
): { ok: true; prompt: ConvertedPrompt } | { ok: false; reason: string } {
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes);
  } catch {
    return { ok: false, reason: 'not a WAV file' };
  }
  const fmt = wav.fmt as { audioFormat: number; sampleRate: number; numChannels: number };
  const source = { sampleRate: fmt.sampleRate, channels: fmt.numChannels, bitDepth: wav.bitDepth };
  if (![PCM, FLOAT, ALAW, MULAW, EXTENSIBLE].includes(fmt.audioFormat)) {
    return { ok: false, reason: `compressed audio (format ${fmt.audioFormat}) is not supported; use PCM` };
  }
  if (fmt.numChannels < 1 || fmt.numChannels > 2) {
    return { ok: false, reason: `${fmt.numChannels} channels; use mono or stereo` };
  }
  if (fmt.sampleRate < 8000 || fmt.sampleRate > 192000) {
    return { ok: false, reason: `sample rate ${fmt.sampleRate} Hz is out of range (8000–192000)` };
  }
  try {
    if (fmt.audioFormat === ALAW) wav.fromALaw();
    else if (fmt.audioFormat === MULAW) wav.fromMuLaw();
    if (wav.bitDepth !== '16') wav.toBitDepth('16');
    // A low-pass filter first, so music or speech above 4 kHz does not fold back as noise.
    if (fmt.sampleRate !== RATE) wav.toSampleRate(RATE, { method: 'sinc', LPF: true });
  } catch (err) {
    return { ok: false, reason: `cannot read the audio (${(err as Error).message})` };
  }
  const samples = wav.getSamples(false, Int16Array) as unknown as Int16Array | Int16Array[];
  let mono: Int16Array;
  if (Array.isArray(samples)) {
    const [l, r] = samples;
    mono = new Int16Array(l?.length ?? 0);
    for (let i = 0; i < mono.length; i++) mono[i] = Math.round(((l?.[i] ?? 0) + (r?.[i] ?? 0)) / 2);
  } else mono = samples;
  const out = new wavefile.WaveFile();
  out.fromScratch(1, RATE, '16', mono);
  out.toMuLaw();
  return {
    ok: true,
    prompt: {
      wav: Buffer.from(out.toBuffer()),
      durationMs: Math.round((mono.length * 1000) / RATE),
      source,
    },
  };
}

/**
 * The PromptFiles port on two folders.
 * @example const prompts = new PromptFolders('./prompts', './data/prompts'); prompts.path('en', 'welcome');
 */
export class PromptFolders implements PromptFiles {
  constructor(
    private readonly builtInDir: string,
    private readonly uploadDir: string,
  ) {}

  /** The file a call plays: the upload when there is one, else the built-in. */
  path(language: string, name: string): string {
    const uploaded = join(this.uploadDir, language, `${name}.wav`);
    return existsSync(uploaded) ? uploaded : join(this.builtInDir, language, `${name}.wav`);
  }

  list(): Promise<PromptEntry[]> {
    const out: PromptEntry[] = [];
    for (const language of PROMPT_LANGUAGES) {
      const builtIn = new Set(namesIn(join(this.builtInDir, language)));
      const uploaded = new Set(namesIn(join(this.uploadDir, language)));
      for (const name of [...new Set([...builtIn, ...uploaded])].sort()) {
        out.push({ language, name, builtIn: builtIn.has(name), uploaded: uploaded.has(name) });
      }
    }
    return Promise.resolve(out);
  }

  async read(language: PromptLanguage, name: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(language, name));
    } catch {
      return null;
    }
  }

  convert(bytes: Buffer) {
    return convertPromptWav(bytes);
  }

  async store(language: PromptLanguage, name: string, wav: Buffer): Promise<void> {
    const path = join(this.uploadDir, language, `${name}.wav`);
    mkdirSync(dirname(path), { recursive: true });
    // Written aside and renamed, so a call never reads half a file.
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, wav);
    await rename(tmp, path);
  }

  async removeUpload(language: PromptLanguage, name: string): Promise<boolean> {
    const path = join(this.uploadDir, language, `${name}.wav`);
    if (!existsSync(path)) return false;
    await rm(path);
    return true;
  }
}
