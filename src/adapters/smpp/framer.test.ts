import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PduFramer } from './framer.js';
import { encodePdu } from './pdu.js';

const enquire = (sequence: number) => encodePdu({ command: 'enquire_link', sequence });

test('whole PDUs come out whole, however the stream is cut', () => {
  const stream = Buffer.concat([
    enquire(1),
    encodePdu({ command: 'submit_sm_resp', sequence: 2, fields: { message_id: 'ABC' } }),
    enquire(3),
  ]);
  for (const cut of [1, 3, 4, 5, 15, 16, 17, 20, stream.length]) {
    const framer = new PduFramer(16384);
    const frames: Buffer[] = [];
    for (let i = 0; i < stream.length; i += cut)
      frames.push(...framer.push(stream.subarray(i, i + cut)).frames);
    assert.deepEqual(
      frames.map((f) => f.readUInt32BE(12)),
      [1, 2, 3],
      `cut every ${cut} bytes`,
    );
    assert.equal(Buffer.concat(frames).equals(stream), true);
    assert.equal(framer.buffered, 0);
  }
});

test('a command_length below 16 or above the maximum stops the framer for good', () => {
  for (const length of [0, 3, 15, 16385, 0x47455420 /* "GET " */]) {
    const framer = new PduFramer(16384);
    const bad = Buffer.alloc(16);
    bad.writeUInt32BE(length, 0);
    bad.writeUInt32BE(0x15, 4);
    bad.writeUInt32BE(77, 12);
    const out = framer.push(Buffer.concat([enquire(1), bad]));
    assert.equal(out.frames.length, 1, `length ${length}`);
    assert.deepEqual(out.error, { commandLength: length, sequence: 77 });
    assert.deepEqual(framer.push(enquire(2)), { frames: [], error: out.error });
  }
});

test('the sequence of a bad header is only reported when the whole header arrived', () => {
  const framer = new PduFramer(16384);
  const out = framer.push(Buffer.from([0, 0, 0, 2, 0, 0]));
  assert.deepEqual(out.error, { commandLength: 2, sequence: 0 });
});

test('a partial PDU waits for the rest', () => {
  const framer = new PduFramer(16384);
  const pdu = enquire(9);
  assert.deepEqual(framer.push(pdu.subarray(0, 10)).frames, []);
  assert.equal(framer.buffered, 10);
  assert.deepEqual(framer.push(pdu.subarray(10)).frames, [pdu]);
});
