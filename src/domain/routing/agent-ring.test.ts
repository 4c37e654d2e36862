import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AgentRing } from './agent-ring.js';
import type { Membership } from './model.js';

function member(id: string): Membership {
  return {
    agent: { id },
    ready: false,
    rank: -1,
    pickIndex: -1,
    agentIndex: -1,
    skillSum: 0,
  } as unknown as Membership;
}

describe('AgentRing', () => {
  test('next(after) is the first ready id greater than after, wrapping; allReady in id order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.integer({ min: -1, max: 100 })), { maxLength: 100 }),
        (nums, steps) => {
          const members = new Set(nums.map((n) => member(`a${String(n).padStart(2, '0')}`)));
          const ring = new AgentRing(members);
          const list = [...members];
          for (const [pick, on, after] of steps) {
            const m = list[pick % list.length]!;
            m.ready = on;
            if (on) ring.ready(m);
            else ring.unready(m);
            const ready = list
              .filter((x) => x.ready)
              .map((x) => x.agent.id)
              .sort();
            const afterId = after < 0 ? null : `a${String(after).padStart(2, '0')}`;
            const expected = ready.find((id) => afterId === null || id > afterId) ?? ready[0];
            assert.equal(ring.next(afterId)?.agent.id, expected);
            assert.deepEqual(
              ring.allReady().map((x) => x.agent.id),
              ready,
            );
            assert.equal(ring.readyCount, ready.length);
          }
          // Membership changes rebuild from the `ready` flags.
          const extra = member('a50x');
          extra.ready = true;
          members.add(extra);
          ring.invalidate();
          assert.ok(ring.allReady().includes(extra));
        },
      ),
      { numRuns: 200 },
    );
  });
});
