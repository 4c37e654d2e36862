/** Starts a whole Hotline in-process for a test, on PGlite or (DATABASE_URL) PostgreSQL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig } from '../../src/config/index.js';
import { createHotline, type Hotline } from '../../src/main.js';
import { freshPostgres, pgliteTemplate, POSTGRES_URL } from './database.js';
import { ManualClock } from './manual-clock.js';

export const ADMIN_PASSWORD = 'admin-secret-1';

export interface TestHotline {
  hotline: Hotline;
  clock: ManualClock | null;
  adminToken: string;
  /** Calls the API in-process; returns status and parsed JSON body. */
  call<T = any>(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: T }>;
  /** Logs in and returns the session token. */
  login(username: string, password: string): Promise<string>;
  /** Stops and starts again on the same database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  databaseUrl: string | null;
}

export interface TestOptions {
  /** Time moves only with clock.advance(); routing's and the SMS dispatcher's timers follow it. */
  manualClock?: boolean;
  /** Start time of the manual clock (default 2026-11-23 09:00 UTC). */
  clockStart?: number;
  env?: Record<string, string>;
  /** Hotline's logger (default: none). */
  logger?: Logger;
}

export async function startTestHotline(opts: TestOptions = {}): Promise<TestHotline> {
  const pgdb = POSTGRES_URL ? await freshPostgres() : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-test-'));
  const config = loadConfig({
    HOTLINE_DATA_DIR: dataDir,
    HOTLINE_HOST: '127.0.0.1',
    HOTLINE_PORT: '0',
    HOTLINE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    HOTLINE_LOG_LEVEL: 'silent',
    ...(pgdb ? { DATABASE_URL: pgdb.url } : {}),
    ...opts.env,
  });
  const clock = opts.manualClock ? new ManualClock(opts.clockStart) : null;
  // On the wall clock the time of day must not decide a test: marketing may go at any hour. Tests of
  // send windows drive a manual clock and keep the default windows.
  if (!clock && !opts.env?.HOTLINE_CONFIG) config.sms.sendWindows = {};
  const template = pgdb ? undefined : await pgliteTemplate();
  const start = () =>
    createHotline(config, {
      logger: opts.logger ?? false,
      loadDataDir: template,
      ...(clock ? { clock, timer: clock, smsTimer: clock.timer() } : {}),
    });
  let hotline = await start();

  const t: TestHotline = {
    hotline,
    clock,
    adminToken: '',
    databaseUrl: pgdb?.url ?? null,
    async call(method, url, body, token) {
      const res = await t.hotline.app.inject({
        method,
        url,
        ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      let parsed: unknown = undefined;
      if (res.body) {
        try {
          parsed = JSON.parse(res.body);
        } catch {
          parsed = res.body;
        }
      }
      return { status: res.statusCode, body: parsed as never };
    },
    async login(username, password) {
      const r = await t.call('POST', '/api/auth/login', { username, password });
      if (r.status !== 200)
        throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return (r.body as { token: string }).token;
    },
    async restart() {
      await t.hotline.close();
      hotline = await start();
      t.hotline = hotline;
    },
    async stop() {
      await t.hotline.close();
      await pgdb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  t.adminToken = await t.login('admin', ADMIN_PASSWORD);
  return t;
}
