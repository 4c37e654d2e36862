import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import alawmulaw from 'alawmulaw';
import { codecForPayloadType, decodeG711, encodeG711, payloadTypeFor, rms, silenceOctet } from './g711.js';

for (const codec of ['pcmu', 'pcma'] as const) {
  test(`${codec}: decode then encode is the identity on every octet`, () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const pcm = decodeG711(codec, all);
    assert.equal(pcm.length, 256);
    const back = encodeG711(codec, pcm);
    // 0x7f/0xff (mu-law) are +0/-0 and both decode to 0; all others must round trip.
    for (let i = 0; i < 256; i++) assert.equal(decodeG711(codec, back.subarray(i, i + 1))[0], pcm[i]);
  });

  test(`${codec}: encode keeps samples within the companding error`, () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 320 }), (arr) => {
        const pcm = Int16Array.from(arr);
        const out = decodeG711(codec, encodeG711(codec, pcm));
        assert.equal(out.length, pcm.length);
        for (let i = 0; i < pcm.length; i++) {
          const a = pcm[i]!;
          // Quantization step grows with magnitude: at most ~1/16 of the value plus a small floor.
          assert.ok(Math.abs(out[i]! - a) <= Math.abs(a) / 16 + 40, `${a} -> ${out[i]}`);
        }
      }),
    );
  });

  test(`${codec}: silence octet decodes to near zero`, () => {
    const s = decodeG711(codec, new Uint8Array([silenceOctet(codec)]))[0]!;
    assert.ok(Math.abs(s) <= 8);
  });
}

test('payload types 0 and 8 map both ways', () => {
  assert.equal(codecForPayloadType(0), 'pcmu');
  assert.equal(codecForPayloadType(8), 'pcma');
  assert.equal(codecForPayloadType(101), null);
  assert.equal(payloadTypeFor('pcmu'), 0);
  assert.equal(payloadTypeFor('pcma'), 8);
});

test('rms of silence, a constant and a square wave', () => {
  assert.equal(rms(new Int16Array(0)), 0);
  assert.equal(rms(new Int16Array(160)), 0);
  assert.equal(rms(new Int16Array(160).fill(-1000)), 1000);
  const square = Int16Array.from({ length: 160 }, (_, i) => (i % 2 ? 3000 : -3000));
  assert.equal(rms(square), 3000);
});

for (const codec of ['pcmu', 'pcma'] as const) {
  test(`${codec}: table codec matches the reference companding on every input`, () => {
    const ref = codec === 'pcmu' ? alawmulaw.mulaw : alawmulaw.alaw;
    const octets = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.deepEqual(decodeG711(codec, octets), ref.decode(octets));
    const samples = Int16Array.from({ length: 0x10000 }, (_, i) => i - 0x8000);
    assert.deepEqual(encodeG711(codec, samples), ref.encode(samples));
  });
}
