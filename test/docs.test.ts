import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES } from '../src/domain/errors.js';
import { HTTP_STATUS } from '../src/api/error-status.js';

test('docs/errors.md lists every error code with the HTTP status it maps to', () => {
  const doc = readFileSync('docs/errors.md', 'utf8');
  for (const code of ERROR_CODES) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
    assert.ok(row, `docs/errors.md lacks ${code}`);
    const status = code === 'CONFIG_INVALID' ? '—' : String(HTTP_STATUS[code]);
    assert.equal(row.split('|')[2]!.trim(), status, `${code} status in docs`);
  }
});
