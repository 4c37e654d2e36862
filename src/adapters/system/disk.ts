import { statfs } from 'node:fs/promises';

/** Free and total bytes of the file system that holds `path` (for the disk alarm). */
export function diskProbe(path: string): () => Promise<{ freeBytes: number; totalBytes: number }> {
  return async () => {
    const s = await statfs(path);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  };
}
