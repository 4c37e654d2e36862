import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referTarget } from './refer.js';

test('the Refer-To user part names the transfer target', () => {
  assert.equal(referTarget('<sip:bob@hotline.test>'), 'bob');
  assert.equal(referTarget('sip:Billing@hotline.test;transport=udp'), 'Billing');
  assert.equal(referTarget('"Billing" <sip:Billing%20Desk@hotline.test?Replaces=x>'), 'Billing Desk');
  assert.equal(referTarget('<tel:+12025550143;phone-context=x>'), '+12025550143');
});

test('a Refer-To without a user part is unreadable', () => {
  assert.equal(referTarget(undefined), undefined);
  assert.equal(referTarget('<sip:hotline.test>'), undefined);
  assert.equal(referTarget('garbage'), undefined);
});
