import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recipientZone } from './recipient-zone.js';

test('single-zone countries map to their zone; others to the default or an override', () => {
  assert.equal(recipientZone('+4915123456789', {}, 'UTC'), 'Europe/Berlin');
  assert.equal(recipientZone('+447400123456', {}, 'UTC'), 'Europe/London');
  assert.equal(recipientZone('+12025550143', {}, 'Europe/Paris'), 'Europe/Paris');
  assert.equal(recipientZone('+12025550143', { US: 'America/New_York' }, 'UTC'), 'America/New_York');
});
