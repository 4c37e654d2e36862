/**
 * Reassembly of incoming (MO) concatenated SMS. Parts arrive out of order, twice, or not at all;
 * this sorts out what is complete. Keeping pending parts and timing them out is the caller's job.
 */
import { isValidConcatenation, type Concatenation, type ConcatenationReference } from './udh.js';

/** One received SMS, already decoded, with its concatenation element if it had one. */
export interface IncomingPart {
  /** The originating address: references are unique per sender only. */
  sender: string;
  text: string;
  /** From readConcatenation(udh); null for a single SMS. */
  concatenation: Concatenation | null;
}

/** A complete message: its parts' texts joined in sequence order. */
export interface ReassembledMessage {
  sender: string;
  text: string;
  reference: ConcatenationReference | null;
  parts: number;
}

/** A concatenated message still missing parts. */
export interface PendingMessage {
  sender: string;
  reference: ConcatenationReference;
  total: number;
  /** The parts received so far, in sequence order (feed them back in with newer parts). */
  received: IncomingPart[];
  missing: number[];
}

/** The outcome of reassembling a batch of parts. */
export interface Reassembly {
  messages: ReassembledMessage[];
  pending: PendingMessage[];
  /** Second copies of a part already present (the first copy is the one used). */
  duplicates: IncomingPart[];
}

interface Group {
  sender: string;
  reference: ConcatenationReference;
  total: number;
  bySequence: Map<number, IncomingPart>;
}

/**
 * Groups parts by sender, reference (width and value) and total; orders each group by sequence;
 * keeps the first copy of a repeated part. A part whose concatenation element is out of range
 * (sequence 0 or above total) is a message on its own, as TS 23.040 says to ignore such an element.
 * Results are in order of each message's first part in the input.
 * @example
 * reassemble([
 *   { sender: '+4917', text: 'world', concatenation: { bits: 8, reference: 7, total: 2, sequence: 2 } },
 *   { sender: '+4917', text: 'hello ', concatenation: { bits: 8, reference: 7, total: 2, sequence: 1 } },
 * ]).messages // [{ sender: '+4917', text: 'hello world', reference: { bits: 8, value: 7 }, parts: 2 }]
 */
export function reassemble(parts: readonly IncomingPart[]): Reassembly {
  // Standalone messages and groups share one ordered list so output follows first arrival.
  const order: (ReassembledMessage | Group)[] = [];
  const groups = new Map<string, Group>();
  const duplicates: IncomingPart[] = [];
  for (const part of parts) {
    const c = part.concatenation;
    if (c === null || !isValidConcatenation(c.total, c.sequence)) {
      order.push({ sender: part.sender, text: part.text, reference: null, parts: 1 });
      continue;
    }
    const key = JSON.stringify([part.sender, c.bits, c.reference, c.total]);
    let group = groups.get(key);
    if (group === undefined) {
      const reference = { bits: c.bits, value: c.reference };
      group = { sender: part.sender, reference, total: c.total, bySequence: new Map() };
      groups.set(key, group);
      order.push(group);
    }
    if (group.bySequence.has(c.sequence)) duplicates.push(part);
    else group.bySequence.set(c.sequence, part);
  }
  const messages: ReassembledMessage[] = [];
  const pending: PendingMessage[] = [];
  for (const entry of order) {
    if (!('bySequence' in entry)) {
      messages.push(entry);
      continue;
    }
    const received: IncomingPart[] = [];
    const missing: number[] = [];
    for (let sequence = 1; sequence <= entry.total; sequence++) {
      const part = entry.bySequence.get(sequence);
      if (part) received.push(part);
      else missing.push(sequence);
    }
    const { sender, reference, total } = entry;
    if (missing.length > 0) pending.push({ sender, reference, total, received, missing });
    // Joining UTF-16 text also mends a surrogate pair that a sending phone split across two parts.
    else messages.push({ sender, text: received.map((p) => p.text).join(''), reference, parts: total });
  }
  return { messages, pending, duplicates };
}
