/** A real headless Chromium (playwright-core) against a test Hotline serving the built web app. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestHotline, type TestHotline, type TestOptions } from './hotline.js';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'web', 'dist', 'index.html');

/**
 * Makes sure web/dist exists (CI runs `npm run build` first). Locally it builds once; a lock
 * directory keeps two test files running at once from building over each other.
 */
export async function ensureWebBuilt(): Promise<void> {
  if (existsSync(DIST)) return;
  const lock = join(ROOT, 'web', '.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(DIST)) return;
      await sleep(200);
    }
  }
  try {
    if (!existsSync(DIST)) {
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web'],
        {
          cwd: ROOT,
          stdio: 'inherit',
        },
      );
      assert.equal(r.status, 0, 'vite build of the web app failed');
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function launchChromium(): Promise<Browser> {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium is missing (${CHROMIUM}): CI must install chromium (Debian package chromium)`,
  );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
}

export interface WebHotline {
  t: TestHotline;
  url: string;
  browser: Browser;
  /** A fresh browser profile (own storage) at 1366×768. */
  context(): Promise<BrowserContext>;
  /** Opens the app in a fresh context and signs in. */
  signIn(username: string, password: string): Promise<Page>;
  stop(): Promise<void>;
}

/** `setup` runs before the server listens (e.g. to restart with a flow that names a new queue). */
export async function startWebHotline(
  opts: TestOptions & { setup?: (t: TestHotline) => Promise<void> } = {},
): Promise<WebHotline> {
  await ensureWebBuilt();
  const browser = await launchChromium();
  const t = await startTestHotline(opts);
  await opts.setup?.(t);
  const url = await t.hotline.listen();
  const contexts: BrowserContext[] = [];
  const w: WebHotline = {
    t,
    url,
    browser,
    async context() {
      const c = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      // The CI machine is shared and slow at times; waits end as soon as the page shows the thing.
      c.setDefaultTimeout(90_000);
      contexts.push(c);
      return c;
    },
    async signIn(username, password) {
      const page = await (await w.context()).newPage();
      await page.goto(url);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('header.topbar').waitFor();
      return page;
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await t.stop();
    },
  };
  return w;
}

/** Saves a screenshot under test-results/ (CI keeps them; the best go to docs/screenshots). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}
