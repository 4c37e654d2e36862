/**
 * Test databases: a migrated PGlite template cloned per test (fast), or — when DATABASE_URL is set —
 * a fresh database on that PostgreSQL server per test, dropped afterwards.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from '../../src/adapters/db/database.js';

export const POSTGRES_URL = process.env.DATABASE_URL || null;

function migrationsHash(): string {
  const dir = migrationsFolder();
  const h = createHash('sha256');
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.sql')) h.update(readFileSync(join(dir, f)));
  h.update(readFileSync(join(dir, 'meta', '_journal.json')));
  return h.digest('hex').slice(0, 16);
}

/** A migrated PGlite data dump, built once per migration set and shared by test processes. */
export async function pgliteTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `hotline-pglite-template-${migrationsHash()}.tar`);
  if (!existsSync(file)) {
    const client = new PGlite();
    await migrate(drizzle(client), { migrationsFolder: migrationsFolder() });
    const dump = await client.dumpDataDir('none');
    await client.close();
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file); // atomic: concurrent test processes never read half a file
  }
  return new Blob([readFileSync(file)]);
}

/** A fresh, empty PostgreSQL database for one test; `drop` removes it. */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!POSTGRES_URL) throw new Error('DATABASE_URL is not set');
  const name = `hotline_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
