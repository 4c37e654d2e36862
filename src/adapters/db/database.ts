import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open database: the embedded PGlite or a PostgreSQL server, with the same schema and SQL. */
export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; when null the embedded PGlite is used. */
  url: string | null;
  /** PGlite data directory; null keeps it in memory (tests). */
  dataDir: string | null;
  /** A PGlite data dump to start a new, empty data directory from (tests clone a migrated template). */
  loadDataDir?: Blob;
}

/** The folder holding the versioned SQL migrations, found from this file in src/ or dist/src/. */
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) {
      return join(dir, 'migrations');
    }
    dir = dirname(dir);
  }
  throw new Error('migrations folder not found');
}

/** Opens the database and applies pending migrations (recorded in drizzle.__drizzle_migrations). */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const folder = migrationsFolder();
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    // An idle client's socket error must not take the process down; the next query reports it.
    pool.on('error', () => undefined);
    const db = drizzlePg(pool, { schema });
    await migratePg(db, { migrationsFolder: folder });
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      ping: async () => {
        await db.execute(sql`select 1`);
      },
      close: () => pool.end(),
    };
  }
  let client: PGlite;
  if (opts.dataDir) {
    const dir = resolve(opts.dataDir);
    const fresh = !existsSync(dir) || readdirSync(dir).length === 0;
    mkdirSync(dir, { recursive: true });
    client = new PGlite(dir, fresh && opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
  } else {
    client = new PGlite(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
  }
  await client.waitReady;
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder: folder });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}
