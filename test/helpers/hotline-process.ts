/**
 * A real Hotline process for tests that kill it (kill -9) and start it again: started from source,
 * ready once it logs its address, and a plain fetch-based API client against it.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Starts `src/main.ts` with `env`; resolves with the process and its base URL once it listens. */
export async function startProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const base = await new Promise<string>((resolve, reject) => {
    // A guard against a hang, not a measurement: a loaded machine compiles and starts slowly.
    const timer = setTimeout(() => reject(new Error(`no start within 180 s:\n${out}`)), 180_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /"address":"(http:\/\/[^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
  // Keep reading so a chatty log never blocks the child on a full pipe.
  child.stdout.resume();
  child.stderr.resume();
  return { child, base };
}

/** One JSON request; the body parsed when there is one. */
export async function api(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
