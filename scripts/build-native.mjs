#!/usr/bin/env node
// Builds the optional native RTP addon (native/rtp-io) with node-gyp; run by `npm ci`/`npm install`
// (the package's install script) and by `npm run build:native`. It never fails the install: without
// a compiler, make or python3 the media path simply stays on node:dgram, and this says so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'native', 'rtp-io');

if (process.platform !== 'linux') {
  console.log('native/rtp-io: Linux only, RTP media will use node:dgram');
  process.exit(0);
}
// npm passes its own node-gyp; run directly, use the one bundled with npm next to node.
const candidates = [
  process.env.npm_config_node_gyp,
  join(
    dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  ),
].filter((p) => p && existsSync(p));
if (candidates.length === 0) {
  console.log('native/rtp-io: node-gyp not found, RTP media will use node:dgram');
  process.exit(0);
}
const args = [candidates[0], 'rebuild', '--directory', dir];
// Build against the headers installed with this node (no download) unless npm names a nodedir.
const prefix = join(dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
const r = spawnSync(process.execPath, args, {
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
});
if (r.status === 0) {
  console.log('native/rtp-io: built (RTP media uses the native batch path)');
} else {
  process.stderr.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  console.log(
    'native/rtp-io: BUILD FAILED (needs g++, make, python3 and Node headers); RTP media will use node:dgram',
  );
}
