/**
 * Indexed 4-ary min-heap ordered by up to three numeric keys (compared in turn), then a tie-break
 * on the items. Items know their position (see HeapSlot), so any item can be removed or re-keyed
 * in O(log n) and nothing stale piles up. The keys live in typed arrays beside the items, so
 * sifting compares numbers in contiguous memory instead of chasing pointers into scattered
 * records (at 10,000 agents and 100,000 waiting interactions that is most of a heap operation's
 * cost), and four children per node halve the depth, so fewer entries move.
 */
/** Where an item keeps its position inside one heap, so it can be removed or re-keyed in O(log n). */
export interface HeapSlot<T> {
  get(item: T): number;
  set(item: T, index: number): void;
}

export class KeyedHeap<T> {
  private items: T[] = [];
  private k1 = new Float64Array(8);
  private k2 = new Float64Array(8);
  private k3 = new Float64Array(8);

  constructor(
    /** Decides between items with equal keys; true when `a` comes first. */
    private readonly tie: (a: T, b: T) => boolean,
    private readonly slot: HeapSlot<T>,
  ) {}

  /** Number of items. */
  get size(): number {
    return this.items.length;
  }

  /** The first item, without removing it. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** First key of the first item (NaN when empty), without touching the item itself. */
  peekKey1(): number {
    return this.items.length > 0 ? (this.k1[0] as number) : NaN;
  }

  /** Second key of the first item. */
  peekKey2(): number {
    return this.items.length > 0 ? (this.k2[0] as number) : NaN;
  }

  /** Third key of the first item. */
  peekKey3(): number {
    return this.items.length > 0 ? (this.k3[0] as number) : NaN;
  }

  /** Removes every item. */
  clear(): void {
    for (const item of this.items) this.slot.set(item, -1);
    this.items.length = 0;
  }

  /** Whether this heap holds `item`. */
  has(item: T): boolean {
    const i = this.slot.get(item);
    return i >= 0 && i < this.items.length && this.items[i] === item;
  }

  /** Adds an item that is not in this heap yet, with its keys. */
  push(item: T, a: number, b = 0, c = 0): void {
    const n = this.items.length;
    if (n === this.k1.length) this.grow();
    this.items.push(item);
    this.place(n, item, a, b, c);
    this.up(n);
  }

  /** Removes and returns the first item. */
  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /** Removes `item` if present; returns whether it was. */
  remove(item: T): boolean {
    if (!this.has(item)) return false;
    this.removeAt(this.slot.get(item));
    return true;
  }

  /** Gives `item` new keys and restores order. */
  update(item: T, a: number, b = 0, c = 0): void {
    if (!this.has(item)) return;
    const i = this.slot.get(item);
    this.k1[i] = a;
    this.k2[i] = b;
    this.k3[i] = c;
    this.down(this.up(i));
  }

  /** The items in heap (not sorted) order. */
  values(): readonly T[] {
    return this.items;
  }

  private grow(): void {
    const size = this.k1.length * 2;
    for (const name of ['k1', 'k2', 'k3'] as const) {
      const next = new Float64Array(size);
      next.set(this[name]);
      this[name] = next;
    }
  }

  /** Keys (a, b, c) of an item `x` come before those at position j. */
  private precedes(a: number, b: number, c: number, x: T, j: number): boolean {
    const a2 = this.k1[j] as number;
    if (a !== a2) return a < a2;
    const b2 = this.k2[j] as number;
    if (b !== b2) return b < b2;
    const c2 = this.k3[j] as number;
    if (c !== c2) return c < c2;
    return this.tie(x, this.items[j] as T);
  }

  /** Position i comes before position j. */
  private before(i: number, j: number): boolean {
    return this.precedes(
      this.k1[i] as number,
      this.k2[i] as number,
      this.k3[i] as number,
      this.items[i] as T,
      j,
    );
  }

  /** Moves the entry at `from` into slot `to` (the hole). */
  private move(from: number, to: number): void {
    const item = this.items[from] as T;
    this.items[to] = item;
    this.k1[to] = this.k1[from] as number;
    this.k2[to] = this.k2[from] as number;
    this.k3[to] = this.k3[from] as number;
    this.slot.set(item, to);
  }

  private place(i: number, item: T, a: number, b: number, c: number): void {
    this.items[i] = item;
    this.k1[i] = a;
    this.k2[i] = b;
    this.k3[i] = c;
    this.slot.set(item, i);
  }

  private removeAt(i: number): void {
    const items = this.items;
    const last = items.length - 1;
    const gone = items[i] as T;
    this.slot.set(gone, -1);
    if (i === last) {
      items.pop();
      return;
    }
    const item = items[last] as T;
    const a = this.k1[last] as number;
    const b = this.k2[last] as number;
    const c = this.k3[last] as number;
    items.pop();
    this.place(i, item, a, b, c);
    this.down(this.up(i));
  }

  /** Sifts the entry at `start` towards the root; returns where it ends. */
  private up(start: number): number {
    if (start === 0) return 0;
    const item = this.items[start] as T;
    const a = this.k1[start] as number;
    const b = this.k2[start] as number;
    const c = this.k3[start] as number;
    let i = start;
    while (i > 0) {
      const p = (i - 1) >> 2;
      if (!this.precedes(a, b, c, item, p)) break;
      this.move(p, i);
      i = p;
    }
    if (i !== start) this.place(i, item, a, b, c);
    return i;
  }

  /** Sifts the entry at `start` away from the root; returns where it ends. */
  private down(start: number): number {
    const n = this.items.length;
    if (start >= n) return start;
    const item = this.items[start] as T;
    const a = this.k1[start] as number;
    const b = this.k2[start] as number;
    const c = this.k3[start] as number;
    let i = start;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let child = first;
      const end = Math.min(first + 4, n);
      for (let j = first + 1; j < end; j++) if (this.before(j, child)) child = j;
      if (this.precedes(a, b, c, item, child)) break;
      this.move(child, i);
      i = child;
    }
    if (i !== start) this.place(i, item, a, b, c);
    return i;
  }
}
