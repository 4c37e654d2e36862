/**
 * A lane's agents in agent-id order, each flagged ready or not, with a Fenwick tree over the flags:
 * "the first ready agent after id X, wrapping around" costs O(log n). Serves round_robin and
 * ring_all. The member list only changes on skill or queue changes, so it is rebuilt lazily then.
 */
import type { Membership } from './model.js';

export class AgentRing {
  private sorted: Membership[] = [];
  private tree = new Int32Array(1);
  private flags = new Uint8Array(0);
  private count = 0;
  private stale = true;

  constructor(private readonly members: ReadonlySet<Membership>) {}

  /** Number of ready agents. */
  get readyCount(): number {
    if (this.stale) this.rebuild();
    return this.count;
  }

  /** The member set changed; rebuild before the next use. */
  invalidate(): void {
    this.stale = true;
  }

  /** Marks a member ready. */
  ready(m: Membership): void {
    if (this.stale) this.rebuild();
    else this.flip(m, 1);
  }

  /** Marks a member not ready. */
  unready(m: Membership): void {
    if (this.stale) this.rebuild();
    else this.flip(m, 0);
  }

  /** First ready member whose agent id is greater than `afterId`, wrapping to the lowest id. */
  next(afterId: string | null): Membership | undefined {
    if (this.stale) this.rebuild();
    if (this.count === 0) return undefined;
    let k = 1;
    if (afterId !== null) {
      const before = this.prefix(this.upperBound(afterId));
      if (before < this.count) k = before + 1;
    }
    return this.sorted[this.kth(k)];
  }

  /** Every ready member, in agent-id order. */
  allReady(): Membership[] {
    if (this.stale) this.rebuild();
    const out: Membership[] = [];
    for (let k = 1; k <= this.count; k++) {
      const m = this.sorted[this.kth(k)];
      if (m) out.push(m);
    }
    return out;
  }

  private flip(m: Membership, on: 0 | 1): void {
    const r = m.rank;
    if (r < 0 || this.sorted[r] !== m || this.flags[r] === on) return;
    this.flags[r] = on;
    const delta = on === 1 ? 1 : -1;
    this.count += delta;
    for (let i = r + 1; i < this.tree.length; i += i & -i) this.tree[i] = (this.tree[i] ?? 0) + delta;
  }

  private rebuild(): void {
    this.stale = false;
    this.sorted = [...this.members].sort((a, b) =>
      a.agent.id < b.agent.id ? -1 : a.agent.id > b.agent.id ? 1 : 0,
    );
    const n = this.sorted.length;
    this.tree = new Int32Array(n + 1);
    this.flags = new Uint8Array(n);
    this.count = 0;
    for (let r = 0; r < n; r++) {
      const m = this.sorted[r] as Membership;
      m.rank = r;
      if (m.ready) {
        this.flags[r] = 1;
        this.count++;
        this.tree[r + 1] = 1;
      }
    }
    // Linear-time Fenwick construction.
    for (let i = 1; i <= n; i++) {
      const j = i + (i & -i);
      if (j <= n) this.tree[j] = (this.tree[j] ?? 0) + (this.tree[i] ?? 0);
    }
  }

  /** Ready members among ranks [0, end). */
  private prefix(end: number): number {
    let s = 0;
    for (let i = end; i > 0; i -= i & -i) s += this.tree[i] ?? 0;
    return s;
  }

  /** Rank of the k-th ready member (1-based k ≤ count). */
  private kth(k: number): number {
    const n = this.tree.length - 1;
    let pos = 0;
    let rest = k;
    let step = 1;
    while (step * 2 <= n) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      const v = this.tree[next] ?? 0;
      if (next <= n && v < rest) {
        pos = next;
        rest -= v;
      }
    }
    return pos;
  }

  /** Number of members whose agent id is ≤ id. */
  private upperBound(id: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sorted[mid] as Membership).agent.id <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
