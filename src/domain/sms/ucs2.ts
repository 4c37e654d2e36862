/**
 * UCS-2 as SMS centres actually carry it: UTF-16 code units, big-endian. A character outside the
 * BMP (most emoji) is a surrogate pair, two units, and travels as such.
 */
import { DomainError } from '../errors.js';

/** True for the first half of a surrogate pair. */
export function isHighSurrogate(codeUnit: number): boolean {
  return codeUnit >= 0xd800 && codeUnit <= 0xdbff;
}

/** True for the second half of a surrogate pair. */
export function isLowSurrogate(codeUnit: number): boolean {
  return codeUnit >= 0xdc00 && codeUnit <= 0xdfff;
}

/**
 * Text → UTF-16BE octets, two per code unit; lone surrogates are kept as they are, not replaced.
 * @example encodeUcs2('Hé') // Uint8Array [0x00, 0x48, 0x00, 0xe9]
 */
export function encodeUcs2(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[2 * i] = unit >> 8;
    bytes[2 * i + 1] = unit & 0xff;
  }
  return bytes;
}

/**
 * UTF-16BE octets → text. An odd octet count is malformed user data and is refused, not truncated.
 * @example decodeUcs2(Uint8Array.of(0xd8, 0x3d, 0xde, 0x00)) // '😀'
 */
export function decodeUcs2(bytes: Uint8Array): string {
  if (bytes.length % 2 !== 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `UCS-2 user data has an odd number of octets (${bytes.length})`,
    );
  }
  const units = new Uint16Array(bytes.length / 2);
  for (let i = 0; i < units.length; i++) units[i] = ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0);
  // fromCharCode takes arguments, so go in chunks to stay far below the engine's argument limit.
  let text = '';
  for (let i = 0; i < units.length; i += 4096) text += String.fromCharCode(...units.subarray(i, i + 4096));
  return text;
}
