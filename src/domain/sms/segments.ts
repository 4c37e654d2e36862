/**
 * How a text splits into SMS segments. One SMS carries 140 octets of user data: 160 septets or
 * 70 UCS-2 units. A concatenated part gives up room to its UDH (and, in GSM-7, the fill bits that
 * align the text to a septet boundary): 153/67 with an 8-bit reference, 152/66 with a 16-bit one.
 * An escape pair (ESC + extension char) and a surrogate pair always stay in one part.
 */
import { DomainError } from '../errors.js';
import { checkRequestedEncoding, type RequestedEncoding, type SmsEncoding } from './encoding.js';
import { findUnencodable, gsm7Cost, gsm7Length, unencodableError } from './gsm7.js';
import { fillBitsAfter } from './septet-packing.js';
import { concatenationHeaderLength } from './udh.js';
import { isHighSurrogate, isLowSurrogate } from './ucs2.js';

/** Octets of user data in one SMS (TP-UD). */
export const USER_DATA_OCTETS = 140;

/** Width of the concatenation reference, which sets the UDH size. */
export type ReferenceBits = 8 | 16;

/**
 * Units (septets or UCS-2 code units) one part can carry: alone (`referenceBits` undefined) or in
 * a concatenated message.
 * @example segmentCapacity('gsm7') // 160; segmentCapacity('gsm7', 8) // 153; segmentCapacity('ucs2', 16) // 66
 */
export function segmentCapacity(encoding: SmsEncoding, referenceBits?: ReferenceBits): number {
  const udhOctets = referenceBits === undefined ? 0 : concatenationHeaderLength(referenceBits);
  if (encoding === 'ucs2') return Math.floor((USER_DATA_OCTETS - udhOctets) / 2);
  const fill = udhOctets === 0 ? 0 : fillBitsAfter(udhOctets);
  return Math.floor((USER_DATA_OCTETS * 8 - udhOctets * 8 - fill) / 7);
}

/** Receives each part as the UTF-16 range [start, end) of the text and the units it uses. */
export type PartSink = (start: number, end: number, units: number) => void;

/**
 * Walks `text` part by part, filling each part greedily, and returns the number of parts; `onPart`
 * sees every part in order. Allocates nothing (SMS_UNENCODABLE if gsm7 cannot carry the text).
 */
export function splitIntoParts(
  text: string,
  encoding: SmsEncoding,
  referenceBits: ReferenceBits,
  onPart: PartSink = () => {},
): number {
  const total = encoding === 'gsm7' ? gsm7Length(text) : text.length;
  if (total < 0) throw unencodableError(findUnencodable(text));
  if (total <= segmentCapacity(encoding)) {
    onPart(0, text.length, total);
    return 1;
  }
  const capacity = segmentCapacity(encoding, referenceBits);
  let parts = 0;
  let start = 0;
  let used = 0;
  for (let i = 0; i < text.length;) {
    const width = encoding === 'gsm7' ? 1 : surrogatePairAt(text, i) ? 2 : 1;
    const cost = encoding === 'gsm7' ? gsm7Cost(text.charCodeAt(i)) : width;
    if (used + cost > capacity) {
      onPart(start, i, used);
      parts++;
      start = i;
      used = 0;
    }
    used += cost;
    i += width;
  }
  onPart(start, text.length, used);
  return parts + 1;
}

function surrogatePairAt(text: string, i: number): boolean {
  return isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1));
}

/** What sending a text costs in segments, and how full they are. */
export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text. */
  units: number;
  /** Room per segment: 160/70 for a single SMS, 153/67 (8-bit reference) or 152/66 (16-bit) when concatenated. */
  unitsPerSegment: number;
}

/**
 * Counts segments without building payloads, for cost estimates before sending. The count may
 * exceed MAX_SEGMENTS (255); planMessage refuses such a text. A forced `gsm7` that cannot carry
 * the text throws SMS_UNENCODABLE.
 * @example countSegments('a'.repeat(161)) // { encoding: 'gsm7', segments: 2, units: 161, unitsPerSegment: 153 }
 */
export function countSegments(
  text: string,
  encoding: RequestedEncoding = 'auto',
  referenceBits: ReferenceBits = 8,
): SegmentCount {
  const requested = checkRequestedEncoding(encoding);
  const septets = requested === 'ucs2' ? -1 : gsm7Length(text);
  if (requested === 'gsm7' && septets < 0) throw unencodableError(findUnencodable(text));
  const chosen: SmsEncoding = septets < 0 ? 'ucs2' : 'gsm7';
  const units = chosen === 'gsm7' ? septets : text.length;
  const segments = splitIntoParts(text, chosen, referenceBits);
  const unitsPerSegment = segmentCapacity(chosen, segments > 1 ? referenceBits : undefined);
  return { encoding: chosen, segments, units, unitsPerSegment };
}

/**
 * Price of `segments` segments in integer minor units (e.g. cents); money never goes through floats.
 * @example segmentCost(3, 7) // 21
 */
export function segmentCost(segments: number, pricePerSegment: number): number {
  if (!Number.isSafeInteger(segments) || segments < 0) {
    throw new DomainError('VALIDATION_FAILED', `segments must be a whole number ≥ 0, not ${segments}`);
  }
  if (!Number.isSafeInteger(pricePerSegment) || pricePerSegment < 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `price per segment must be whole minor units ≥ 0 (e.g. cents), not ${pricePerSegment}`,
      { path: 'pricePerSegment' },
    );
  }
  const cost = segments * pricePerSegment;
  if (!Number.isSafeInteger(cost))
    throw new DomainError('VALIDATION_FAILED', 'cost exceeds the safe integer range');
  return cost;
}
