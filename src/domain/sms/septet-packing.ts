/**
 * Packing of 7-bit septets into octets (3GPP TS 23.038 §6.1.2.1.1): septets are laid end to end,
 * least significant bit first. After a User Data Header the septets start on the next septet
 * boundary of the user data, so the first `fillBits` bits of the packed payload stay zero.
 */
import { DomainError } from '../errors.js';

/** Octets needed for `septetCount` septets after `fillBits` fill bits. */
export function packedLength(septetCount: number, fillBits = 0): number {
  return Math.ceil((fillBits + 7 * septetCount) / 8);
}

/**
 * Fill bits that align the first septet after a UDH of `udhOctets` octets (UDHL byte included).
 * @example fillBitsAfter(6) // 1 (8-bit reference UDH), fillBitsAfter(7) // 0 (16-bit reference)
 */
export function fillBitsAfter(udhOctets: number): number {
  return (7 - ((udhOctets * 8) % 7)) % 7;
}

function checkFillBits(fillBits: number): void {
  if (!Number.isInteger(fillBits) || fillBits < 0 || fillBits > 6) {
    throw new DomainError('VALIDATION_FAILED', `fill bits must be 0..6, not ${fillBits}`);
  }
}

/**
 * Packs septets (values 0..127) into octets, after `fillBits` zero bits.
 * @example packSeptets(encodeGsm7('hellohello')) // E8 32 9B FD 46 97 D9 EC 37
 */
export function packSeptets(septets: Uint8Array, fillBits = 0): Uint8Array {
  checkFillBits(fillBits);
  const packed = new Uint8Array(packedLength(septets.length, fillBits));
  for (let i = 0; i < septets.length; i++) {
    const septet = (septets[i] ?? 0) & 0x7f;
    const bit = fillBits + 7 * i;
    const octet = bit >> 3;
    const shift = bit & 7;
    packed[octet] = (packed[octet] ?? 0) | ((septet << shift) & 0xff);
    // A septet starting at bit 2..7 of an octet spills its high bits into the next octet.
    if (shift > 1) packed[octet + 1] = (packed[octet + 1] ?? 0) | (septet >> (8 - shift));
  }
  return packed;
}

/**
 * Reads `septetCount` septets (the TP-UDL count, not derivable from the octets alone: the last
 * octet's spare bits would read as "@") from packed octets, skipping `fillBits` first.
 * @example unpackSeptets(Uint8Array.of(0xe8, 0x32), 2) // Uint8Array [0x68, 0x65] ('he')
 */
export function unpackSeptets(packed: Uint8Array, septetCount: number, fillBits = 0): Uint8Array {
  checkFillBits(fillBits);
  if (!Number.isInteger(septetCount) || septetCount < 0) {
    throw new DomainError('VALIDATION_FAILED', `septet count must be a whole number, not ${septetCount}`);
  }
  if (packedLength(septetCount, fillBits) > packed.length) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${septetCount} septets need ${packedLength(septetCount, fillBits)} octets, got ${packed.length}`,
    );
  }
  const septets = new Uint8Array(septetCount);
  for (let i = 0; i < septetCount; i++) {
    const bit = fillBits + 7 * i;
    const octet = bit >> 3;
    const shift = bit & 7;
    let value = (packed[octet] ?? 0) >> shift;
    if (shift > 1) value |= (packed[octet + 1] ?? 0) << (8 - shift);
    septets[i] = value & 0x7f;
  }
  return septets;
}
