import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load.js';
import { smsRoutesOf } from './sms-routes.js';

function withConfig(json: object, env: Record<string, string> = {}) {
  const file = join(mkdtempSync(join(tmpdir(), 'hotline-cfg-')), 'c.json');
  writeFileSync(file, JSON.stringify(json));
  return loadConfig({ HOTLINE_CONFIG: file, ...env });
}

const kannel = {
  name: 'k',
  driver: 'kannel',
  url: 'http://127.0.0.1:13013/cgi-bin/sendsms',
  username: 'hotline',
  password: 'pw',
  dlrToken: 'a-long-enough-secret',
};

test('sms.routes in the JSON config, with HOTLINE_SMSC_URL as a catch-all route "default" after them', () => {
  const config = withConfig(
    {
      sms: {
        routes: [
          {
            name: 'us',
            driver: 'smpp',
            url: 'smpp://sys:pw@smsc.example:2776',
            prefixes: ['+1'],
            types: ['otp'],
            rate: 20,
          },
          kannel,
        ],
      },
    },
    { HOTLINE_SMSC_URL: 'smpp://hotline:secret@127.0.0.1:2775' },
  );
  const routes = smsRoutesOf(config.sms);
  assert.deepEqual(
    routes.map((r) => [r.name, r.driver]),
    [
      ['us', 'smpp'],
      ['k', 'kannel'],
      ['default', 'smpp'],
    ],
  );
  const us = routes[0]!;
  assert.ok(us.driver === 'smpp');
  assert.equal(us.host, 'smsc.example');
  assert.equal(us.port, 2776);
  assert.equal(us.systemId, 'sys');
  assert.equal(us.rate, 20);
  assert.equal(us.window, 10);
  assert.deepEqual(us.types, ['otp']);
  const k = routes[1]!;
  assert.ok(k.driver === 'kannel');
  assert.equal(k.smsc, null);
  assert.deepEqual(k.prefixes, []);
});

test('HOTLINE_SMSC_URL alone is one default route; no setting is no route', () => {
  const one = loadConfig({
    HOTLINE_SMSC_URL: 'smpp://hotline:secret@127.0.0.1:2775',
    HOTLINE_SMSC_WINDOW: '4',
  });
  assert.deepEqual(
    smsRoutesOf(one.sms).map((r) => [r.name, r.window]),
    [['default', 4]],
  );
  assert.deepEqual(smsRoutesOf(loadConfig({}).sms), []);
});

test('bad routes are refused at start with the route named', () => {
  const bad = (route: object, pattern: RegExp) =>
    assert.throws(
      () => withConfig({ sms: { routes: [route] } }),
      (e: Error) => pattern.test(e.message),
    );
  bad({ ...kannel, dlrToken: undefined }, /dlrToken/);
  bad({ ...kannel, username: undefined }, /username and password/);
  bad({ ...kannel, url: 'smpp://x@y' }, /sendsms/);
  bad({ name: 's', driver: 'smpp', url: 'http://x' }, /routes\/0\/url/);
  bad({ name: 's', driver: 'smpp', url: 'smpp://a:b@h', prefixes: ['44'] }, /prefixes/);
  bad({ name: 's', driver: 'smpp', url: 'smpp://a:b@h', types: ['spam'] }, /types/);
  assert.throws(
    () =>
      withConfig({
        sms: {
          routes: [
            { name: 'a', driver: 'smpp', url: 'smpp://a:b@h' },
            { name: 'a', driver: 'smpp', url: 'smpp://a:b@h' },
          ],
        },
      }),
    /used twice/,
  );
});
