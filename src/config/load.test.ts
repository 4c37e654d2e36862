import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load.js';
import { DomainError } from '../domain/errors.js';

const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof DomainError && e.code === 'CONFIG_INVALID' && pattern.test(e.message);

test('defaults: embedded database in ./data, port 8080', () => {
  const c = loadConfig({});
  assert.equal(c.http.port, 8080);
  assert.equal(c.database.url, null);
  assert.equal(c.database.dataDir, './data');
  assert.equal(c.auth.adminUsername, 'admin');
});

test('a config file is read and environment variables win over it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-cfg-'));
  const file = join(dir, 'hotline.json');
  writeFileSync(file, JSON.stringify({ http: { port: 9000, host: '127.0.0.1' }, timeZone: 'Asia/Shanghai' }));
  const c = loadConfig({ HOTLINE_CONFIG: file, HOTLINE_PORT: '9100', DATABASE_URL: 'postgres://u@h/db' });
  assert.equal(c.http.port, 9100);
  assert.equal(c.http.host, '127.0.0.1');
  assert.equal(c.timeZone, 'Asia/Shanghai');
  assert.equal(c.database.url, 'postgres://u@h/db');
});

test('bad values are refused at start with the setting named', () => {
  assert.throws(() => loadConfig({ HOTLINE_PORT: 'eighty' }), invalid(/HOTLINE_PORT: expected an integer/));
  assert.throws(() => loadConfig({ HOTLINE_PORT: '70000' }), invalid(/\/http\/port/));
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), invalid(/\/database\/url/));
  assert.throws(() => loadConfig({ HOTLINE_TIME_ZONE: 'Mars/Base' }), invalid(/unknown time zone/));
  assert.throws(() => loadConfig({ HOTLINE_ADMIN_PASSWORD: 'short' }), invalid(/adminPassword/));
  assert.throws(() => loadConfig({ HOTLINE_CONFIG: '/nonexistent/hotline.json' }), invalid(/cannot read/));
  const dir = mkdtempSync(join(tmpdir(), 'hotline-cfg-'));
  writeFileSync(join(dir, 'bad.json'), '{"http": {"port": 1, "colour": "red"}}');
  assert.throws(() => loadConfig({ HOTLINE_CONFIG: join(dir, 'bad.json') }), invalid(/colour|additional/i));
});

test('an SMSC comes from HOTLINE_SMSC_URL, with rate and window; a bad URL is named', () => {
  const c = loadConfig({
    HOTLINE_SMSC_URL: 'smpp://hotline:s3cret@127.0.0.1:2775',
    HOTLINE_SMSC_RATE: '20',
  });
  assert.deepEqual(c.sms.smsc, {
    host: '127.0.0.1',
    port: 2775,
    systemId: 'hotline',
    password: 's3cret',
    submitsPerSecond: 20,
    windowSize: 10,
    responseTimeoutMs: 10000,
  });
  assert.equal(c.sms.defaultSender, 'Hotline');
  assert.equal(loadConfig({}).sms.smsc, null);
  assert.throws(() => loadConfig({ HOTLINE_SMSC_URL: 'http://x:y@h:1' }), invalid(/HOTLINE_SMSC_URL/));
  assert.throws(() => loadConfig({ HOTLINE_SMSC_URL: 'not a url' }), invalid(/HOTLINE_SMSC_URL/));
  assert.throws(() => loadConfig({ HOTLINE_SMSC_WINDOW: '5' }), invalid(/HOTLINE_SMSC_WINDOW/));
});
