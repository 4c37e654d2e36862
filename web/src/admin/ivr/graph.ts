/**
 * The flow document as a drawable graph: nodes, labelled edges and a layered layout. The document
 * may be invalid while an admin edits it, so everything here reads it defensively; which targets a
 * valid node has comes from the server's own `successors` (src/domain/ivr/flow-graph.ts).
 */
import { successors } from '../../../../src/domain/ivr/flow-graph.js';
import type { FlowNode } from '../../../../src/domain/ivr/flow.js';

export interface GraphNode {
  id: string;
  kind: string;
  /** A short description: the prompt, the queue, … */
  detail: string;
  x: number;
  y: number;
  reachable: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string;
  /** The target does not exist (drawn to nowhere, the validator reports it). */
  missing: boolean;
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

export const NODE_W = 150;
export const NODE_H = 46;
const GAP_X = 90;
const GAP_Y = 70;
const PAD = 20;

type Doc = Record<string, unknown>;
const rec = (x: unknown): Doc => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Doc) : {});
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

/** The edges of one node with what takes them: a digit, a branch, an error. */
function labelledEdges(node: Doc): { to: string; label: string }[] {
  const out: { to: string; label: string }[] = [];
  const add = (to: unknown, label: string) => {
    if (typeof to === 'string') out.push({ to, label });
  };
  if (Array.isArray(node.options)) {
    for (const o of node.options) add(rec(o).next, str(rec(o).digit) ?? '?');
  }
  if (Array.isArray(node.branches)) {
    node.branches.forEach((b, i) => add(rec(b).next, `if ${i + 1}`));
  }
  add(node.next, node.kind === 'collect' ? 'entered' : '');
  add(node.else, 'else');
  add(node.onFailure, 'failure');
  add(node.onError, 'error');
  add(node.onQueueFailure, 'queue failed');
  return out;
}

function detailOf(node: Doc, queueNames: ReadonlyMap<string, string>): string {
  const prompt = (p: unknown): string =>
    typeof p === 'string'
      ? p
      : Array.isArray(p)
        ? p.map((x) => (typeof x === 'string' ? x : 'say')).join(', ')
        : '';
  switch (node.kind) {
    case 'play':
      return prompt(node.prompts);
    case 'menu':
    case 'collect':
      return prompt(node.prompt);
    case 'queue': {
      const id = str(node.queueId) ?? '';
      return queueNames.get(id) ?? id;
    }
    case 'transfer':
      return str(node.to) ?? '';
    case 'set':
    case 'lookup':
      return str(node.source) ?? '';
    default:
      return str(node.description) ?? '';
  }
}

/** Nodes, edges and positions: layers by distance from `start`, unreachable nodes in a last layer. */
export function layoutFlow(
  document: unknown,
  queueNames: ReadonlyMap<string, string> = new Map(),
): FlowGraph {
  const doc = rec(document);
  const nodes = rec(doc.nodes);
  const ids = Object.keys(nodes);
  const edges: GraphEdge[] = [];
  for (const id of ids) {
    const node = rec(nodes[id]);
    const labelled = labelledEdges(node);
    let targets: string[];
    try {
      targets = successors(node as unknown as FlowNode);
    } catch {
      targets = [];
    }
    // Every target the server counts is drawn, with a label where we know one.
    for (const to of new Set([...labelled.map((e) => e.to), ...targets])) {
      const label = labelled
        .filter((e) => e.to === to)
        .map((e) => e.label)
        .filter(Boolean)
        .join(' / ');
      edges.push({ from: id, to, label, missing: !Object.hasOwn(nodes, to) });
    }
  }
  const depth = new Map<string, number>();
  const roots = [str(doc.start), str(doc.errorNode)].filter(
    (x): x is string => !!x && Object.hasOwn(nodes, x),
  );
  const queue = roots.map((r, i) => ({ id: r, d: i === 0 ? 0 : 1 }));
  while (queue.length > 0) {
    const { id, d } = queue.shift() as { id: string; d: number };
    if (depth.has(id)) continue;
    depth.set(id, d);
    for (const e of edges)
      if (e.from === id && !e.missing && !depth.has(e.to)) queue.push({ id: e.to, d: d + 1 });
  }
  const maxDepth = Math.max(-1, ...depth.values());
  const layers: string[][] = [];
  for (const id of ids) {
    const d = depth.get(id) ?? maxDepth + 1;
    (layers[d] ??= []).push(id);
  }
  const widest = Math.max(1, ...layers.map((l) => l?.length ?? 0));
  // Room on the right for edges that go back up around the nodes.
  const width = PAD * 2 + widest * NODE_W + (widest - 1) * GAP_X + 70;
  const placed: GraphNode[] = [];
  layers.forEach((layer, d) => {
    const rowWidth = layer.length * NODE_W + (layer.length - 1) * GAP_X + 70;
    layer.forEach((id, i) => {
      const node = rec(nodes[id]);
      placed.push({
        id,
        kind: str(node.kind) ?? '?',
        detail: detailOf(node, queueNames),
        x: (width - rowWidth) / 2 + i * (NODE_W + GAP_X),
        y: PAD + d * (NODE_H + GAP_Y),
        reachable: depth.has(id),
      });
    });
  });
  return { nodes: placed, edges, width, height: PAD * 2 + layers.length * (NODE_H + GAP_Y) - GAP_Y };
}

/** A validation problem as the server reports it. */
export interface Problem {
  path: string;
  message: string;
}

/**
 * The node a problem is at: its JSON path (`/document/nodes/<id>/…`, JSON-pointer escaped) names
 * it; null for problems of the document itself (name, start, …).
 */
export function problemNode(path: string): { node: string | null; field: string } {
  const parts = path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] === 'document') parts.shift();
  if (parts[0] === 'nodes' && parts.length >= 2) {
    return { node: parts[1] as string, field: parts.slice(2).join('/') };
  }
  return { node: null, field: parts.join('/') };
}
