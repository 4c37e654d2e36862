/**
 * RFC 4733 telephone-events: the 4-octet payload, a receiver that turns a packet stream into
 * digits, and a sender that plans the packet sequence for one digit.
 */

/** The digits RFC 4733 events 0–15 stand for (16 = hook flash, reported as '!'). */
const EVENT_DIGITS = '0123456789*#ABCD!';

/** A decoded telephone-event payload. */
export interface TelephoneEvent {
  event: number;
  end: boolean;
  /** Power level in -dBm0 (0–63). */
  volume: number;
  /** Duration so far, in RTP timestamp units (8 kHz). */
  duration: number;
}

/** Parses a telephone-event payload (extra trailing octets are ignored); null if too short. */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < 4) return null;
  const b1 = payload[1]!;
  return {
    event: payload[0]!,
    end: (b1 & 0x80) !== 0,
    volume: b1 & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

/** Builds a telephone-event payload; fields are masked to their wire widths. */
export function buildTelephoneEvent(e: TelephoneEvent): Uint8Array {
  const d = Math.max(0, Math.min(0xffff, e.duration));
  return new Uint8Array([e.event & 0xff, (e.end ? 0x80 : 0) | (e.volume & 0x3f), d >> 8, d & 0xff]);
}

/** The digit for an event code, or null for events we do not map (e.g. line tones). */
export function digitForEvent(event: number): string | null {
  return EVENT_DIGITS[event] ?? null;
}

/** The event code for a digit (0-9 * # A-D, case-insensitive), or null. */
export function eventForDigit(digit: string): number | null {
  if (digit.length !== 1) return null;
  const i = EVENT_DIGITS.indexOf(digit.toUpperCase());
  return i < 0 ? null : i;
}

/** What the receiver needs from an RTP packet carrying a telephone-event. */
export interface DtmfPacket {
  timestamp: number;
  payload: Uint8Array;
}

// How many recent event timestamps to remember: enough to swallow late retransmits of the
// previous few digits without growing with the call.
const REMEMBERED_EVENTS = 16;

/**
 * Turns telephone-event packets into digits, exactly once per event. An event is identified by its
 * RTP timestamp (RFC 4733 §2.5.1.2: all packets of one event share it), so start, update, redundant
 * end packets and retransmits all collapse into one digit. The digit is reported on the first packet
 * seen, so a lost start packet or lost end packets still yield it once.
 */
export class DtmfReceiver {
  private readonly seen: number[] = [];

  /** Feeds one packet; returns the digit if this packet starts a new event, else null. */
  push(packet: DtmfPacket): string | null {
    const ev = parseTelephoneEvent(packet.payload);
    if (!ev) return null;
    const digit = digitForEvent(ev.event);
    if (digit === null) return null;
    if (this.seen.includes(packet.timestamp)) return null;
    this.seen.push(packet.timestamp);
    if (this.seen.length > REMEMBERED_EVENTS) this.seen.shift();
    return digit;
  }
}

/** One packet of a planned digit: send it `atMs` after the digit starts. */
export interface PlannedDtmfPacket {
  atMs: number;
  marker: boolean;
  timestamp: number;
  payload: Uint8Array;
}

/** Options for planning a digit. */
export interface DtmfPlanOptions {
  /** Tone length in ms (default 100; RFC 4733 suggests at least 40). */
  durationMs?: number;
  /** Volume in -dBm0 (default 10). */
  volume?: number;
}

const UPDATE_MS = 50;
const SAMPLES_PER_MS = 8;

/**
 * The packets for one digit, all with the event's start timestamp: a first packet with the marker
 * bit, updates every 50 ms with a growing duration, then three identical end packets (the
 * redundancy RFC 4733 §2.5.1.4 recommends, since the end is what receivers rely on).
 * Returns an empty list for a character that is not a DTMF digit.
 */
export function planDtmf(
  digit: string,
  startTimestamp: number,
  opts: DtmfPlanOptions = {},
): PlannedDtmfPacket[] {
  const event = eventForDigit(digit);
  if (event === null) return [];
  const durationMs = Math.max(UPDATE_MS, opts.durationMs ?? 100);
  const volume = opts.volume ?? 10;
  const timestamp = startTimestamp >>> 0;
  const total = durationMs * SAMPLES_PER_MS;
  const packets: PlannedDtmfPacket[] = [];
  for (let t = 0; t < durationMs; t += UPDATE_MS) {
    const duration = Math.min(t + UPDATE_MS, durationMs) * SAMPLES_PER_MS;
    packets.push({
      atMs: t,
      marker: t === 0,
      timestamp,
      payload: buildTelephoneEvent({ event, end: false, volume, duration }),
    });
  }
  const endPayload = buildTelephoneEvent({ event, end: true, volume, duration: total });
  for (let i = 0; i < 3; i++)
    packets.push({ atMs: durationMs, marker: false, timestamp, payload: endPayload });
  return packets;
}
