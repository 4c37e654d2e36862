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
import { endianness } from 'node:os';
import { SAMPLES_PER_FRAME } from './g711.js';
import { WAV_HEADER_SIZE, wavHeader } from './wav-header.js';

const FRAME_MS = 20;
const BYTES_PER_FRAME = SAMPLES_PER_FRAME * 4; // two channels × 16 bit
/** Frames buffered between appends: one second. */
const FLUSH_FRAMES = 50;
const LITTLE_ENDIAN = endianness() === 'LE';

/** What the recording contains besides audio, offsets in ms from its start. */
export interface RecordingMetadata {
  durationMs: number;
  dtmf: { digit: string; atMs: number }[];
  pauses: { fromMs: number; toMs: number }[];
}

/** A recording in progress. Feed it one frame pair every 20 ms with `write`. */
export class CallRecorder {
  private readonly fd: number;
  /** The second being buffered, as interleaved stereo samples. */
  private readonly chunk = new Int16Array(FLUSH_FRAMES * SAMPLES_PER_FRAME * 2);
  private buffered = 0;
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
    // Interleave straight into the second being buffered: no per-frame allocation, and a typed
    // array store instead of a bounds-checked writeInt16LE per sample (hot at hundreds of calls).
    const base = this.buffered * SAMPLES_PER_FRAME * 2;
    const out = this.chunk;
    if (this.pausedAt === null) {
      interleave(out, base, 0, caller);
      interleave(out, base, 1, agent);
    } else {
      out.fill(0, base, base + SAMPLES_PER_FRAME * 2);
    }
    this.buffered++;
    this.frames++;
    if (this.buffered >= FLUSH_FRAMES) this.flush();
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
    if (this.buffered === 0) return;
    const bytes = this.buffered * BYTES_PER_FRAME;
    const view = Buffer.from(this.chunk.buffer, this.chunk.byteOffset, bytes);
    // WAV is little-endian; the typed array holds host order, so swap on a big-endian host.
    const data = LITTLE_ENDIAN ? view : Buffer.from(view).swap16();
    writeSync(this.fd, data, 0, bytes, WAV_HEADER_SIZE + this.written);
    this.buffered = 0;
    this.written += bytes;
    // The whole header in one write rather than two size patches: one syscall fewer per second.
    writeSync(this.fd, wavHeader(2, 8000, 16, this.written), 0, WAV_HEADER_SIZE, 0);
  }
}

/** Copies one frame into every second slot of `out` from `base` (0 = left, 1 = right); missing samples are silence. */
function interleave(out: Int16Array, base: number, channel: number, frame: Int16Array | null): void {
  const n = frame ? Math.min(frame.length, SAMPLES_PER_FRAME) : 0;
  let at = base + channel;
  for (let i = 0; i < n; i++, at += 2) out[at] = frame![i]!;
  for (let i = n; i < SAMPLES_PER_FRAME; i++, at += 2) out[at] = 0;
}
