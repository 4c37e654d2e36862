/**
 * Plays prompts and music on hold: 8 kHz mono audio cut into 160-sample (20 ms) frames, paced by a
 * Scheduler. Frame n is due at start + n·20 ms, computed from the start time rather than chained
 * timeouts, so timer lateness never accumulates into drift (a late tick is followed by an
 * immediately due one that catches up).
 */
import wavefile from 'wavefile';
import { decodeG711, SAMPLES_PER_FRAME, type G711Codec } from './g711.js';
import type { ScheduledTask, Scheduler } from './scheduler.js';

/** Frame spacing in ms. */
export const FRAME_MS = 20;

/** Decodes an 8 kHz mono WAV (PCM16, mu-law or A-law) to PCM16; throws on other formats. */
export function decodePromptWav(bytes: Uint8Array): Int16Array {
  const wav = new wavefile.WaveFile();
  wav.fromBuffer(bytes);
  const fmt = wav.fmt as { sampleRate: number; numChannels: number };
  if (fmt.sampleRate !== 8000 || fmt.numChannels !== 1) {
    throw new Error(`prompt must be 8 kHz mono, got ${fmt.sampleRate} Hz × ${fmt.numChannels}`);
  }
  if (wav.bitDepth === '8m') wav.fromMuLaw();
  else if (wav.bitDepth === '8a') wav.fromALaw();
  else if (wav.bitDepth !== '16') throw new Error(`unsupported prompt encoding (bit depth ${wav.bitDepth})`);
  return wav.getSamples(false, Int16Array) as unknown as Int16Array;
}

/** Decodes raw (headerless) G.711 to PCM16. */
export function decodeRawPrompt(codec: G711Codec, bytes: Uint8Array): Int16Array {
  return decodeG711(codec, bytes);
}

/** How to play. */
export interface PlayerOptions {
  scheduler: Scheduler;
  /** Receives each 20 ms frame (160 samples; the last one padded with silence). */
  onFrame: (samples: Int16Array) => void;
  /** Called once when a non-looping playback finishes (not when stopped). */
  onEnd?: () => void;
  /** Repeat seamlessly until stopped (music on hold). */
  loop?: boolean;
}

/** One playback of a sample buffer. */
export class Player {
  private task: ScheduledTask | null = null;
  private startMs = 0;
  private frame = 0;
  private running = false;

  constructor(
    private readonly samples: Int16Array,
    private readonly opts: PlayerOptions,
  ) {}

  /** Starts playing now: the first frame is emitted at once, then every 20 ms. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.startMs = this.opts.scheduler.now();
    this.frame = 0;
    this.tick();
  }

  /** Stops playback; no further frames or onEnd. */
  stop(): void {
    this.running = false;
    this.task?.cancel();
    this.task = null;
  }

  /** True while frames are still to come. */
  get playing(): boolean {
    return this.running;
  }

  private tick(): void {
    if (!this.running) return;
    const frame = this.frameAt(this.frame);
    if (!frame) {
      this.running = false;
      this.opts.onEnd?.();
      return;
    }
    this.frame++;
    this.task = this.opts.scheduler.at(this.startMs + this.frame * FRAME_MS, () => this.tick());
    this.opts.onFrame(frame);
  }

  private frameAt(n: number): Int16Array | null {
    const len = this.samples.length;
    const from = n * SAMPLES_PER_FRAME;
    if (len === 0 || (!this.opts.loop && from >= len)) return null;
    const out = new Int16Array(SAMPLES_PER_FRAME);
    for (let i = 0; i < SAMPLES_PER_FRAME; i++) {
      const at = from + i;
      // Looping wraps mid-frame so music on hold has no silent gap at the seam.
      if (this.opts.loop) out[i] = this.samples[at % len]!;
      else if (at < len) out[i] = this.samples[at]!;
    }
    return out;
  }
}
