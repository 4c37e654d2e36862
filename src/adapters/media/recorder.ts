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
 * Appends are asynchronous (libuv's thread pool): a synchronous write blocks the one thread that
 * relays every call's packets, and on a busy disk a single write can stall for seconds — measured
 * with bench/media.ts, that was the loss. One append (the audio, then the header sizes) is in flight
 * at a time, so the header never claims audio that is not yet written; `flushed()` says when the
 * file has caught up. Opening the file and closing it while no append is in flight stay synchronous,
 * so a recording closed in the normal course is complete when `close()` returns.
 */
import { close as closeFd, closeSync, openSync, write as writeFd, writeSync } from 'node:fs';
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
  private chunk = new Int16Array(FLUSH_FRAMES * SAMPLES_PER_FRAME * 2);
  /** Appends handed off and not yet written, oldest first; the first is in flight when `writing`. */
  private readonly queue: { data: Buffer; at: number; dataBytes: number }[] = [];
  private writing = false;
  private fdClosed = false;
  private failure: Error | null = null;
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
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
    if (this.closed || this.failure) return;
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

  /**
   * Stops recording, writes what is buffered and fixes the header; returns the metadata. The file is
   * complete on return unless earlier appends are still being written (a slow disk); `flushed()`
   * resolves once it is complete either way.
   */
  close(): RecordingMetadata {
    if (!this.closed) {
      this.resume();
      this.closed = true;
      this.meta.durationMs = this.frames * FRAME_MS;
      if (this.fdClosed) {
        // An earlier write failed: the file keeps what was written before.
      } else if (!this.writing && this.queue.length === 0) {
        const data = this.handOff();
        if (data) {
          writeSync(this.fd, data.data, 0, data.data.length, data.at);
          writeSync(this.fd, wavHeader(2, 8000, 16, data.dataBytes), 0, WAV_HEADER_SIZE, 0);
        }
        closeSync(this.fd);
        this.fdClosed = true;
      } else {
        this.flush();
      }
    }
    return { ...this.meta, dtmf: [...this.meta.dtmf], pauses: [...this.meta.pauses] };
  }

  /**
   * Resolves when everything written so far is in the file with a header that says so (and, after
   * `close()`, the file is closed); rejects with the write error if the disk refused an append.
   */
  flushed(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.writing && this.queue.length === 0 && (!this.closed || this.fdClosed)) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Hands the buffered second to the write queue. */
  private flush(): void {
    const data = this.handOff();
    if (data) this.queue.push(data);
    this.pump();
  }

  /** Takes the buffered audio as file bytes at their offset; a fresh buffer takes its place. */
  private handOff(): { data: Buffer; at: number; dataBytes: number } | null {
    if (this.buffered === 0) return null;
    const bytes = this.buffered * BYTES_PER_FRAME;
    const view = Buffer.from(this.chunk.buffer, this.chunk.byteOffset, bytes);
    // WAV is little-endian; the typed array holds host order, so swap on a big-endian host.
    const data = LITTLE_ENDIAN ? view : Buffer.from(view).swap16();
    const at = WAV_HEADER_SIZE + this.written;
    this.written += bytes;
    this.buffered = 0;
    this.chunk = new Int16Array(this.chunk.length);
    return { data, at, dataBytes: this.written };
  }

  /** Writes the next queued append, then its header; after the last one of a closed recording, closes. */
  private pump(): void {
    if (this.writing || this.fdClosed) return;
    const next = this.queue.shift();
    if (!next) {
      if (this.closed) {
        this.fdClosed = true;
        this.writing = true;
        closeFd(this.fd, () => {
          this.writing = false;
          this.settle();
        });
      } else this.settle();
      return;
    }
    this.writing = true;
    writeFd(this.fd, next.data, 0, next.data.length, next.at, (err) => {
      if (err) return this.fail(err);
      const header = wavHeader(2, 8000, 16, next.dataBytes);
      writeFd(this.fd, header, 0, WAV_HEADER_SIZE, 0, (err2) => {
        if (err2) return this.fail(err2);
        this.writing = false;
        this.pump();
      });
    });
  }

  /** A refused write (disk full, I/O error) ends the recording; what was written stays playable. */
  private fail(err: Error): void {
    this.failure ??= err;
    this.queue.length = 0;
    this.writing = false;
    if (!this.fdClosed) {
      this.fdClosed = true;
      closeFd(this.fd, () => undefined);
    }
    this.settle();
  }

  private settle(): void {
    if (this.writing || this.queue.length > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (this.failure) w.reject(this.failure);
      else w.resolve();
    }
  }
}
/** Copies one frame into every second slot of `out` from `base` (0 = left, 1 = right); missing samples are silence. */
function interleave(out: Int16Array, base: number, channel: number, frame: Int16Array | null): void {
  const n = frame ? Math.min(frame.length, SAMPLES_PER_FRAME) : 0;
  let at = base + channel;
  for (let i = 0; i < n; i++, at += 2) out[at] = frame![i]!;
  for (let i = n; i < SAMPLES_PER_FRAME; i++, at += 2) out[at] = 0;
}
