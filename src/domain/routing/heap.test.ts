import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KeyedHeap } from './heap.js';

interface Item {
  a: number;
  b: number;
  id: number;
  i: number;
}

const order = (x: Item, y: Item) => x.a < y.a || (x.a === y.a && (x.b < y.b || (x.b === y.b && x.id < y.id)));
const slot = {
  get: (x: Item) => x.i,
  set: (x: Item, i: number) => {
    x.i = i;
  },
};

describe('KeyedHeap', () => {
  test('matches a sorted list under random push, pop, remove and re-key (ties broken by the items)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              op: fc.constant('push' as const),
              a: fc.integer({ min: 0, max: 5 }),
              b: fc.integer({ min: 0, max: 3 }),
            }),
            fc.record({ op: fc.constant('pop' as const) }),
            fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
            fc.record({
              op: fc.constant('rekey' as const),
              pick: fc.nat(),
              a: fc.integer({ min: 0, max: 5 }),
              b: fc.integer({ min: 0, max: 3 }),
            }),
          ),
          { maxLength: 300 },
        ),
        (ops) => {
          const heap = new KeyedHeap<Item>((x, y) => x.id < y.id, slot);
          let model: Item[] = [];
          let next = 0;
          const sorted = () => [...model].sort((x, y) => (order(x, y) ? -1 : 1));
          for (const o of ops) {
            if (o.op === 'push') {
              const item = { a: o.a, b: o.b, id: next++, i: -1 };
              heap.push(item, item.a, item.b);
              model.push(item);
            } else if (o.op === 'pop') {
              assert.equal(heap.pop(), sorted()[0]);
              model = sorted().slice(1);
            } else if (model.length > 0) {
              const item = model[o.pick % model.length]!;
              if (o.op === 'remove') {
                assert.equal(heap.remove(item), true);
                assert.equal(heap.has(item), false);
                model = model.filter((x) => x !== item);
              } else {
                item.a = o.a;
                item.b = o.b;
                heap.update(item, item.a, item.b);
              }
            }
            assert.equal(heap.size, model.length);
            assert.equal(heap.peek(), sorted()[0]);
            for (const x of model) assert.equal(heap.values()[x.i], x);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
