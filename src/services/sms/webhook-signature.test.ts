import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from './webhook-signature.js';
import { retryDelay } from './webhooks.js';

const secret = 'whsec-0123456789abcdef';
const body = '{"id":"e1","type":"sms.received","data":{"text":"退订"}}';

test('the header is t=<unix>,v1=<hex HMAC-SHA256 over "t.body">', () => {
  const header = signWebhook(secret, body, 1_795_000_000);
  const hex = createHmac('sha256', secret).update(`1795000000.${body}`).digest('hex');
  assert.equal(header, `t=1795000000,v1=${hex}`);
});

test('verification accepts the signed body and refuses a changed body, key or stale time', () => {
  const header = signWebhook(secret, body, 1_795_000_000);
  assert.equal(verifyWebhook(secret, body, header, 1_795_000_010), true);
  assert.equal(verifyWebhook(secret, body.replace('退订', 'STOP'), header, 1_795_000_010), false);
  assert.equal(verifyWebhook('another-secret-xyz', body, header, 1_795_000_010), false);
  assert.equal(verifyWebhook(secret, body, header, 1_795_000_000 + 301), false);
  assert.equal(verifyWebhook(secret, body, 'v1=abc', 1_795_000_000), false);
});

test('retries wait base, 2·base, 4·base … up to the cap', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 10].map((n) => retryDelay(n, 2000, 30_000)),
    [2000, 4000, 8000, 16_000, 30_000],
  );
});
