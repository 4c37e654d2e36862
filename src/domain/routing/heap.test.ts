import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IndexedHeap } from './heap.js';

interface Item {
  key: number;
  id: number;
  i: number;
}

const before = (a: Item, b: Item) => a.key < b.key || (a.key === b.key && a.id < b.id);
const slot = {
  get: (x: Item) => x.i,
  set: (x: Item, i: number) => {
    x.i = i;
  },
};

describe('IndexedHeap', () => {
  test('matches a sorted list under random push, pop, remove and re-key', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('push' as const), key: fc.integer({ min: 0, max: 20 }) }),
            fc.record({ op: fc.constant('pop' as const) }),
            fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
            fc.record({
              op: fc.constant('rekey' as const),
              pick: fc.nat(),
              key: fc.integer({ min: 0, max: 20 }),
            }),
          ),
          { maxLength: 200 },
        ),
        (ops) => {
          const heap = new IndexedHeap<Item>(before, slot);
          let model: Item[] = [];
          let next = 0;
          const sorted = () => [...model].sort((a, b) => (before(a, b) ? -1 : 1));
          for (const o of ops) {
            if (o.op === 'push') {
              const item = { key: o.key, id: next++, i: -1 };
              heap.push(item);
              model.push(item);
            } else if (o.op === 'pop') {
              assert.equal(heap.pop(), sorted()[0]);
              model = sorted().slice(1);
            } else if (model.length > 0) {
              const item = model[o.pick % model.length]!;
              if (o.op === 'remove') {
                assert.equal(heap.remove(item), true);
                assert.equal(heap.remove(item), false);
                model = model.filter((x) => x !== item);
              } else {
                item.key = o.key;
                heap.update(item);
              }
            }
            assert.equal(heap.size, model.length);
            assert.equal(heap.peek(), sorted()[0]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
