/** Which alphabet a message travels in: GSM-7 when every character fits, UCS-2 otherwise. */
import { DomainError } from '../errors.js';
import { findUnencodable, gsm7Length, unencodableError, type UnencodableChar } from './gsm7.js';

/** The two data codings an SMS body can use. */
export type SmsEncoding = 'gsm7' | 'ucs2';

/** What a caller asks for: a fixed encoding, or `auto` to choose by content. */
export type RequestedEncoding = SmsEncoding | 'auto';

/** TP-DCS / SMPP data_coding values: 0x00 GSM default alphabet, 0x08 UCS-2. */
export const DATA_CODING = { gsm7: 0x00, ucs2: 0x08 } as const;

/** One of the DATA_CODING values. */
export type DataCoding = (typeof DATA_CODING)[SmsEncoding];

/** The outcome of choosing: the encoding and, for `auto`, the characters that forced UCS-2. */
export interface EncodingChoice {
  encoding: SmsEncoding;
  /** With `auto`, the characters that made the message UCS-2 (replace them to pay for fewer segments). */
  unencodable: UnencodableChar[];
}

/** Refuses anything but 'auto' | 'gsm7' | 'ucs2' (callers may pass unchecked input). */
export function checkRequestedEncoding(requested: unknown): RequestedEncoding {
  if (requested === 'auto' || requested === 'gsm7' || requested === 'ucs2') return requested;
  throw new DomainError(
    'VALIDATION_FAILED',
    `encoding must be auto, gsm7 or ucs2, not ${String(requested)}`,
    {
      path: 'encoding',
    },
  );
}

/**
 * Picks the encoding for `text`. A forced `gsm7` with characters outside the alphabet throws
 * SMS_UNENCODABLE with `details.unencodable` ({char, index}[]); nothing is ever replaced with "?".
 * @example chooseEncoding('Grüße') // { encoding: 'gsm7', unencodable: [] }
 * @example chooseEncoding('Hi 😀') // { encoding: 'ucs2', unencodable: [{ char: '😀', index: 3 }] }
 */
export function chooseEncoding(text: string, requested: RequestedEncoding = 'auto'): EncodingChoice {
  const wanted = checkRequestedEncoding(requested);
  if (wanted === 'ucs2') return { encoding: 'ucs2', unencodable: [] };
  if (gsm7Length(text) >= 0) return { encoding: 'gsm7', unencodable: [] };
  const unencodable = findUnencodable(text);
  if (wanted === 'gsm7') throw unencodableError(unencodable);
  return { encoding: 'ucs2', unencodable };
}
