/** The admin console's flow graph: edges with their digits, layers, and problems placed at their nodes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { layoutFlow, problemNode } from '../web/src/admin/ivr/graph.js';

test('a real example flow is drawn with every node, labelled edges and no missing targets', () => {
  const doc = JSON.parse(readFileSync('docs/ivr-examples/utility-main-menu.json', 'utf8')) as {
    start: string;
    nodes: Record<string, unknown>;
  };
  const g = layoutFlow(doc);
  assert.deepEqual(g.nodes.map((n) => n.id).sort(), Object.keys(doc.nodes).sort());
  assert.ok(g.edges.every((e) => !e.missing));
  const start = g.nodes.find((n) => n.id === doc.start);
  assert.ok(start && g.nodes.every((n) => n.y >= start.y), 'the start node is on top');
  // No two boxes overlap.
  for (const a of g.nodes)
    for (const b of g.nodes)
      if (a !== b) assert.ok(a.x !== b.x || a.y !== b.y, `${a.id} and ${b.id} overlap`);
});

test('menu digits label their edges; a missing target and an unreachable node are flagged', () => {
  const g = layoutFlow(
    {
      start: 'menu',
      nodes: {
        menu: {
          kind: 'menu',
          prompt: 'menu',
          options: [
            { digit: '1', next: 'q' },
            { digit: '2', next: 'nowhere' },
          ],
          onFailure: 'q',
        },
        q: { kind: 'queue', queueId: 'abc' },
        orphan: { kind: 'hangup' },
        broken: 'not an object',
      },
    },
    new Map([['abc', 'Billing']]),
  );
  const toQ = g.edges.find((e) => e.from === 'menu' && e.to === 'q');
  assert.equal(toQ?.label, '1 / failure');
  assert.equal(g.edges.find((e) => e.to === 'nowhere')?.missing, true);
  assert.equal(g.nodes.find((n) => n.id === 'orphan')?.reachable, false);
  assert.equal(g.nodes.find((n) => n.id === 'q')?.detail, 'Billing', 'queues are shown by name');
});

test('problem paths name their node, JSON-pointer escapes undone', () => {
  assert.deepEqual(problemNode('/document/nodes/menu/options/0/next'), {
    node: 'menu',
    field: 'options/0/next',
  });
  assert.deepEqual(problemNode('/document/nodes/a~1b'), { node: 'a/b', field: '' });
  assert.deepEqual(problemNode('/document/start'), { node: null, field: 'start' });
});
