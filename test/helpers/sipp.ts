/** Runs SIPp scenarios from test/fixtures/sipp against a local Hotline. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SIPP = '/usr/bin/sipp';
const SCENARIOS = resolve(process.cwd(), 'test/fixtures/sipp');

export interface SippRun {
  scenario: string;
  port: number;
  /** The Request-URI user ([service]). */
  service?: string;
  transport?: 'u1' | 't1';
  /** SIPp's own address (any 127.x works on loopback). */
  localIp?: string;
  mediaPort: number;
  /** How long `<pause />` waits (SIPp -d); default 3000 ms. */
  pauseMs?: number;
  /** Calls to place (SIPp -m), default 1, at `rate` calls/s (-r). */
  calls?: number;
  rate?: number;
  /** SIPp's overall -timeout, default 30 s. */
  timeoutSec?: number;
}

/** One SIPp call; resolves with its exit code (0: the scenario passed) and output. */
export async function runSipp(r: SippRun): Promise<{ code: number | null; out: string }> {
  assert.ok(existsSync(SIPP), `SIPp is missing (${SIPP}): CI must install the Debian package sip-tester`);
  const cwd = mkdtempSync(join(tmpdir(), 'hotline-sipp-'));
  const args = ['-sf', join(SCENARIOS, r.scenario), `127.0.0.1:${r.port}`, '-i', r.localIp ?? '127.0.0.1'];
  args.push('-mp', String(r.mediaPort), '-m', String(r.calls ?? 1), '-nostdin', '-t', r.transport ?? 'u1');
  args.push('-timeout', `${r.timeoutSec ?? 30}s`);
  if (r.rate !== undefined) args.push('-r', String(r.rate));
  args.push('-d', String(r.pauseMs ?? 3000));
  if (r.service !== undefined) args.push('-s', r.service);
  const child = spawn(SIPP, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  // Our own child, by its PID, should SIPp itself hang past its -timeout.
  const guard = setTimeout(() => child.kill('SIGKILL'), 45_000);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(guard);
  rmSync(cwd, { recursive: true, force: true });
  return { code, out };
}

/** Polls `check` every 50 ms until it holds; fails naming `what` after `ms`. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms = 20_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
