/**
 * Indexed binary min-heap ordered by up to three numeric keys (compared in turn), then a tie-break
 * on the items. The keys live in typed arrays beside the items, so sifting compares numbers in
 * contiguous memory instead of chasing pointers into scattered records: at 10,000 agents and
 * 100,000 waiting interactions that is most of the cost of a heap operation.
 */
import type { HeapSlot } from './heap.js';

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

  /** A key of the first item (0, 1 or 2), without touching the item itself. */
  topKey(k: 0 | 1 | 2): number {
    return ((k === 0 ? this.k1 : k === 1 ? this.k2 : this.k3)[0] as number | undefined) ?? NaN;
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
    this.k1[n] = a;
    this.k2[n] = b;
    this.k3[n] = c;
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

  /** Position i comes before position j. */
  private before(i: number, j: number): boolean {
    const k1 = this.k1;
    if (k1[i] !== k1[j]) return (k1[i] as number) < (k1[j] as number);
    const k2 = this.k2;
    if (k2[i] !== k2[j]) return (k2[i] as number) < (k2[j] as number);
    const k3 = this.k3;
    if (k3[i] !== k3[j]) return (k3[i] as number) < (k3[j] as number);
    return this.tie(this.items[i] as T, this.items[j] as T);
  }

  private swap(i: number, j: number): void {
    const items = this.items;
    const a = items[i] as T;
    const b = items[j] as T;
    items[i] = b;
    items[j] = a;
    this.slot.set(b, i);
    this.slot.set(a, j);
    const { k1, k2, k3 } = this;
    let t = k1[i] as number;
    k1[i] = k1[j] as number;
    k1[j] = t;
    t = k2[i] as number;
    k2[i] = k2[j] as number;
    k2[j] = t;
    t = k3[i] as number;
    k3[i] = k3[j] as number;
    k3[j] = t;
  }

  private removeAt(i: number): void {
    const items = this.items;
    const last = items.length - 1;
    const gone = items[i] as T;
    if (i !== last) this.swap(i, last);
    items.pop();
    this.slot.set(gone, -1);
    if (i < last) this.down(this.up(i));
  }

  private up(start: number): number {
    let i = start;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
    this.slot.set(this.items[i] as T, i);
    return i;
  }

  private down(start: number): number {
    const n = this.items.length;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.before(r, l) ? r : l;
      if (!this.before(c, i)) break;
      this.swap(c, i);
      i = c;
    }
    if (i < n) this.slot.set(this.items[i] as T, i);
    return i;
  }
}
