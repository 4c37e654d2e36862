/**
 * The concatenation information element of the User Data Header (3GPP TS 23.040 §9.2.3.24.1 and
 * §9.2.3.24.8): IEI 0x00 with an 8-bit reference (6-octet UDH) or IEI 0x08 with a 16-bit one (7 octets).
 */
import { DomainError } from '../errors.js';

/** The reference that ties the parts of one message together at the handset (unique per recipient). */
export interface ConcatenationReference {
  bits: 8 | 16;
  value: number;
}

/** What a concatenation element says: which message (reference) and which part of how many. */
export interface Concatenation {
  bits: 8 | 16;
  reference: number;
  total: number;
  sequence: number;
}

const IEI_CONCAT_8 = 0x00;
const IEI_CONCAT_16 = 0x08;

/** The most parts a concatenated message can have (the total is one octet). */
export const MAX_SEGMENTS = 255;

/** Octets of a UDH holding only the concatenation element, UDHL byte included: 6 or 7. */
export function concatenationHeaderLength(bits: 8 | 16): number {
  return bits === 8 ? 6 : 7;
}

/** Refuses a reference that is not 8 or 16 bits wide, or whose value does not fit that width. */
export function checkReference(reference: ConcatenationReference): ConcatenationReference {
  const { bits, value } = reference;
  if (bits !== 8 && bits !== 16) {
    throw new DomainError('VALIDATION_FAILED', `reference bits must be 8 or 16, not ${String(bits)}`, {
      path: 'reference.bits',
    });
  }
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new DomainError('VALIDATION_FAILED', `a ${bits}-bit reference must be 0..${2 ** bits - 1}`, {
      path: 'reference.value',
    });
  }
  return reference;
}

/**
 * The UDH (UDHL first) for part `sequence` (1-based) of `total`.
 * @example concatenationHeader({ bits: 8, value: 0xcc }, 2, 1) // 05 00 03 CC 02 01
 * @example concatenationHeader({ bits: 16, value: 0x1234 }, 2, 1) // 06 08 04 12 34 02 01
 */
export function concatenationHeader(
  reference: ConcatenationReference,
  total: number,
  sequence: number,
): Uint8Array {
  const { bits, value } = checkReference(reference);
  if (!Number.isInteger(total) || total < 1 || total > MAX_SEGMENTS) {
    throw new DomainError('VALIDATION_FAILED', `total parts must be 1..${MAX_SEGMENTS}, not ${total}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > total) {
    throw new DomainError('VALIDATION_FAILED', `sequence must be 1..${total}, not ${sequence}`);
  }
  return bits === 8
    ? Uint8Array.of(0x05, IEI_CONCAT_8, 0x03, value, total, sequence)
    : Uint8Array.of(0x06, IEI_CONCAT_16, 0x04, value >> 8, value & 0xff, total, sequence);
}

/**
 * Finds the concatenation element in a received UDH (UDHL first; other elements are skipped).
 * Returns null when there is none, or when its total or sequence is 0 or out of range: the spec
 * says to ignore such an element, so the part is then a message on its own. A UDH whose element
 * lengths overrun it is malformed and throws VALIDATION_FAILED.
 * @example readConcatenation(Uint8Array.of(5, 0, 3, 0xcc, 2, 1)) // { bits: 8, reference: 0xcc, total: 2, sequence: 1 }
 */
export function readConcatenation(udh: Uint8Array): Concatenation | null {
  const udhl = udh[0];
  if (udhl === undefined || udhl + 1 > udh.length) {
    throw new DomainError('VALIDATION_FAILED', 'the user data header is shorter than its length octet says');
  }
  let found: Concatenation | null = null;
  let at = 1;
  while (at < udhl + 1) {
    const iei = udh[at];
    const iedl = udh[at + 1];
    if (iei === undefined || iedl === undefined || at + 2 + iedl > udhl + 1) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `user data header element at octet ${at} overruns the header`,
      );
    }
    const data = udh.subarray(at + 2, at + 2 + iedl);
    // A repeated element: the last occurrence wins (TS 23.040 §9.2.3.24).
    if (iei === IEI_CONCAT_8 && iedl === 3)
      found = concatenation(8, data[0] ?? 0, data[1] ?? 0, data[2] ?? 0);
    if (iei === IEI_CONCAT_16 && iedl === 4) {
      found = concatenation(16, ((data[0] ?? 0) << 8) | (data[1] ?? 0), data[2] ?? 0, data[3] ?? 0);
    }
    at += 2 + iedl;
  }
  return found;
}

function concatenation(
  bits: 8 | 16,
  reference: number,
  total: number,
  sequence: number,
): Concatenation | null {
  return isValidConcatenation(total, sequence) ? { bits, reference, total, sequence } : null;
}

/** True when total and sequence describe a real part (1 ≤ sequence ≤ total ≤ 255). */
export function isValidConcatenation(total: number, sequence: number): boolean {
  return (
    Number.isInteger(total) &&
    Number.isInteger(sequence) &&
    total >= 1 &&
    total <= MAX_SEGMENTS &&
    sequence >= 1 &&
    sequence <= total
  );
}
