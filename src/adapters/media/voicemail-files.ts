/**
 * Voicemail audio on disk: one mono WAV per message (8 kHz, 16-bit PCM) in the voicemail folder.
 * Like the call recorder, audio is appended once a second with the header sizes fixed right after,
 * so a crash loses at most the last second and leaves a playable file.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VoicemailFile, VoicemailFiles } from '../../services/calls/voicemail.js';
import { WAV_HEADER_SIZE, wavHeader, writeWavSizes } from './wav-header.js';

const SAMPLE_RATE = 8000;
/** Samples buffered between appends: one second. */
const FLUSH_SAMPLES = SAMPLE_RATE;
const NAME = /^[A-Za-z0-9_-]{1,100}\.wav$/;

class MonoWavWriter implements VoicemailFile {
  private readonly fd: number;
  private pending: Int16Array[] = [];
  private pendingSamples = 0;
  private samples = 0;
  private closed = false;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, wavHeader(1, SAMPLE_RATE, 16, 0));
  }

  write(samples: Int16Array): void {
    if (this.closed) return;
    this.pending.push(samples.slice());
    this.pendingSamples += samples.length;
    if (this.pendingSamples >= FLUSH_SAMPLES) this.flush();
  }

  finish(): { durationMs: number } {
    if (!this.closed) {
      this.flush();
      this.closed = true;
      closeSync(this.fd);
    }
    return { durationMs: Math.round((this.samples * 1000) / SAMPLE_RATE) };
  }

  private flush(): void {
    if (this.pendingSamples === 0) return;
    const buf = Buffer.alloc(this.pendingSamples * 2);
    let at = 0;
    for (const part of this.pending) for (const s of part) at = buf.writeInt16LE(s, at);
    writeSync(this.fd, buf, 0, buf.length, WAV_HEADER_SIZE + this.samples * 2);
    this.samples += this.pendingSamples;
    writeWavSizes(this.fd, this.samples * 2);
    this.pending = [];
    this.pendingSamples = 0;
  }
}

/**
 * The VoicemailFiles port on a folder.
 * @example const files = new VoicemailFolder('./data/voicemail'); const f = files.create('abc.wav');
 */
export class VoicemailFolder implements VoicemailFiles {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  create(name: string): VoicemailFile {
    if (!NAME.test(name)) throw new Error(`bad voicemail file name ${name}`);
    return new MonoWavWriter(join(this.dir, name));
  }

  async read(name: string): Promise<Buffer | null> {
    if (!NAME.test(name)) return null;
    try {
      return await readFile(join(this.dir, name));
    } catch {
      return null;
    }
  }
}
