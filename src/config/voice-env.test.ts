import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './load.js';

test('the dial plan and caller ID come from the environment', () => {
  const c = loadConfig({ HOTLINE_DIAL_PLAN: '+1NXXNXXXXXX, +44.', HOTLINE_CALLER_ID: '+12025550100' });
  assert.deepEqual(c.voice.dialPlan, ['+1NXXNXXXXXX', '+44.']);
  assert.equal(c.voice.callerId, '+12025550100');
  // Nothing may be dialled out by default.
  assert.deepEqual(loadConfig({}).voice.dialPlan, []);
});

test('a bad dial pattern, caller ID or outbound trunk stops the start', () => {
  assert.throws(() => loadConfig({ HOTLINE_DIAL_PLAN: '+1800;evil' }), /\/voice\/dialPlan\/0/);
  assert.throws(() => loadConfig({ HOTLINE_CALLER_ID: 'sip:me@x' }), /\/voice\/callerId/);
  assert.throws(() => loadConfig({ HOTLINE_OUTBOUND_TRUNK: 'nowhere' }), /no trunk named "nowhere"/);
});
