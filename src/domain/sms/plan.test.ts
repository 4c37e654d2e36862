import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { ESC, decodeGsm7 } from './gsm7.js';
import { planMessage } from './plan.js';
import { unpackSeptets } from './septet-packing.js';
import { readConcatenation } from './udh.js';
import { decodeUcs2 } from './ucs2.js';

const hex = (b: Uint8Array | null): string => (b ? Buffer.from(b).toString('hex').toUpperCase() : '');
const code = (c: string) => (e: unknown) => e instanceof DomainError && e.code === c;

test('a short GSM-7 text is one SMS with no UDH', () => {
  const plan = planMessage('hellohello');
  assert.equal(plan.encoding, 'gsm7');
  assert.equal(plan.dataCoding, 0x00);
  assert.equal(plan.segments, 1);
  assert.equal(plan.unitsPerSegment, 160);
  assert.deepEqual(plan.unencodable, []);
  const [part] = plan.parts;
  assert.deepEqual(
    { ...part, payload: hex(part!.payload) },
    {
      sequence: 1,
      text: 'hellohello',
      udh: null,
      fillBits: 0,
      units: 10,
      payload: 'E8329BFD4697D9EC37',
      userDataLength: 10,
      dataCoding: 0x00,
    },
  );
});

test('reproduces part 1 of a real concatenated SMS-DELIVER byte for byte (gammu test PDU)', () => {
  // From gammu's PDU decoding tests: UDL A0, UDH 05 00 03 63 08 01, one fill bit, 153 septets.
  const userData =
    '05000363080140CCB7BCDC06A5E1F37A1B447EB3DF72D03C4D0785DB653A0B347EBBE7E531BD4CAFCB4161721A9E9E8FD3EE33A8' +
    'CC4ED35D206899CD2EBBE9E579BC5E06D9D3F47019E42EC7EB6550F95C9ED3C37316C81CAE8FD3E2FA1C5496BFE7A0B49B054A87' +
    'C775767A0E4AC3E7F5B60B34ADCFE16537393D9F9741E4F4D99D9ECFD36D10FC2DA7D3D3';
  const first =
    ' Lorem ipsum dolor sit amet, consectetur adipiscing elit. Pellentesque vitae neque egestas, faucibus eros in, iaculis ipsum. Suspendisse dignissim portti';
  assert.equal(first.length, 153);
  // Decoding the received bytes.
  const ud = Uint8Array.from(Buffer.from(userData, 'hex'));
  assert.deepEqual(readConcatenation(ud.subarray(0, 6)), { bits: 8, reference: 0x63, total: 8, sequence: 1 });
  assert.equal(decodeGsm7(ud.subarray(6), 153, 1), first);
  // Encoding a text that needs 8 parts gives the same first part.
  const plan = planMessage(first + 'x'.repeat(153 * 7), { reference: { bits: 8, value: 0x63 } });
  assert.equal(plan.segments, 8);
  const p1 = plan.parts[0]!;
  assert.equal(hex(p1.udh) + hex(p1.payload), userData);
  assert.equal(p1.userDataLength, 0xa0);
  assert.equal(p1.fillBits, 1);
});

test('two GSM-7 parts: UDH per part, 153 + rest, TP-UDL counts UDH septets', () => {
  // Same split as warthog618/sms's "two segment 7bit" case.
  const text =
    'this is a very long message that does not fit in a single SMS message, at least it will if I keep adding more to it as 160 characters is more than you might think';
  const plan = planMessage(text, { reference: { bits: 8, value: 1 } });
  assert.equal(plan.segments, 2);
  assert.equal(plan.unitsPerSegment, 153);
  assert.deepEqual(
    plan.parts.map((p) => [p.text, hex(p.udh), p.units, p.userDataLength, p.udh!.length + p.payload.length]),
    [
      [text.slice(0, 153), '050003010201', 153, 160, 140],
      ['ght think', '050003010202', 9, 16, 6 + 8], // 1 fill bit + 9×7 bits = 8 octets
    ],
  );
  assert.ok(plan.parts[0]!.text.endsWith('you mi'));
});

