import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Free and total bytes of the file system that holds `path` (for the disk alarm); a path not
 * created yet is looked up through its nearest existing parent.
 */
export function diskProbe(path: string): () => Promise<{ freeBytes: number; totalBytes: number }> {
  return async () => {
    let at = resolve(path);
    for (;;) {
      try {
        const s = await statfs(at);
        return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
      } catch (err) {
        const parent = dirname(at);
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === at) throw err;
        at = parent;
      }
    }
  };
}
