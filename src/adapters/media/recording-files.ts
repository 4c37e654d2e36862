// Recording files as the API serves them: size and byte ranges of a WAV on disk.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { RecordingFiles } from '../../services/calls/voice-desk.js';

/** The RecordingFiles port on the local file system. */
export const localRecordingFiles: RecordingFiles = {
  async size(path: string): Promise<number | null> {
    try {
      const s = await stat(path);
      return s.isFile() ? s.size : null;
    } catch {
      return null;
    }
  },
  read(path: string, start: number, end: number): Readable {
    return createReadStream(path, { start, end });
  },
};
