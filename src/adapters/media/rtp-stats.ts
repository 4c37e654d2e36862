/**
 * Receiver statistics per RFC 3550 Appendix A: extended highest sequence (A.1), cumulative loss
 * (A.3) and interarrival jitter (A.8), in RTP timestamp units. Arrival times are passed in.
 */

/** A snapshot of the receive counters. */
export interface RtpReceiveStats {
  packets: number;
  /** Expected minus received; can go negative with duplicates, as in RFC 3550. */
  lost: number;
  /** Interarrival jitter in timestamp units. */
  jitter: number;
  extendedHighestSeq: number;
}

/** Tracks loss and jitter of one incoming stream. */
export class RtpReceiveCounter {
  private packets = 0;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private started = false;
  // The previous packet's arrival and timestamp, as two fields so recording allocates nothing.
  private hasLast = false;
  private lastArrival = 0;
  private lastTimestamp = 0;
  private jitter = 0;

  /** `clockRate` converts arrival ms into timestamp units (8000 for G.711). */
  constructor(private readonly clockRate = 8000) {}

  /** Records one packet, with its arrival time in ms. */
  record(seq: number, rtpTimestamp: number, arrivalMs: number): void {
    seq &= 0xffff;
    if (!this.started) {
      this.started = true;
      this.baseSeq = seq;
      this.maxSeq = seq;
    } else {
      const delta = (seq - this.maxSeq) & 0xffff;
      if (delta > 0 && delta < 0x8000) {
        if (seq < this.maxSeq) this.cycles += 0x10000; // wrapped
        this.maxSeq = seq;
      }
    }
    this.packets++;
    // A.8: D is the change in transit time (arrival - timestamp). Taking the timestamp difference
    // as a signed 32-bit value keeps D right across the timestamp wrap.
    const arrival = (arrivalMs * this.clockRate) / 1000;
    const timestamp = rtpTimestamp >>> 0;
    if (this.hasLast) {
      const d = Math.abs(arrival - this.lastArrival - ((timestamp - this.lastTimestamp) | 0));
      this.jitter += (d - this.jitter) / 16;
    }
    this.hasLast = true;
    this.lastArrival = arrival;
    this.lastTimestamp = timestamp;
  }

  /** Current counters. */
  snapshot(): RtpReceiveStats {
    const extended = this.cycles + this.maxSeq;
    const expected = this.started ? extended - this.baseSeq + 1 : 0;
    return {
      packets: this.packets,
      lost: expected - this.packets,
      jitter: this.jitter,
      extendedHighestSeq: extended,
    };
  }
}
