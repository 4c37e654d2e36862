/** Where an item keeps its position inside one heap, so it can be removed or re-keyed in O(log n). */
export interface HeapSlot<T> {
  get(item: T): number;
  set(item: T, index: number): void;
}

/**
 * Binary heap of items that know their own index (an "indexed" heap): no lazy deletion, so sizes are
 * exact and nothing stale accumulates. `before(a, b)` is true when `a` must come out first.
 */
export class IndexedHeap<T> {
  private readonly items: T[] = [];

  constructor(
    private readonly before: (a: T, b: T) => boolean,
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

  /** Whether this heap holds `item`. */
  has(item: T): boolean {
    const i = this.slot.get(item);
    return i >= 0 && i < this.items.length && this.items[i] === item;
  }

  /** Adds an item that is not in this heap yet. */
  push(item: T): void {
    this.items.push(item);
    this.up(this.items.length - 1);
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

  /** Restores order after `item`'s key changed. */
  update(item: T): void {
    if (!this.has(item)) return;
    const i = this.slot.get(item);
    this.down(this.up(i));
  }

  /** The items in heap (not sorted) order. */
  values(): readonly T[] {
    return this.items;
  }

  /** Removes every item. */
  clear(): void {
    for (const item of this.items) this.slot.set(item, -1);
    this.items.length = 0;
  }

  private removeAt(i: number): void {
    const items = this.items;
    const gone = items[i] as T;
    const last = items.pop() as T;
    this.slot.set(gone, -1);
    if (i < items.length) {
      items[i] = last;
      this.slot.set(last, i);
      this.down(this.up(i));
    }
  }

  private up(start: number): number {
    const items = this.items;
    const item = items[start] as T;
    let i = start;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p] as T;
      if (!this.before(item, parent)) break;
      items[i] = parent;
      this.slot.set(parent, i);
      i = p;
    }
    items[i] = item;
    this.slot.set(item, i);
    return i;
  }

  private down(start: number): number {
    const items = this.items;
    const n = items.length;
    const item = items[start] as T;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.before(items[r] as T, items[l] as T)) c = r;
      const child = items[c] as T;
      if (!this.before(child, item)) break;
      items[i] = child;
      this.slot.set(child, i);
      i = c;
    }
    items[i] = item;
    this.slot.set(item, i);
    return i;
  }
}
