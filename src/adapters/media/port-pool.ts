/**
 * The configured RTP port range. RTP takes even ports and leaves the odd one above for RTCP
 * (RFC 3550 §11), so a pool of [20000, 20100] offers 20000, 20002, … 20100.
 */

/** Hands out even ports from a range, round robin so a just-released port is not reused at once. */
export class RtpPortPool {
  private readonly taken = new Set<number>();
  private next: number;
  private readonly first: number;
  private readonly last: number;

  constructor(min: number, max: number) {
    this.first = min % 2 === 0 ? min : min + 1;
    this.last = max;
    if (this.first > this.last) throw new RangeError(`empty RTP port range ${min}-${max}`);
    this.next = this.first;
  }

  /** Number of ports in the range. */
  get size(): number {
    return Math.floor((this.last - this.first) / 2) + 1;
  }

  /** Ports handed out and not yet returned. */
  get inUse(): number {
    return this.taken.size;
  }

  /** Reserves the next free port, or returns null when all are in use. */
  allocate(): number | null {
    for (let i = 0; i < this.size; i++) {
      const port = this.next;
      this.next = port + 2 > this.last ? this.first : port + 2;
      if (!this.taken.has(port)) {
        this.taken.add(port);
        return port;
      }
    }
    return null;
  }

  /** Returns a port to the pool. */
  release(port: number): void {
    this.taken.delete(port);
  }
}
