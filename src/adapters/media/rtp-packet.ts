/**
 * RTP packets (RFC 3550 §5.1): parse and serialize. Parsing never throws: a packet from the network
 * is untrusted, so anything malformed comes back as null and the caller drops it.
 */
import { slabCopy } from './slab.js';

/** One RTP packet; `payload` excludes padding, `extension` is the header extension if present. */
export interface RtpPacket {
  padding: boolean;
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extension: { profile: number; data: Uint8Array } | null;
  payload: Uint8Array;
  /** Number of padding octets (including the count octet) when `padding` is set. */
  paddingLength: number;
}

/** Fixed header size in octets. */
export const RTP_HEADER_SIZE = 12;

/** Parses an RTP packet; returns null for anything that is not a well-formed version-2 packet. */
export function parseRtp(input: Uint8Array): RtpPacket | null {
  if (input.length < RTP_HEADER_SIZE) return null;
  // A plain Uint8Array view, so slices of a Node Buffer come out as Uint8Array copies too.
  const buf = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  // The usual packet (no CSRC, extension or padding) is read without a DataView.
  if ((buf[0]! & 0xff) === 0x80) {
    return {
      padding: false,
      marker: (buf[1]! & 0x80) !== 0,
      payloadType: buf[1]! & 0x7f,
      sequenceNumber: (buf[2]! << 8) | buf[3]!,
      timestamp: ((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0,
      ssrc: ((buf[8]! << 24) | (buf[9]! << 16) | (buf[10]! << 8) | buf[11]!) >>> 0,
      csrcs: [],
      extension: null,
      payload: slabCopy(buf, RTP_HEADER_SIZE),
      paddingLength: 0,
    };
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const b0 = view.getUint8(0);
  const b1 = view.getUint8(1);
  if (b0 >> 6 !== 2) return null;
  const padding = (b0 & 0x20) !== 0;
  const hasExtension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  let offset = RTP_HEADER_SIZE;
  if (buf.length < offset + csrcCount * 4) return null;
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) {
    csrcs.push(view.getUint32(offset));
    offset += 4;
  }
  let extension: RtpPacket['extension'] = null;
  if (hasExtension) {
    if (buf.length < offset + 4) return null;
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    offset += 4;
    if (buf.length < offset + words * 4) return null;
    extension = { profile, data: buf.slice(offset, offset + words * 4) };
    offset += words * 4;
  }
  let end = buf.length;
  let paddingLength = 0;
  if (padding) {
    paddingLength = view.getUint8(buf.length - 1);
    // A zero count is invalid (the count octet counts itself) and padding may not eat the header.
    if (paddingLength === 0 || end - paddingLength < offset) return null;
    end -= paddingLength;
  }
  return {
    padding,
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrcs,
    extension,
    payload: slabCopy(buf, offset, end),
    paddingLength,
  };
}

/** Fields needed to build a packet; optional ones default to no padding/CSRC/extension. */
export type RtpPacketInit = Pick<
  RtpPacket,
  'payloadType' | 'sequenceNumber' | 'timestamp' | 'ssrc' | 'payload'
> &
  Partial<Pick<RtpPacket, 'marker' | 'csrcs' | 'extension' | 'paddingLength'>>;

/** Serializes a packet; numeric fields are masked to their wire widths, extension data padded to 32 bits. */
export function serializeRtp(p: RtpPacketInit): Uint8Array {
  if (!p.csrcs?.length && !p.extension && !p.paddingLength) return serializePlain(p);
  const csrcs = (p.csrcs ?? []).slice(0, 15);
  const ext = p.extension ?? null;
  const extWords = ext ? Math.ceil(ext.data.length / 4) : 0;
  const padLen = Math.max(0, Math.min(255, p.paddingLength ?? 0));
  const headerLen = RTP_HEADER_SIZE + csrcs.length * 4 + (ext ? 4 + extWords * 4 : 0);
  const out = new Uint8Array(headerLen + p.payload.length + padLen);
  const view = new DataView(out.buffer);
  view.setUint8(0, 0x80 | (padLen > 0 ? 0x20 : 0) | (ext ? 0x10 : 0) | csrcs.length);
  view.setUint8(1, (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f));
  view.setUint16(2, p.sequenceNumber & 0xffff);
  view.setUint32(4, p.timestamp >>> 0);
  view.setUint32(8, p.ssrc >>> 0);
  let offset = RTP_HEADER_SIZE;
  for (const c of csrcs) {
    view.setUint32(offset, c >>> 0);
    offset += 4;
  }
  if (ext) {
    view.setUint16(offset, ext.profile & 0xffff);
    view.setUint16(offset + 2, extWords);
    out.set(ext.data, offset + 4);
    offset += 4 + extWords * 4;
  }
  out.set(p.payload, offset);
  if (padLen > 0) out[out.length - 1] = padLen;
  return out;
}

/**
 * The common case (no CSRC, extension or padding), sent for every audio frame: written byte by
 * byte into a slice of Node's buffer pool rather than a fresh ArrayBuffer with a DataView.
 */
function serializePlain(p: RtpPacketInit): Uint8Array {
  const out = Buffer.allocUnsafe(RTP_HEADER_SIZE + p.payload.length);
  out[0] = 0x80;
  out[1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  out.writeUInt16BE(p.sequenceNumber & 0xffff, 2);
  out.writeUInt32BE(p.timestamp >>> 0, 4);
  out.writeUInt32BE(p.ssrc >>> 0, 8);
  out.set(p.payload, RTP_HEADER_SIZE);
  // A plain Uint8Array like the general path returns, over the same pooled memory.
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
