/**
 * Call recording to a stereo WAV (left = caller, right = agent, 8 kHz 16-bit PCM), written so that
 * a crash loses at most the last second: audio is appended once per second of recorded time and
 * the header sizes are rewritten right after each append (and on close). `repairWav` recovers
 * a file whose last append outran its header fix.
 *
 * Pause (e.g. while a card number is read out) writes silence rather than omitting the time, so
 * offsets in the recording stay aligned with the call's event log; the paused spans are listed in
 * the metadata, and DTMF is not noted while paused.
 *
 * Writes are synchronous: one ~32 KB write per second per call keeps ordering trivial and means
 * the file on disk is exactly what the header says after every flush.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { SAMPLES_PER_FRAME } from './g711.js';
import { WAV_HEADER_SIZE, wavHeader, writeWavSizes } from './wav-header.js';

const FRAME_MS = 20;
const BYTES_PER_FRAME = SAMPLES_PER_FRAME * 4; // two channels × 16 bit
/** Frames buffered between appends: one second. */
const FLUSH_FRAMES = 50;

/** What the recording contains besides audio, offsets in ms from its start. */
export interface RecordingMetadata {
  durationMs: number;
  dtmf: { digit: string; atMs: number }[];
  pauses: { fromMs: number; toMs: number }[];
}

/** A recording in progress. Feed it one frame pair every 20 ms with `write`. */
export class CallRecorder {
  private readonly fd: number;
  private pending: Buffer[] = [];
  private frames = 0;
  private written = 0;
  private pausedAt: number | null = null;
  private closed = false;
  private readonly meta: RecordingMetadata = { durationMs: 0, dtmf: [], pauses: [] };

  /** Creates (or truncates) `path` and writes a header with zero sizes. */
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, wavHeader(2, 8000, 16, 0));
  }

  /** Appends 20 ms: caller → left, agent → right; null or short frames are padded with silence. */
  write(caller: Int16Array | null, agent: Int16Array | null): void {
    if (this.closed) return;
    const buf = Buffer.alloc(BYTES_PER_FRAME);
    if (this.pausedAt === null) {
      for (let i = 0; i < SAMPLES_PER_FRAME; i++) {
        buf.writeInt16LE(caller?.[i] ?? 0, i * 4);
        buf.writeInt16LE(agent?.[i] ?? 0, i * 4 + 2);
      }
    }
    this.pending.push(buf);
    this.frames++;
    if (this.pending.length >= FLUSH_FRAMES) this.flush();
  }

  /** Notes a DTMF digit at the current position (ignored while paused). */
  noteDtmf(digit: string): void {
    if (this.closed || this.pausedAt !== null) return;
    this.meta.dtmf.push({ digit, atMs: this.frames * FRAME_MS });
  }

  /** Starts writing silence instead of audio. */
  pause(): void {
    if (this.pausedAt === null && !this.closed) this.pausedAt = this.frames * FRAME_MS;
  }

  /** Returns to recording audio. */
  resume(): void {
    if (this.pausedAt === null) return;
    this.meta.pauses.push({ fromMs: this.pausedAt, toMs: this.frames * FRAME_MS });
    this.pausedAt = null;
  }

  /** True while paused. */
  get paused(): boolean {
    return this.pausedAt !== null;
  }

  /** Writes what is buffered and fixes the header; returns the metadata. */
  close(): RecordingMetadata {
    if (!this.closed) {
      this.resume();
      this.flush();
      this.closed = true;
      closeSync(this.fd);
      this.meta.durationMs = this.frames * FRAME_MS;
    }
    return { ...this.meta, dtmf: [...this.meta.dtmf], pauses: [...this.meta.pauses] };
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    writeSync(this.fd, chunk, 0, chunk.length, WAV_HEADER_SIZE + this.written);
    this.written += chunk.length;
    writeWavSizes(this.fd, this.written);
  }
}
