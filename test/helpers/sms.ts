/** Helpers for SMS tests: settle a message, wait for a condition, write a JSON config. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestHotline } from './hotline.js';

const FINAL = new Set(['delivered', 'failed', 'expired', 'rejected', 'uncertain']);

/** Polls GET /api/sms/:id until the message reaches a final state (bounded). */
export async function settledSms(t: TestHotline, id: string, ms = 10_000): Promise<any> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await t.call('GET', `/api/sms/${id}`, undefined, t.adminToken);
    assert.equal(r.status, 200);
    if (FINAL.has(r.body.status)) return r.body;
    if (Date.now() > until) assert.fail(`message still ${r.body.status}: ${JSON.stringify(r.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Polls `check` until it returns a truthy value (bounded); fails with `what`. */
export async function waitFor<T>(what: string, check: () => Promise<T> | T, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Writes a HOTLINE_CONFIG JSON file into a fresh temp dir; returns its path. */
export function writeConfig(config: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'hotline-config-')), 'hotline.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}
