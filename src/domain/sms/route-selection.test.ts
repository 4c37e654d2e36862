import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectRoutes, type RouteRule } from './route-selection.js';

const rules: RouteRule[] = [
  { name: 'any', prefixes: [], types: [] },
  { name: 'us', prefixes: ['+1'], types: [] },
  { name: 'dc', prefixes: ['+1202', '+1301'], types: [] },
  { name: 'bulk', prefixes: ['+1'], types: ['marketing'] },
  { name: 'uk', prefixes: ['+44'], types: ['otp', 'alarm'] },
];

test('the longest matching prefix wins; catch-all routes come last as failover', () => {
  assert.deepEqual(selectRoutes(rules, '+12025550143', 'notification'), ['dc', 'us', 'any']);
  assert.deepEqual(selectRoutes(rules, '+13125550143', 'notification'), ['us', 'any']);
});

test('message types restrict a route; ties keep configuration order', () => {
  assert.deepEqual(selectRoutes(rules, '+13125550143', 'marketing'), ['us', 'bulk', 'any']);
  assert.deepEqual(selectRoutes(rules, '+447700900123', 'otp'), ['uk', 'any']);
  assert.deepEqual(selectRoutes(rules, '+447700900123', 'marketing'), ['any']);
});

test('no route matches: an empty list (the message waits)', () => {
  assert.deepEqual(selectRoutes(rules.slice(1), '+33612345678', 'notification'), []);
  assert.deepEqual(selectRoutes([], '+33612345678', 'notification'), []);
});
