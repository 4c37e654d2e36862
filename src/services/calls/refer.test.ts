import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../domain/errors.js';
import { outcomeOf } from './refer.js';

test('a refused transfer is told to the phone as a SIP status', () => {
  assert.equal(outcomeOf(new DomainError('AGENT_NOT_AVAILABLE', 'x')).status, 480);
  assert.equal(outcomeOf(new DomainError('QUEUE_NOT_FOUND', 'x')).status, 404);
  assert.equal(outcomeOf(new DomainError('CALL_NOT_CONNECTED', 'x')).status, 481);
  assert.equal(outcomeOf(new Error('boom')).status, 500);
});
