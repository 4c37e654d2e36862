/**
 * G.711 (PCMU / PCMA) codecs on top of alawmulaw's tables, plus the RMS level used for silence
 * detection. One 20 ms frame at 8 kHz is 160 samples = 160 octets.
 */
import alawmulaw from 'alawmulaw';

/** Static RTP payload types (RFC 3551). */
export const PT_PCMU = 0;
export const PT_PCMA = 8;

/** Samples per 20 ms frame at 8 kHz; also the RTP timestamp increment per frame. */
export const SAMPLES_PER_FRAME = 160;

/** The G.711 law of a stream. */
export type G711Codec = 'pcmu' | 'pcma';

/** Encodes linear PCM16 samples to G.711 octets. */
export function encodeG711(codec: G711Codec, samples: Int16Array): Uint8Array {
  return codec === 'pcmu' ? alawmulaw.mulaw.encode(samples) : alawmulaw.alaw.encode(samples);
}

/** Decodes G.711 octets to linear PCM16 samples. */
export function decodeG711(codec: G711Codec, octets: Uint8Array): Int16Array {
  return codec === 'pcmu' ? alawmulaw.mulaw.decode(octets) : alawmulaw.alaw.decode(octets);
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
