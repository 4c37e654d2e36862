import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit } from './group-commit.js';

/** A store at the edge: all-or-none batches, a unique key, and a gate to hold a write open. */
class FakeStore {
  readonly stored: string[] = [];
  readonly batches: string[][] = [];
  private release: (() => void) | undefined;
  private held: Promise<void> | undefined;

  /** The next write waits until `open()`. */
  hold(): void {
    this.held = new Promise((r) => (this.release = r));
  }
  open(): void {
    this.release?.();
    this.held = undefined;
  }

  async writeAll(items: readonly string[]): Promise<number[]> {
    this.batches.push([...items]);
    const wait = this.held;
    if (wait) await wait;
    const seen = new Set(this.stored);
    for (const item of items) {
      if (item.startsWith('bad') || seen.has(item)) throw new Error(`refused ${item}`);
      seen.add(item);
    }
    this.stored.push(...items);
    return items.map((i) => i.length);
  }
}

const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (err: Error) => ({ ok: false as const, error: err.message }),
  );

test('a lone item is written at once, alone', async () => {
  const store = new FakeStore();
  const group = new GroupCommit<string, number>((items) => store.writeAll(items));
  assert.equal(await group.submit('one'), 3);
  assert.deepEqual(store.batches, [['one']]);
});

test('items arriving during a write are written together by the next one, in order', async () => {
  const store = new FakeStore();
  const group = new GroupCommit<string, number>((items) => store.writeAll(items));
  store.hold();
  const first = group.submit('a');
  const rest = ['bb', 'ccc', 'dddd'].map((i) => group.submit(i));
  store.open();
  assert.equal(await first, 1);
  assert.deepEqual(await Promise.all(rest), [2, 3, 4]);
  assert.deepEqual(store.batches, [['a'], ['bb', 'ccc', 'dddd']]);
  assert.deepEqual(store.stored, ['a', 'bb', 'ccc', 'dddd']);
});

test('no caller is answered before the batch holding its item is written', async () => {
  const store = new FakeStore();
  const group = new GroupCommit<string, number>((items) => store.writeAll(items));
  store.hold();
  let answered = false;
  const p = group.submit('x').then(() => (answered = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(answered, false);
  assert.deepEqual(store.stored, []);
  store.open();
  await p;
  assert.deepEqual(store.stored, ['x']);
});

test('a bad item fails alone with its own error; the others in its batch are stored', async () => {
  const store = new FakeStore();
  const group = new GroupCommit<string, number>((items) => store.writeAll(items));
  store.hold();
  const first = group.submit('w');
  const items = ['a', 'b', 'bad-c', 'd', 'e', 'a'];
  const results = items.map((i) => settle(group.submit(i)));
  store.open();
  await first;
  assert.deepEqual(await Promise.all(results), [
    { ok: true, value: 1 },
    { ok: true, value: 1 },
    { ok: false, error: 'refused bad-c' },
    { ok: true, value: 1 },
    { ok: true, value: 1 },
    // The same key twice in one batch: the second one is the duplicate.
    { ok: false, error: 'refused a' },
  ]);
  assert.deepEqual(store.stored.sort(), ['a', 'b', 'd', 'e', 'w']);
});

test('batches hold at most maxBatch items', async () => {
  const store = new FakeStore();
  const group = new GroupCommit<string, number>((items) => store.writeAll(items), 2);
  store.hold();
  const all = ['p', 'q', 'r', 's', 't'].map((i) => group.submit(i));
  store.open();
  await Promise.all(all);
  assert.deepEqual(store.batches, [['p'], ['q', 'r'], ['s', 't']]);
});
