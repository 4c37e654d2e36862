/**
 * The canonical 44-octet PCM WAV header, and the size fix-up that makes a file cut short playable:
 * a recording that crashed still has valid audio after the header, only the sizes are stale.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

/** Offset of the first sample in files this module writes. */
export const WAV_HEADER_SIZE = 44;

/** Builds a PCM WAV header for `dataBytes` of audio. */
export function wavHeader(
  channels: number,
  sampleRate: number,
  bitsPerSample: number,
  dataBytes: number,
): Buffer {
  const blockAlign = (channels * bitsPerSample) / 8;
  const h = Buffer.alloc(WAV_HEADER_SIZE);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(bitsPerSample, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Rewrites the RIFF and data sizes of an open WAV file written by wavHeader. */
export function writeWavSizes(fd: number, dataBytes: number): void {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(36 + dataBytes, 0);
  writeSync(fd, b, 0, 4, 4);
  b.writeUInt32LE(dataBytes, 0);
  writeSync(fd, b, 0, 4, 40);
}

/**
 * Fixes the header sizes of a PCM WAV file cut short (e.g. by a crash), dropping a trailing partial
 * sample frame. Walks the chunk list, so files with extra chunks before 'data' work too.
 * Returns the number of audio octets now in the file, or null if it is not a RIFF/WAVE file.
 */
export function repairWav(path: string): number | null {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, 4096));
    readSync(fd, head, 0, head.length, 0);
    if (
      head.length < 12 ||
      head.toString('ascii', 0, 4) !== 'RIFF' ||
      head.toString('ascii', 8, 12) !== 'WAVE'
    ) {
      return null;
    }
    let blockAlign = 1;
    let offset = 12;
    while (offset + 8 <= head.length) {
      const id = head.toString('ascii', offset, offset + 4);
      const len = head.readUInt32LE(offset + 4);
      if (id === 'fmt ' && offset + 22 <= head.length)
        blockAlign = Math.max(1, head.readUInt16LE(offset + 20));
      if (id === 'data') {
        const start = offset + 8;
        const dataBytes = Math.max(0, size - start) - (Math.max(0, size - start) % blockAlign);
        ftruncateSync(fd, start + dataBytes);
        const b = Buffer.alloc(4);
        b.writeUInt32LE(start + dataBytes - 8, 0);
        writeSync(fd, b, 0, 4, 4);
        b.writeUInt32LE(dataBytes, 0);
        writeSync(fd, b, 0, 4, offset + 4);
        return dataBytes;
      }
      offset += 8 + len + (len % 2); // chunks are word aligned
    }
    return null;
  } finally {
    closeSync(fd);
  }
}
