/**
 * First-load weight of the web app: the JavaScript index.html loads before anything else (entry
 * script and module preloads), gzipped at level 9. The agent desktop is in that first load; the
 * wallboard and admin console are lazy chunks. Run after `npm run build`; ends with one JSON line
 * and fails when the first load exceeds the 300 kB budget.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 300_000;
const dist = join(import.meta.dirname, '..', 'web', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const first = [
  ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g),
].map((m) => m[1]!);
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const firstLoadJsGzipBytes = first.reduce((sum, f) => sum + gz(f), 0);
const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
const allJsGzipBytes = all.reduce((sum, f) => sum + gz(join('assets', f)), 0);
for (const f of all) console.log(`${f.padEnd(32)} ${(gz(join('assets', f)) / 1024).toFixed(1)} kB gzip`);
console.log(
  JSON.stringify({
    firstLoadJsGzipBytes,
    allJsGzipBytes,
    budgetBytes: BUDGET_BYTES,
    withinBudget: firstLoadJsGzipBytes <= BUDGET_BYTES,
  }),
);
if (firstLoadJsGzipBytes > BUDGET_BYTES) process.exitCode = 1;
