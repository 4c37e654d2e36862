/**
 * The GSM 03.38 (3GPP TS 23.038 §6.2.1) 7-bit default alphabet and its extension table, mapped to
 * and from JavaScript text. Septets here are unpacked (one per byte); septet-packing.ts packs them.
 */
import { DomainError } from '../errors.js';
import { unpackSeptets } from './septet-packing.js';

/** The escape septet: the next septet is read from the extension table. */
export const ESC = 0x1b;

/**
 * The basic table in septet order (index = septet value). 0x1B is ESC, not a character. Greek
 * capitals are written as escapes because look-alikes (U+2126 OHM SIGN, U+2206 INCREMENT) are
 * different characters that must not match.
 */
export const GSM7_BASIC_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅå' +
  '\u0394_\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039e\u001bÆæßÉ' +
  ' !"#¤%&\'()*+,-./' +
  '0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNO' +
  'PQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmno' +
  'pqrstuvwxyzäöñüà';

/** The extension table (septet after ESC → character); each of these costs two septets. */
export const GSM7_EXTENSION_TABLE: ReadonlyMap<number, string> = new Map([
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
]);

/** A character that GSM-7 cannot carry, at its UTF-16 index in the text (a surrogate pair is one entry). */
export interface UnencodableChar {
  char: string;
  index: number;
}

// Flat lookup by UTF-16 code unit: -1 = not in the alphabet, 0..127 = basic septet,
// EXTENDED | septet = ESC + septet. The highest mapped character is € (U+20AC), so the table stays small.
const EXTENDED = 0x100;
const SEPTET_BY_CHAR = buildLookup();

function buildLookup(): Int16Array {
  const table = new Int16Array(0x20ad).fill(-1);
  for (let septet = 0; septet < 128; septet++) {
    if (septet !== ESC) table[GSM7_BASIC_TABLE.charCodeAt(septet)] = septet;
  }
  for (const [septet, char] of GSM7_EXTENSION_TABLE) table[char.charCodeAt(0)] = EXTENDED | septet;
  return table;
}

/** Internal encoding of one UTF-16 code unit: -1, a basic septet, or EXTENDED | extension septet. */
function lookup(codeUnit: number): number {
  return codeUnit < SEPTET_BY_CHAR.length ? (SEPTET_BY_CHAR[codeUnit] ?? -1) : -1;
}

/**
 * Septets one UTF-16 code unit costs in GSM-7: 1 (basic), 2 (extension: ESC + char) or 0 (not encodable).
 * @example gsm7Cost('a'.charCodeAt(0)) // 1, and gsm7Cost('€'.charCodeAt(0)) // 2
 */
export function gsm7Cost(codeUnit: number): 0 | 1 | 2 {
  const s = lookup(codeUnit);
  return s < 0 ? 0 : s & EXTENDED ? 2 : 1;
}

/** Total septets of `text` in GSM-7, or -1 as soon as a character is not encodable (no allocation). */
export function gsm7Length(text: string): number {
  let septets = 0;
  for (let i = 0; i < text.length; i++) {
    const cost = gsm7Cost(text.charCodeAt(i));
    if (cost === 0) return -1;
    septets += cost;
  }
  return septets;
}

/**
 * Every character of `text` outside the GSM-7 alphabet, with its UTF-16 index; [] when all fit.
 * @example findUnencodable('Hi 😀 ok') // [{ char: '😀', index: 3 }]
 */
export function findUnencodable(text: string): UnencodableChar[] {
  const found: UnencodableChar[] = [];
  for (let i = 0; i < text.length; i++) {
    if (gsm7Cost(text.charCodeAt(i)) !== 0) continue;
    const cp = text.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    found.push({ char: text.slice(i, i + width), index: i });
    i += width - 1;
  }
  return found;
}

/** The DomainError for text forced to GSM-7 that it cannot carry; the details list every offender. */
export function unencodableError(unencodable: readonly UnencodableChar[]): DomainError {
  const shown = unencodable
    .slice(0, 5)
    .map((u) => `${JSON.stringify(u.char)} at ${u.index}`)
    .join(', ');
  const more = unencodable.length > 5 ? ` and ${unencodable.length - 5} more` : '';
  return new DomainError(
    'SMS_UNENCODABLE',
    `${unencodable.length} character(s) cannot be sent in GSM-7: ${shown}${more}`,
    { unencodable },
  );
}

/**
 * Text → unpacked septets (extension characters become ESC + septet). Throws SMS_UNENCODABLE,
 * listing every offending character, rather than substituting "?".
 * @example encodeGsm7('a€') // Uint8Array [0x61, 0x1b, 0x65]
 */
export function encodeGsm7(text: string): Uint8Array {
  const length = gsm7Length(text);
  if (length < 0) throw unencodableError(findUnencodable(text));
  const septets = new Uint8Array(length);
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const s = lookup(text.charCodeAt(i));
    if (s & EXTENDED) septets[at++] = ESC;
    septets[at++] = s & 0x7f;
  }
  return septets;
}

/**
 * Unpacked septets → text. Per TS 23.038: ESC + an undefined extension code shows the basic character
 * for that code, and an ESC with nothing usable after it (ESC ESC, or at the end) shows a space.
 * @example septetsToText(Uint8Array.of(0x61, 0x1b, 0x65)) // 'a€'
 */
export function septetsToText(septets: Uint8Array): string {
  let text = '';
  for (let i = 0; i < septets.length; i++) {
    const s = (septets[i] ?? 0) & 0x7f;
    if (s !== ESC) {
      text += GSM7_BASIC_TABLE[s];
      continue;
    }
    const next = septets[i + 1];
    if (next === undefined || (next & 0x7f) === ESC) {
      text += ' ';
      if (next !== undefined) i++;
      continue;
    }
    text += GSM7_EXTENSION_TABLE.get(next & 0x7f) ?? GSM7_BASIC_TABLE[next & 0x7f];
    i++;
  }
  return text;
}

/**
 * Packed GSM-7 user data → text; `septetCount` is the septets of text (TP-UDL minus any UDH septets)
 * and `fillBits` the alignment bits after a UDH.
 * @example decodeGsm7(Uint8Array.from([0xe8, 0x32, 0x9b, 0xfd, 0x46, 0x97, 0xd9, 0xec, 0x37]), 10) // 'hellohello'
 */
export function decodeGsm7(packed: Uint8Array, septetCount: number, fillBits = 0): string {
  return septetsToText(unpackSeptets(packed, septetCount, fillBits));
}
