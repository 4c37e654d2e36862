// Cuts a TCP byte stream into SMPP PDUs by their command_length. A length outside
// [16, maxLength] means the stream can no longer be trusted (there is no resync marker in SMPP),
// so the framer stops for good and the connection answers generic_nack and closes.

/** The smallest PDU: the 16-byte header alone. */
export const HEADER_LENGTH = 16;

/** A framing failure: the bad length and, when the header got that far, its sequence number. */
export interface FramingError {
  commandLength: number;
  sequence: number;
}

/** What one push produced. */
export interface FramerOutput {
  /** Whole PDUs, each exactly command_length bytes. */
  frames: Buffer[];
  /** Set once framing failed; every later push returns it again and no frames. */
  error?: FramingError;
}

/** Incremental SMPP framer. */
export class PduFramer {
  private pending: Buffer = Buffer.alloc(0);
  private error: FramingError | undefined;

  constructor(private readonly maxLength: number) {}

  /** Bytes buffered towards the next PDU. */
  get buffered(): number {
    return this.pending.length;
  }

  /** Adds bytes from the stream and returns every PDU they complete. */
  push(chunk: Buffer): FramerOutput {
    if (this.error) return { frames: [], error: this.error };
    let buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (buf.length >= 4) {
      const length = buf.readUInt32BE(0);
      if (length < HEADER_LENGTH || length > this.maxLength) {
        // The sequence number is only trusted when a whole header is here.
        this.error = {
          commandLength: length,
          sequence: buf.length >= HEADER_LENGTH ? buf.readUInt32BE(12) : 0,
        };
        this.pending = Buffer.alloc(0);
        return { frames, error: this.error };
      }
      if (buf.length < length) break;
      // A copy, so a long-lived PDU never pins the whole socket chunk.
      frames.push(Buffer.from(buf.subarray(0, length)));
      buf = buf.subarray(length);
    }
    this.pending = buf.length === 0 ? Buffer.alloc(0) : Buffer.from(buf);
    return { frames };
  }
}
