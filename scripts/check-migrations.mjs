#!/usr/bin/env node
// Fails when src/adapters/db/schema.ts and the committed migrations disagree: generates into a copy
// of migrations/ and checks that drizzle-kit found nothing new to write.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const dir = mkdtempSync(join(tmpdir(), 'hotline-migrations-'));
try {
  cpSync('migrations', dir, { recursive: true });
  const before = readdirSync(dir).filter((f) => f.endsWith('.sql')).length;
  const r = spawnSync(
    'npx',
    [
      'drizzle-kit',
      'generate',
      '--dialect',
      'postgresql',
      '--schema',
      './src/adapters/db/schema.ts',
      '--out',
      dir,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    process.exit(1);
  }
  const after = readdirSync(dir).filter((f) => f.endsWith('.sql')).length;
  if (after !== before) {
    console.error(
      'schema.ts and migrations/ disagree: run `npm run db:generate` and commit the new migration.',
    );
    process.exit(1);
  }
  console.log('migrations match the schema');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
