/**
 * The flow as a graph: which nodes each node can lead to, what is unreachable, and loops that no
 * caller input can break (a loop of play/set/condition/… nodes would go round forever).
 */
import type { Flow, FlowNode, NodeId } from './flow.js';

/** The nodes a node can continue at (its own branches; the flow's errorNode is not counted). */
export function successors(node: FlowNode): NodeId[] {
  const out: (NodeId | undefined)[] = [];
  switch (node.kind) {
    case 'menu':
      out.push(...node.options.map((o) => o.next), node.onFailure);
      break;
    case 'condition':
      out.push(...node.branches.map((b) => b.next), node.else, node.onError);
      break;
    case 'collect':
      out.push(node.next, node.onFailure);
      break;
    case 'queue':
      out.push(node.onQueueFailure);
      break;
    case 'transfer':
      out.push(node.onError);
      break;
    case 'hangup':
      break;
    case 'play':
    case 'voicemail':
      out.push(node.next);
      break;
    case 'say':
    case 'lookup':
    case 'set':
      out.push(node.next, node.onError);
      break;
  }
  return [...new Set(out.filter((x): x is NodeId => x !== undefined))];
}

/** Nodes not reachable from `start` or `errorNode`, in document order. */
export function unreachableNodes(flow: Flow): NodeId[] {
  const seen = new Set<NodeId>();
  const todo = [flow.start, ...(flow.errorNode ? [flow.errorNode] : [])];
  while (todo.length > 0) {
    const id = todo.pop() as NodeId;
    const node = Object.hasOwn(flow.nodes, id) ? flow.nodes[id] : undefined;
    if (seen.has(id) || !node) continue;
    seen.add(id);
    todo.push(...successors(node));
  }
  return Object.keys(flow.nodes).filter((id) => !seen.has(id));
}

/** Menu and collect wait for the caller: a loop through one of them moves only when the caller acts. */
function waitsForCaller(node: FlowNode): boolean {
  return node.kind === 'menu' || node.kind === 'collect';
}

/**
 * Loops without a menu or collect, each as its node ids in document order (strongly connected
 * components of the graph without input nodes, Tarjan's algorithm, iterative).
 */
export function loopsWithoutInput(flow: Flow): NodeId[][] {
  const ids = Object.keys(flow.nodes).filter((id) => !waitsForCaller(flow.nodes[id] as FlowNode));
  const order = new Map(ids.map((id, i) => [id, i]));
  const edges = (id: NodeId) => successors(flow.nodes[id] as FlowNode).filter((t) => order.has(t));
  const index = new Map<NodeId, number>();
  const low = new Map<NodeId, number>();
  const stack: NodeId[] = [];
  const onStack = new Set<NodeId>();
  const loops: NodeId[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: NodeId; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { id: NodeId; next: number };
      const targets = edges(frame.id);
      if (frame.next < targets.length) {
        const t = targets[frame.next++] as NodeId;
        if (!index.has(t)) {
          index.set(t, counter);
          low.set(t, counter++);
          stack.push(t);
          onStack.add(t);
          work.push({ id: t, next: 0 });
        } else if (onStack.has(t)) {
          low.set(frame.id, Math.min(low.get(frame.id) ?? 0, index.get(t) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(frame.id) ?? 0));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component: NodeId[] = [];
      let member: NodeId | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.id);
      const selfLoop = component.length === 1 && edges(frame.id).includes(frame.id);
      if (component.length > 1 || selfLoop) {
        loops.push(component.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
      }
    }
  }
  return loops.sort((a, b) => (order.get(a[0] ?? '') ?? 0) - (order.get(b[0] ?? '') ?? 0));
}
