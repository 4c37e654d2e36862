/**
 * planMessage: a text becomes the exact parts to submit — encoding, UDH, packed payload and the
 * TP-UDL of each — so the SMPP adapter only frames bytes and never decides anything.
 */
import { DomainError } from '../errors.js';
import {
  chooseEncoding,
  DATA_CODING,
  type DataCoding,
  type RequestedEncoding,
  type SmsEncoding,
} from './encoding.js';
import { encodeGsm7, type UnencodableChar } from './gsm7.js';
import { fillBitsAfter, packSeptets } from './septet-packing.js';
import { segmentCapacity, splitIntoParts } from './segments.js';
import { checkReference, concatenationHeader, MAX_SEGMENTS, type ConcatenationReference } from './udh.js';
import { encodeUcs2 } from './ucs2.js';

/** How to plan: the encoding wanted and, for a text that needs several parts, its reference. */
export interface PlanOptions {
  encoding?: RequestedEncoding;
  /** Needed only when the text needs more than one part; unique per recipient among messages in flight. */
  reference?: ConcatenationReference;
}

/** One SMS to submit. `udh` + `payload` is the exact TP-User-Data. */
export interface MessagePart {
  /** 1-based position in the message. */
  sequence: number;
  /** The slice of the original text this part carries. */
  text: string;
  /** Concatenation header (UDHL first), or null for a message that fits one SMS. */
  udh: Uint8Array | null;
  /** Zero bits between the UDH and the first septet (GSM-7 with a UDH only), 0..6. */
  fillBits: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of text in this part. */
  units: number;
  /** Packed septets (fill bits first) or UTF-16BE octets. */
  payload: Uint8Array;
  /** TP-UDL: septets including UDH and fill (GSM-7), or octets including the UDH (UCS-2). */
  userDataLength: number;
  dataCoding: DataCoding;
}

/** The whole message as it will be sent. */
export interface MessagePlan {
  encoding: SmsEncoding;
  dataCoding: DataCoding;
  segments: number;
  /** Room per segment: 160/70 alone, 153/67 (8-bit reference) or 152/66 (16-bit) when concatenated. */
  unitsPerSegment: number;
  /** Septets or code units of the whole text. */
  units: number;
  /** With `auto`: the characters that forced UCS-2. A forced `gsm7` throws SMS_UNENCODABLE instead. */
  unencodable: UnencodableChar[];
  parts: MessagePart[];
}

/**
 * Plans the parts of an SMS. Throws SMS_UNENCODABLE (forced gsm7 with foreign characters, listed in
 * details), SMS_TOO_LONG (over 255 parts) or VALIDATION_FAILED (a multi-part text without a reference).
 * @example
 * const plan = planMessage('a'.repeat(200), { reference: { bits: 8, value: 42 } });
 * // plan.segments === 2, plan.parts[0].udh = 05 00 03 2A 02 01, plan.parts[0].units === 153
 */
export function planMessage(text: string, options: PlanOptions = {}): MessagePlan {
  const { encoding, unencodable } = chooseEncoding(text, options.encoding ?? 'auto');
  const reference = options.reference === undefined ? undefined : checkReference(options.reference);
  const ranges: [start: number, end: number, units: number][] = [];
  splitIntoParts(text, encoding, reference?.bits ?? 8, (...range) => ranges.push(range));
  const segments = ranges.length;
  if (segments > MAX_SEGMENTS) {
    const message = `the text needs ${segments} segments; at most ${MAX_SEGMENTS} can be sent`;
    throw new DomainError('SMS_TOO_LONG', message, { segments });
  }
  if (segments > 1 && reference === undefined) {
    const message = `a text of ${segments} segments needs a concatenation reference`;
    throw new DomainError('VALIDATION_FAILED', message, { path: 'reference' });
  }
  const parts = ranges.map(([start, end, units], i) => {
    const udh = reference && segments > 1 ? concatenationHeader(reference, segments, i + 1) : null;
    return buildPart(encoding, text.slice(start, end), units, i + 1, udh);
  });
  const unitsPerSegment = segmentCapacity(encoding, segments > 1 ? reference?.bits : undefined);
  const units = parts.reduce((sum, p) => sum + p.units, 0);
  return {
    encoding,
    dataCoding: DATA_CODING[encoding],
    segments,
    unitsPerSegment,
    units,
    unencodable,
    parts,
  };
}

function buildPart(
  encoding: SmsEncoding,
  text: string,
  units: number,
  sequence: number,
  udh: Uint8Array | null,
): MessagePart {
  const dataCoding = DATA_CODING[encoding];
  const udhOctets = udh?.length ?? 0;
  if (encoding === 'ucs2') {
    const payload = encodeUcs2(text);
    const userDataLength = udhOctets + payload.length;
    return { sequence, text, udh, fillBits: 0, units, payload, userDataLength, dataCoding };
  }
  // The UDH and its fill bits count in TP-UDL as whole septets: (6 × 8 + 1) / 7 = 7, 7 × 8 / 7 = 8.
  const fillBits = udh ? fillBitsAfter(udhOctets) : 0;
  const payload = packSeptets(encodeGsm7(text), fillBits);
  const userDataLength = (udhOctets * 8 + fillBits) / 7 + units;
  return { sequence, text, udh, fillBits, units, payload, userDataLength, dataCoding };
}
