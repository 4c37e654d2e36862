import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesField, decodePdu, encodePdu, intField, isKnownCommand, textField } from './pdu.js';

test('submit_sm round-trips with its octets untouched', () => {
  // 0x1B, 0x40 and 0xFF would be rewritten by a GSM or Latin-1 filter; here they must survive.
  const octets = Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01, 0x1b, 0x40, 0xff, 0x00]);
  const bytes = encodePdu({
    command: 'submit_sm',
    sequence: 42,
    fields: {
      source_addr: 'Hotline',
      source_addr_ton: 5,
      destination_addr: '447900000000',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      esm_class: 0x40,
      data_coding: 8,
      registered_delivery: 1,
      validity_period: '000001000000000R',
      short_message: octets,
      user_message_reference: 7,
    },
  });
  assert.equal(bytes.readUInt32BE(0), bytes.length);
  const pdu = decodePdu(bytes);
  assert.equal(pdu.command, 'submit_sm');
  assert.equal(pdu.sequence, 42);
  assert.equal(textField(pdu, 'destination_addr'), '447900000000');
  assert.equal(intField(pdu, 'data_coding'), 8);
  assert.equal(intField(pdu, 'esm_class'), 0x40);
  assert.equal(textField(pdu, 'validity_period'), '000001000000000R');
  assert.deepEqual(bytesField(pdu, 'short_message'), octets);
  assert.equal(intField(pdu, 'user_message_reference'), 7);
});

test('an error response carries no body', () => {
  const bytes = encodePdu({
    command: 'submit_sm_resp',
    sequence: 3,
    status: 0x58,
    fields: { message_id: 'X' },
  });
  assert.equal(bytes.length, 16);
  const pdu = decodePdu(bytes);
  assert.equal(pdu.status, 0x58);
  assert.equal(textField(pdu, 'message_id'), undefined);
});

test('an unknown command id decodes as unknown; a short buffer throws', () => {
  const unknown = Buffer.alloc(16);
  unknown.writeUInt32BE(16, 0);
  unknown.writeUInt32BE(0x00000999, 4);
  unknown.writeUInt32BE(5, 12);
  assert.equal(decodePdu(unknown).command, 'unknown');
  assert.equal(decodePdu(unknown).sequence, 5);
  const short = Buffer.alloc(8);
  short.writeUInt32BE(8, 0);
  assert.throws(() => decodePdu(short));
});

test('receipt TLVs decode by name', () => {
  const pdu = decodePdu(
    encodePdu({
      command: 'deliver_sm',
      sequence: 1,
      fields: {
        esm_class: 4,
        receipted_message_id: '0A1B',
        message_state: 2,
        network_error_code: Buffer.from([3, 0, 1]),
      },
    }),
  );
  assert.equal(textField(pdu, 'receipted_message_id'), '0A1B');
  assert.equal(intField(pdu, 'message_state'), 2);
  assert.deepEqual(bytesField(pdu, 'network_error_code'), Buffer.from([3, 0, 1]));
});

test('known commands', () => {
  assert.equal(isKnownCommand('submit_sm'), true);
  assert.equal(isKnownCommand('toString'), false);
});
