import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IvrLookups, type WebhookClient } from './lookups.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const ada = { id: 'c1', name: 'Ada', vip: true, blacklisted: false, tags: ['gold'] };

function lookups(webhook: WebhookClient['request']) {
  return new IvrLookups(
    { request: webhook },
    {
      byNumber: (n: string) =>
        Promise.resolve(n === '+12025550143' ? ({ ...ada, phones: [n] } as never) : undefined),
    },
    silent,
  );
}

const customer = (caller: string) =>
  ({ type: 'lookup', id: 'c/l1', source: 'customer_by_caller', caller, timeoutMs: 3000 }) as const;
const webhook = {
  type: 'lookup',
  id: 'c/l2',
  source: 'webhook',
  url: 'http://crm/x',
  method: 'GET',
  timeoutMs: 500,
  params: {},
  sensitive: false,
} as const;

test('the caller found by number answers id, name, vip; an unknown caller is an empty answer, not an error', async () => {
  const l = lookups(() => Promise.resolve({ ok: true, data: {} }));
  assert.deepEqual(await l.run(customer('+12025550143'), 'call'), {
    type: 'lookup_result',
    id: 'c/l1',
    ok: true,
    data: { id: 'c1', name: 'Ada', vip: true, blacklisted: false, tags: ['gold'] },
  });
  assert.deepEqual(await l.run(customer('+12025559999'), 'call'), {
    type: 'lookup_result',
    id: 'c/l1',
    ok: true,
    data: {},
  });
});

test('a webhook failure or a fault of ours is ok: false, never a rejection', async () => {
  const failing = lookups(() => Promise.resolve({ ok: false, error: 'timeout' }));
  assert.deepEqual(await failing.run(webhook, 'call'), {
    type: 'lookup_result',
    id: 'c/l2',
    ok: false,
    error: 'timeout',
  });
  const broken = lookups(() => Promise.reject(new Error('bug')));
  assert.deepEqual(await broken.run(webhook, 'call'), {
    type: 'lookup_result',
    id: 'c/l2',
    ok: false,
    error: 'lookup_fault',
  });
});
