/**
 * Decoding of a received (MO) SMS as SMPP delivers it: the data_coding, the octets after any user
 * data header, and the concatenation element from the UDH or the SAR TLVs. Pure.
 */
import { septetsToText } from './gsm7.js';
import { decodeUcs2 } from './ucs2.js';
import { readConcatenation, isValidConcatenation, type Concatenation } from './udh.js';

/** The text of one part. SMPP carries the GSM default alphabet one septet per octet (unpacked). */
export function decodeMoText(dataCoding: number, octets: Uint8Array): string {
  switch (dataCoding & 0x0f) {
    case 0x08:
      return decodeUcs2(octets.length % 2 === 0 ? octets : octets.subarray(0, octets.length - 1));
    case 0x01: // IA5 (ASCII)
    case 0x03: // Latin-1
      return latin1(octets);
    case 0x00:
      return septetsToText(octets);
    default:
      // Binary or unknown codings: shown as Latin-1 rather than dropped, so staff still see something.
      return latin1(octets);
  }
}

/** The concatenation element of a part: from the UDH, else from SAR TLVs; null for a single SMS. */
export function moConcatenation(
  udh: Uint8Array | undefined,
  sar: { reference: number; total: number; sequence: number } | undefined,
): Concatenation | null {
  if (udh && udh.length > 0) {
    try {
      const c = readConcatenation(udh);
      if (c) return c;
    } catch {
      // A malformed header is read as no concatenation: the part is then a message on its own.
    }
  }
  if (sar && isValidConcatenation(sar.total, sar.sequence)) {
    return { bits: 16, reference: sar.reference & 0xffff, total: sar.total, sequence: sar.sequence };
  }
  return null;
}

function latin1(octets: Uint8Array): string {
  let text = '';
  for (const o of octets) text += String.fromCharCode(o);
  return text;
}
