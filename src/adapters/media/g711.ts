/**
 * G.711 (PCMU / PCMA) codecs on top of alawmulaw's tables, plus the RMS level used for silence
 * detection. One 20 ms frame at 8 kHz is 160 samples = 160 octets.
 */
import alawmulaw from 'alawmulaw';
import { slabInt16 } from './slab.js';

/** Static RTP payload types (RFC 3551). */
export const PT_PCMU = 0;
export const PT_PCMA = 8;

/** Samples per 20 ms frame at 8 kHz; also the RTP timestamp increment per frame. */
export const SAMPLES_PER_FRAME = 160;

/** The G.711 law of a stream. */
export type G711Codec = 'pcmu' | 'pcma';

// Every packet of every recorded or mixed call is decoded, and every prompt frame encoded, so both
// directions go through lookup tables built once from alawmulaw's reference functions (256
// entries to decode, 64 Ki to encode) instead of recomputing the companding curve per sample.
const DECODE = {
  pcmu: Int16Array.from({ length: 256 }, (_, i) => alawmulaw.mulaw.decodeSample(i)),
  pcma: Int16Array.from({ length: 256 }, (_, i) => alawmulaw.alaw.decodeSample(i)),
};
const ENCODE = {
  pcmu: Uint8Array.from({ length: 0x10000 }, (_, i) => alawmulaw.mulaw.encodeSample((i << 16) >> 16)),
  pcma: Uint8Array.from({ length: 0x10000 }, (_, i) => alawmulaw.alaw.encodeSample((i << 16) >> 16)),
};

/** Encodes linear PCM16 samples to G.711 octets. */
export function encodeG711(codec: G711Codec, samples: Int16Array): Uint8Array {
  const table = ENCODE[codec];
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = table[samples[i]! & 0xffff]!;
  return out;
}

/** Decodes G.711 octets to linear PCM16 samples. */
export function decodeG711(codec: G711Codec, octets: Uint8Array): Int16Array {
  const table = DECODE[codec];
  const out = slabInt16(octets.length);
  for (let i = 0; i < octets.length; i++) out[i] = table[octets[i]!]!;
  return out;
}

/** The codec for an RTP payload type, or null if it is not G.711. */
export function codecForPayloadType(pt: number): G711Codec | null {
  if (pt === PT_PCMU) return 'pcmu';
  if (pt === PT_PCMA) return 'pcma';
  return null;
}

/** The RTP payload type of a codec. */
export function payloadTypeFor(codec: G711Codec): number {
  return codec === 'pcmu' ? PT_PCMU : PT_PCMA;
}

/** The octet that decodes to (near) zero: used to fill silence without encoding. */
export function silenceOctet(codec: G711Codec): number {
  return codec === 'pcmu' ? 0xff : 0xd5;
}

/** Root mean square of the samples (0 for an empty array), in linear PCM16 units. */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}
