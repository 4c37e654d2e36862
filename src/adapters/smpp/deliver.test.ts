import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyDelivery, splitUdh } from './deliver.js';
import { decodePdu, encodePdu, type PduValue } from './pdu.js';

const deliver = (fields: Record<string, PduValue | undefined>) =>
  decodePdu(encodePdu({ command: 'deliver_sm', sequence: 1, fields }));

test('esm_class receipt bit → receipt, with TLVs and text', () => {
  const d = classifyDelivery(
    deliver({
      source_addr: '447900000099',
      source_addr_ton: 1,
      destination_addr: 'Hotline',
      esm_class: 0x04,
      short_message: Buffer.from('id:0A1B sub:001 dlvrd:000 stat:UNDELIV err:001 text:'),
      receipted_message_id: '0A1B',
      message_state: 5,
    }),
  );
  assert.equal(d.kind, 'receipt');
  if (d.kind !== 'receipt') return;
  assert.equal(d.receipt.messageId, '0A1B');
  assert.equal(d.receipt.state, 'undeliverable');
  assert.deepEqual(d.source, { address: '447900000099', ton: 1, npi: 0 });
});

test('intermediate notifications are non-final receipts; a receipted_message_id alone makes a receipt', () => {
  const inter = classifyDelivery(
    deliver({ esm_class: 0x20, short_message: Buffer.from('id:1 stat:ENROUTE') }),
  );
  assert.equal(inter.kind === 'receipt' && inter.receipt.final, false);
  const tlvOnly = classifyDelivery(deliver({ esm_class: 0, receipted_message_id: '9', message_state: 2 }));
  assert.equal(tlvOnly.kind === 'receipt' && tlvOnly.receipt.state, 'delivered');
});

test('a receipt text in UCS-2 is read', () => {
  const text = Buffer.from('id:5 stat:DELIVRD', 'utf16le').swap16();
  const d = classifyDelivery(deliver({ esm_class: 0x04, data_coding: 8, short_message: text }));
  assert.equal(d.kind === 'receipt' && d.receipt.messageId, '5');
});

test('MO keeps raw octets, splits UDH, reads SAR and message_payload', () => {
  const udh = Buffer.from([0x05, 0x00, 0x03, 0x11, 0x02, 0x01]);
  const body = Buffer.from([0x00, 0x48, 0x00, 0x69]);
  const mo = classifyDelivery(
    deliver({
      source_addr: '447900000001',
      destination_addr: '60001',
      esm_class: 0x40,
      data_coding: 8,
      short_message: Buffer.concat([udh, body]),
    }),
  );
  assert.equal(mo.kind, 'mo');
  if (mo.kind !== 'mo') return;
  assert.deepEqual(mo.message.udh, udh);
  assert.deepEqual(mo.message.shortMessage, body);
  assert.equal(mo.message.dataCoding, 8);
  const sar = classifyDelivery(
    deliver({
      short_message: Buffer.alloc(0),
      message_payload: Buffer.from('long text'),
      sar_msg_ref_num: 300,
      sar_total_segments: 2,
      sar_segment_seqnum: 1,
    }),
  );
  assert.equal(sar.kind, 'mo');
  if (sar.kind !== 'mo') return;
  assert.deepEqual(sar.message.shortMessage, Buffer.from('long text'));
  assert.deepEqual(sar.message.sar, { reference: 300, total: 2, sequence: 1 });
});

test('a UDH length beyond the message is treated as no UDH', () => {
  assert.deepEqual(splitUdh(Buffer.from([9, 1, 2]), 0x40), { body: Buffer.from([9, 1, 2]) });
  assert.deepEqual(splitUdh(Buffer.from([9, 1, 2]), 0), { body: Buffer.from([9, 1, 2]) });
});
