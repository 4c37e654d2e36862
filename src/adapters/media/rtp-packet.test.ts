import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRtp, serializeRtp } from './rtp-packet.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });

const packetArb = fc.record({
  marker: fc.boolean(),
  payloadType: fc.integer({ min: 0, max: 127 }),
  sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
  timestamp: u32,
  ssrc: u32,
  csrcs: fc.array(u32, { maxLength: 15 }),
  extension: fc.option(
    fc.record({
      profile: fc.integer({ min: 0, max: 0xffff }),
      // Whole 32-bit words so the round trip is exact.
      data: fc
        .integer({ min: 0, max: 8 })
        .chain((n) => fc.uint8Array({ minLength: n * 4, maxLength: n * 4 })),
    }),
  ),
  payload: fc.uint8Array({ maxLength: 400 }),
  paddingLength: fc.integer({ min: 0, max: 255 }),
});

test('serialize then parse returns the same packet', () => {
  fc.assert(
    fc.property(packetArb, (p) => {
      const parsed = parseRtp(serializeRtp(p));
      assert.ok(parsed);
      assert.equal(parsed.marker, p.marker);
      assert.equal(parsed.payloadType, p.payloadType);
      assert.equal(parsed.sequenceNumber, p.sequenceNumber);
      assert.equal(parsed.timestamp, p.timestamp);
      assert.equal(parsed.ssrc, p.ssrc);
      assert.deepEqual(parsed.csrcs, p.csrcs);
      assert.deepEqual(parsed.extension && { ...parsed.extension }, p.extension && { ...p.extension });
      assert.deepEqual(parsed.payload, p.payload);
      assert.equal(parsed.padding, p.paddingLength > 0);
      assert.equal(parsed.paddingLength, p.paddingLength);
    }),
  );
});

test('parse then serialize reproduces valid wire bytes', () => {
  fc.assert(
    fc.property(packetArb, (p) => {
      const wire = serializeRtp(p);
      const again = serializeRtp(parseRtp(wire)!);
      // Padding octets other than the count are unspecified; ours are zero both times.
      assert.deepEqual(again, wire);
    }),
  );
});

test('garbage never throws', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const p = parseRtp(bytes);
      if (p) assert.ok(p.payload.length <= bytes.length - 12);
    }),
  );
});

test('garbage inside a larger buffer (non-zero byteOffset) is parsed from the view', () => {
  const wire = serializeRtp({
    payloadType: 0,
    sequenceNumber: 7,
    timestamp: 160,
    ssrc: 42,
    payload: new Uint8Array([1, 2]),
  });
  const big = new Uint8Array(wire.length + 10);
  big.set(wire, 5);
  const p = parseRtp(big.subarray(5, 5 + wire.length));
  assert.equal(p?.sequenceNumber, 7);
  assert.deepEqual(p?.payload, new Uint8Array([1, 2]));
});

test('rejects short, wrong-version, truncated CSRC/extension and bad padding', () => {
  const ok = serializeRtp({
    payloadType: 8,
    sequenceNumber: 1,
    timestamp: 2,
    ssrc: 3,
    payload: new Uint8Array(4),
  });
  assert.ok(parseRtp(ok));
  assert.equal(parseRtp(ok.subarray(0, 11)), null);
  const v1 = ok.slice();
  v1[0] = 0x40;
  assert.equal(parseRtp(v1), null);
  const csrc = ok.slice();
  csrc[0] = 0x80 | 5; // claims 5 CSRCs (20 octets) but only 4 follow
  assert.equal(parseRtp(csrc), null);
  const ext = ok.slice();
  ext[0] = 0x90; // extension header claims length from payload bytes
  ext[14] = 0;
  ext[15] = 9;
  assert.equal(parseRtp(ext), null);
  const pad = ok.slice();
  pad[0] = 0xa0;
  pad[pad.length - 1] = 0;
  assert.equal(parseRtp(pad), null);
  pad[pad.length - 1] = 5; // more padding than payload
  assert.equal(parseRtp(pad), null);
  pad[pad.length - 1] = 4;
  assert.equal(parseRtp(pad)?.payload.length, 0);
});

test('known bytes decode to the expected fields', () => {
  const bytes = new Uint8Array([
    0x80,
    0x80 | 101,
    0x12,
    0x34,
    0,
    0,
    0x01,
    0x40,
    0xde,
    0xad,
    0xbe,
    0xef,
    0x05,
    0x8a,
    0,
    0xa0,
  ]);
  const p = parseRtp(bytes);
  assert.deepEqual(
    { m: p?.marker, pt: p?.payloadType, seq: p?.sequenceNumber, ts: p?.timestamp, ssrc: p?.ssrc },
    { m: true, pt: 101, seq: 0x1234, ts: 320, ssrc: 0xdeadbeef },
  );
  assert.deepEqual(p?.payload, new Uint8Array([0x05, 0x8a, 0, 0xa0]));
});
