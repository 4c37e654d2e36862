/**
 * A small reorder/duplicate filter for RTP sequence numbers. It holds at most `depth` packets while
 * waiting for a gap to fill, so it adds no latency in order and bounded latency under reordering;
 * it never looks at the clock. Sequence numbers are 16-bit and compared modulo 2^16.
 */

/** Half the sequence space: differences beyond it mean "behind", not "ahead". */
const HALF = 0x8000;

function ahead(a: number, b: number): number {
  // Signed distance from b to a in sequence space.
  const d = (a - b) & 0xffff;
  return d >= HALF ? d - 0x10000 : d;
}

/** Delivers packets in sequence order, dropping duplicates and packets that arrive too late. */
export class ReorderBuffer<T> {
  private lastDelivered: number | null = null;
  private readonly held = new Map<number, T>();

  constructor(private readonly depth = 4) {}

  /** Offers a packet; returns the packets now deliverable, in order (possibly none). */
  push(seq: number, packet: T): T[] {
    seq &= 0xffff;
    if (this.lastDelivered === null) {
      this.lastDelivered = seq;
      return [packet];
    }
    const d = ahead(seq, this.lastDelivered);
    // The usual case, next in order with nothing waiting: no map traffic per packet.
    if (d === 1 && this.held.size === 0) {
      this.lastDelivered = seq;
      return [packet];
    }
    // Behind what was delivered (late or duplicate) or already held: drop.
    if (d <= 0 || this.held.has(seq)) return [];
    // A jump far ahead (sender restart, long loss) would otherwise stall: resynchronise.
    if (d > 1000) {
      const flushed = this.flush();
      this.lastDelivered = seq;
      return [...flushed, packet];
    }
    this.held.set(seq, packet);
    const out: T[] = [];
    this.drainContiguous(out);
    // Too many waiting: give up on the gap and skip to the oldest held packet.
    while (this.held.size > this.depth) {
      this.lastDelivered = this.oldestHeld()! - 1;
      this.drainContiguous(out);
    }
    return out;
  }

  /** Releases everything held, in order (e.g. at the end of a stream). */
  flush(): T[] {
    const out: T[] = [];
    while (this.held.size > 0) {
      this.lastDelivered = (this.oldestHeld()! - 1) & 0xffff;
      this.drainContiguous(out);
    }
    return out;
  }

  private drainContiguous(out: T[]): void {
    for (;;) {
      const want = ((this.lastDelivered ?? 0) + 1) & 0xffff;
      const p = this.held.get(want);
      if (p === undefined) return;
      this.held.delete(want);
      out.push(p);
      this.lastDelivered = want;
    }
  }

  private oldestHeld(): number | undefined {
    let best: number | undefined;
    for (const s of this.held.keys()) if (best === undefined || ahead(s, best) < 0) best = s;
    return best;
  }
}
