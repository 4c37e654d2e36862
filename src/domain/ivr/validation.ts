/**
 * `validateFlow`: the checks a flow document must pass before it is stored or run. Every problem
 * carries a JSON-pointer path (`/nodes/main_menu/options/1/next`). Unreachable nodes are warnings
 * (drafts are allowed to keep them); everything else is a problem that rejects the flow.
 */
import { DomainError } from '../errors.js';
import { FieldReader, describe, isRecord, pointer, type Problem } from './field-reader.js';
import { loopsWithoutInput, unreachableNodes } from './flow-graph.js';
import type { Flow } from './flow.js';
import { checkNode } from './node-rules.js';
import { NODE_ID, nodeRef, prompt, type NodeRef } from './value-rules.js';

export type { Problem } from './field-reader.js';

/** The outcome of validateFlow; `warnings` never make a flow invalid. */
export type FlowValidation =
  { ok: true; flow: Flow; warnings: Problem[] } | { ok: false; problems: Problem[]; warnings: Problem[] };

const MAX_NODES = 500;

function topLevel(r: FieldReader, refs: NodeRef[]): void {
  r.only(['version', 'name', 'description', 'start', 'nodes', 'errorNode', 'blacklist', 'vipPriorityBoost']);
  if (!r.has('version')) r.problem('version', 'required');
  else if (r.obj.version !== 1) r.problem('version', 'must be 1');
  r.string('name', { required: true, max: 100 });
  r.string('description', { max: 2000 });
  nodeRef(r, 'start', refs);
  nodeRef(r, 'errorNode', refs, false);
  r.integer('vipPriorityBoost', 0, 100);
  const blacklist = r.object('blacklist');
  if (blacklist) {
    blacklist.only(['action', 'prompt']);
    const action = blacklist.oneOf('action', ['hangup', 'play_then_hangup', 'continue'], true);
    prompt(blacklist, 'prompt', action === 'play_then_hangup');
  }
}

function nodes(r: FieldReader, refs: NodeRef[]): void {
  const all = r.object('nodes', true);
  if (!all) return;
  const ids = Object.keys(all.obj);
  if (ids.length === 0 || ids.length > MAX_NODES) all.problem(null, `must have 1 to ${MAX_NODES} nodes`);
  for (const id of ids) {
    if (!NODE_ID.test(id)) all.problem(id, 'node ids are 1 to 64 letters, digits, _ or -');
    const node = all.obj[id];
    if (!isRecord(node)) {
      all.problem(id, `must be a node object, not ${describe(node)}`);
      continue;
    }
    checkNode(new FieldReader(node, all.at(id), r.problems), refs);
  }
}

/**
 * Checks a flow document (parsed JSON of unknown shape).
 * @example
 * const v = validateFlow(JSON.parse(text));
 * if (!v.ok) v.problems // [{ path: '/nodes/main_menu/options/1/next', message: 'no node "billing"' }]
 */
export function validateFlow(doc: unknown): FlowValidation {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  if (!isRecord(doc))
    return {
      ok: false,
      problems: [{ path: '', message: `must be an object, not ${describe(doc)}` }],
      warnings,
    };
  const refs: NodeRef[] = [];
  const r = new FieldReader(doc, '', problems);
  topLevel(r, refs);
  nodes(r, refs);
  const nodeMap = isRecord(doc.nodes) ? doc.nodes : {};
  for (const ref of refs) {
    if (!Object.hasOwn(nodeMap, ref.target))
      problems.push({ path: ref.path, message: `no node "${ref.target}"` });
  }
  if (problems.length > 0) return { ok: false, problems, warnings };
  // The graph checks need a well-formed document, so they run last.
  let flow: Flow;
  try {
    flow = structuredClone(doc) as unknown as Flow;
  } catch {
    // A document built in code (not parsed JSON) may hold values that cannot be stored.
    return { ok: false, problems: [{ path: '', message: 'must be plain JSON data' }], warnings };
  }
  for (const loop of loopsWithoutInput(flow)) {
    problems.push({
      path: pointer('/nodes', loop[0] ?? ''),
      message: `nodes ${loop.join(', ')} form a loop without a menu or collect: a caller would go round forever`,
    });
  }
  for (const id of unreachableNodes(flow)) {
    warnings.push({ path: pointer('/nodes', id), message: 'not reachable from start or errorNode' });
  }
  return problems.length > 0 ? { ok: false, problems, warnings } : { ok: true, flow, warnings };
}

/**
 * validateFlow that throws DomainError('VALIDATION_FAILED') with `details: { path, problems }`.
 * @example const flow = assertFlow(body); // throws on the first problem's path
 */
export function assertFlow(doc: unknown): Flow {
  const v = validateFlow(doc);
  if (v.ok) return v.flow;
  const first = v.problems[0] as Problem;
  const more = v.problems.length > 1 ? ` (and ${v.problems.length - 1} more)` : '';
  throw new DomainError(
    'VALIDATION_FAILED',
    `Invalid IVR flow: ${first.path || '/'} ${first.message}${more}`,
    {
      path: first.path,
      problems: v.problems,
    },
  );
}