test('16-bit reference: 7-octet UDH, no fill bits, 152 septets per part', () => {
  const plan = planMessage('a'.repeat(304) + 'b', { reference: { bits: 16, value: 0xabcd } });
  assert.equal(plan.segments, 3);
  assert.equal(plan.unitsPerSegment, 152);
  assert.deepEqual(
    plan.parts.map((p) => [hex(p.udh), p.fillBits, p.units, p.userDataLength]),
    [
      ['060804ABCD0301', 0, 152, 160],
      ['060804ABCD0302', 0, 152, 160],
      ['060804ABCD0303', 0, 1, 9],
    ],
  );
  for (const p of plan.parts) assert.equal(decodeGsm7(p.payload, p.units, p.fillBits), p.text);
});

test('UCS-2 parts carry UTF-16BE octets; TP-UDL is octets including the UDH', () => {
  const text = '汉'.repeat(66) + '😀' + '字'.repeat(5);
  const plan = planMessage(text, { reference: { bits: 8, value: 9 } });
  assert.equal(plan.encoding, 'ucs2');
  assert.equal(plan.dataCoding, 0x08);
  assert.deepEqual(plan.unencodable.length, 72);
  assert.deepEqual(
    plan.parts.map((p) => [p.text, p.units, p.payload.length, p.userDataLength, p.fillBits]),
    [
      ['汉'.repeat(66), 66, 132, 138, 0],
      ['😀' + '字'.repeat(5), 7, 14, 20, 0],
    ],
  );
  assert.equal(hex(plan.parts[1]!.payload.subarray(0, 4)), 'D83DDE00');
  for (const p of plan.parts) assert.equal(decodeUcs2(p.payload), p.text);
});

test('an extension character never leaves its ESC behind at the end of a part', () => {
  const plan = planMessage('a'.repeat(152) + '€' + 'b'.repeat(10), { reference: { bits: 8, value: 1 } });
  const [p1, p2] = plan.parts;
  assert.equal(p1!.units, 152);
  assert.equal(p2!.text[0], '€');
  const lastOfFirst = unpackSeptets(p1!.payload, p1!.units, p1!.fillBits).at(-1);
  assert.notEqual(lastOfFirst, ESC);
  assert.deepEqual([...unpackSeptets(p2!.payload, 3, p2!.fillBits)], [ESC, 0x65, 0x62]);
});

test('auto reports what forced UCS-2; forced gsm7 refuses and lists; forced ucs2 accepts GSM text', () => {
  assert.deepEqual(planMessage('Café ☕').unencodable, [{ char: '☕', index: 5 }]);
  assert.throws(
    () => planMessage('Café ☕', { encoding: 'gsm7' }),
    (e: unknown) => {
      assert.ok(e instanceof DomainError && e.code === 'SMS_UNENCODABLE');
      assert.deepEqual(e.details, { unencodable: [{ char: '☕', index: 5 }] });
      return true;
    },
  );
  const forced = planMessage('{plain}', { encoding: 'ucs2' });
  assert.equal(forced.encoding, 'ucs2');
  assert.equal(forced.units, 7); // in UCS-2 an extension character is one unit like any other
  assert.equal(hex(forced.parts[0]!.payload), '007B0070006C00610069006E007D');
});

test('a multi-part text needs a valid reference; more than 255 parts is SMS_TOO_LONG', () => {
  assert.throws(() => planMessage('a'.repeat(161)), code('VALIDATION_FAILED'));
  assert.doesNotThrow(() => planMessage('a'.repeat(160)));
  assert.throws(() => planMessage('a', { reference: { bits: 8, value: 300 } }), code('VALIDATION_FAILED'));
  assert.throws(() => planMessage('a', { encoding: 'utf8' as 'gsm7' }), code('VALIDATION_FAILED'));
  assert.equal(planMessage('a'.repeat(153 * 255), { reference: { bits: 8, value: 1 } }).segments, 255);
  assert.throws(
    () => planMessage('a'.repeat(153 * 255 + 1), { reference: { bits: 8, value: 1 } }),
    (e: unknown) => code('SMS_TOO_LONG')(e) && (e as DomainError).details?.segments === 256,
  );
});

test('the empty text is one empty SMS', () => {
  const plan = planMessage('');
  assert.equal(plan.segments, 1);
  assert.deepEqual(
    plan.parts.map((p) => [p.text, p.units, p.payload.length, p.userDataLength]),
    [['', 0, 0, 0]],
  );
});
