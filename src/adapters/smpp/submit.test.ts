import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSmppAddress } from './address.js';
import { decodePdu, encodePdu } from './pdu.js';
import { readSubmitOutcome, relativeTime, submitFields, type PauseRule } from './submit.js';

test('addresses from strings: +E.164, digits, alphanumeric', () => {
  assert.deepEqual(toSmppAddress('+447900000000'), { address: '447900000000', ton: 1, npi: 1 });
  assert.deepEqual(toSmppAddress('60001'), { address: '60001', ton: 0, npi: 1 });
  assert.deepEqual(toSmppAddress('Hotline'), { address: 'Hotline', ton: 5, npi: 0 });
});

test('submit fields: UDH sets UDHI, validity in relative form, long data goes to message_payload', () => {
  const r = submitFields({
    source: 'Hotline',
    destination: '+447900000000',
    dataCoding: 0,
    udh: Buffer.from([5, 0, 3, 1, 2, 1]),
    shortMessage: Buffer.from('abc'),
    validityPeriod: 3600,
    priorityFlag: 1,
  });
  assert.ok('fields' in r);
  assert.equal(r.fields.esm_class, 0x40);
  assert.equal(r.fields.validity_period, '000000010000000R');
  assert.deepEqual(r.fields.short_message, Buffer.from([5, 0, 3, 1, 2, 1, 0x61, 0x62, 0x63]));
  const long = submitFields({
    source: 'A',
    destination: '1',
    dataCoding: 8,
    shortMessage: Buffer.alloc(300, 1),
  });
  assert.ok('fields' in long);
  assert.equal((long.fields.short_message as Buffer).length, 0);
  assert.equal((long.fields.message_payload as Buffer).length, 300);
  // the encoded PDU carries it
  const pdu = decodePdu(encodePdu({ command: 'submit_sm', sequence: 1, fields: long.fields }));
  assert.equal((pdu.fields.message_payload as Buffer).length, 300);
});

test('submit fields refused before sending', () => {
  const base = { dataCoding: 0, shortMessage: Buffer.from('x') };
  assert.deepEqual(submitFields({ ...base, source: 'A'.repeat(21), destination: '1' }), { refused: 0x0a });
  assert.deepEqual(submitFields({ ...base, source: 'A', destination: '' }), { refused: 0x0b });
  assert.deepEqual(submitFields({ ...base, source: 'A', destination: '1', validityPeriod: 'tomorrow' }), {
    refused: 0x62,
  });
  assert.deepEqual(submitFields({ ...base, source: 'A', destination: '1', esmClass: 256 }), {
    refused: 0x43,
  });
  assert.deepEqual(submitFields({ ...base, source: 'A', destination: '1', priorityFlag: -1 }), {
    refused: 0x06,
  });
  assert.deepEqual(submitFields({ ...base, source: 'A', destination: '1', dataCoding: 1.5 }), {
    refused: 0x104,
  });
});

test('relative validity', () => {
  assert.equal(relativeTime(0), '000000000000000R');
  assert.equal(relativeTime(2 * 86_400 + 3 * 3600 + 4 * 60 + 5), '000002030405000R');
  assert.equal(relativeTime(1e9), '000099235959000R');
});

test('reading submit outcomes', () => {
  const rules: PauseRule[] = [{ status: 0x58, reason: 'throttled', pauseMs: 100 }];
  const resp = (status: number, command = 'submit_sm_resp') => ({
    kind: 'response' as const,
    pdu: { command, commandId: 0, status, sequence: 1, fields: status ? {} : { message_id: 'AB' } },
  });
  const none = new Set<number>();
  assert.deepEqual(readSubmitOutcome(resp(0), rules, none).result, { status: 'accepted', messageId: 'AB' });
  const throttled = readSubmitOutcome(resp(0x58), rules, none);
  assert.deepEqual(throttled.result, { status: 'retry', reason: 'throttled', smppStatus: 0x58 });
  assert.equal(throttled.pause?.pauseMs, 100);
  assert.deepEqual(readSubmitOutcome(resp(0x45), rules, none).result, { status: 'failed', smppStatus: 0x45 });
  assert.deepEqual(readSubmitOutcome(resp(0x08), rules, new Set([0x08])).result, {
    status: 'retry',
    reason: 'smsc-status',
    smppStatus: 0x08,
  });
  assert.deepEqual(readSubmitOutcome(resp(0x03, 'generic_nack'), rules, none).result, {
    status: 'failed',
    smppStatus: 0x03,
  });
  assert.deepEqual(readSubmitOutcome({ kind: 'timeout' }, rules, none).result, {
    status: 'timeout',
    reason: 'no-response',
  });
  assert.deepEqual(readSubmitOutcome({ kind: 'closed' }, rules, none).result, {
    status: 'timeout',
    reason: 'connection-lost',
  });
  assert.deepEqual(readSubmitOutcome({ kind: 'not-sent' }, rules, none).result, {
    status: 'retry',
    reason: 'not-bound',
  });
});
