/**
 * Entering a node: what each kind does when the flow reaches it. Instant nodes (set, condition)
 * return the next node; the others emit commands and wait for an event.
 */
import { holds } from './conditions.js';
import { isDialable } from './dial-plan.js';
import { enterCollect, enterMenu } from './input.js';
import { enterLookup } from './lookup.js';
import {
  DEFAULTS,
  type FlowNode,
  type NodeId,
  type QueueNode,
  type SetNode,
  type TransferNode,
} from './flow.js';
import { renderTemplate, templateVariables } from './templates.js';
import {
  emit,
  end,
  errorBranch,
  fail,
  log,
  newId,
  play,
  reasonOf,
  renderPrompts,
  setVariable,
  setWait,
  type Next,
  type Turn,
} from './turn.js';

/** Type-ahead survives only nodes that do not wait, barge-in prompts and the input nodes themselves. */
function keepsTypeahead(node: FlowNode): boolean {
  if (node.kind === 'play' || node.kind === 'say') return node.bargeIn === true;
  return node.kind === 'set' || node.kind === 'condition' || node.kind === 'menu' || node.kind === 'collect';
}

function enterSet(turn: Turn, node: SetNode): Next {
  // Render everything first, so a missing variable changes nothing.
  const values = Object.entries(node.values).map(([name, v]) => {
    if (typeof v !== 'string') return { name, value: String(v), sensitive: false };
    // A copy of a sensitive variable is sensitive too.
    const sensitive = templateVariables(v).some((x) => turn.state.sensitive.includes(x));
    return { name, value: renderTemplate(v, turn.state.variables), sensitive };
  });
  for (const { name, value, sensitive } of values) setVariable(turn, name, value, sensitive);
  return node.next;
}

function enterQueue(turn: Turn, node: QueueNode): Next {
  const raw = node.priority ?? 0;
  const basePriority = typeof raw === 'number' ? raw : Number(renderTemplate(raw, turn.state.variables));
  if (!Number.isFinite(basePriority)) return fail(turn, 'priority_not_a_number', node.onQueueFailure);
  const boost = turn.state.vip ? (turn.state.flow.vipPriorityBoost ?? DEFAULTS.vipPriorityBoost) : 0;
  const skills = (node.skills ?? []).map((s) =>
    typeof s === 'string'
      ? { skill: renderTemplate(s, turn.state.variables), minLevel: 1 }
      : { skill: renderTemplate(s.skill, turn.state.variables), minLevel: s.minLevel ?? 1 },
  );
  const variables = Object.fromEntries(
    Object.entries(turn.state.variables).filter(([name]) => !turn.state.sensitive.includes(name)),
  );
  emit(turn, {
    type: 'queue',
    queueId: node.queueId,
    priority: basePriority + boost,
    basePriority,
    vip: turn.state.vip,
    skills,
    announcePosition: node.announcePosition === true,
    announceWaitTime: node.announceWaitTime === true,
    announceEverySeconds: node.announceEverySeconds ?? 30,
    averageHandleSeconds: node.averageHandleSeconds ?? 180,
    variables,
    language: turn.state.language,
  });
  setWait(turn, { kind: 'queue' });
  return undefined;
}

function enterTransfer(turn: Turn, node: TransferNode): Next {
  const to = renderTemplate(node.to, turn.state.variables);
  let allowed: boolean;
  try {
    allowed = isDialable(to) && turn.env.allowTransfer?.(to) === true;
  } catch {
    allowed = false; // a failing guard refuses, it never lets a number through
  }
  if (!allowed) {
    // The number itself is not logged: it may be whatever the caller typed.
    log(turn, 'transfer_refused', { reason: isDialable(to) ? 'not_in_dial_plan' : 'not_dialable' });
    return fail(turn, 'transfer_refused', node.onError);
  }
  emit(turn, { type: 'transfer', to });
  setWait(turn, { kind: 'transfer' });
  return undefined;
}

function enterKind(turn: Turn, node: FlowNode): Next {
  const s = turn.state;
  switch (node.kind) {
    case 'play':
    case 'say': {
      const bargeIn = node.bargeIn === true;
      if (bargeIn && s.typeahead !== '') {
        log(turn, 'skipped_by_typeahead');
        return node.next;
      }
      const prompts =
        node.kind === 'play'
          ? renderPrompts(turn, node.prompts)
          : renderPrompts(turn, [{ say: { as: node.as, value: node.value, currency: node.currency } }]);
      if (prompts.length === 0) return node.next;
      setWait(turn, { kind: 'playback', playId: play(turn, prompts, bargeIn), bargeIn, then: 'next' });
      return undefined;
    }
    case 'menu':
      return enterMenu(turn, node);
    case 'collect':
      return enterCollect(turn, node);
    case 'lookup':
      return enterLookup(turn, node);
    case 'condition': {
      const facts = { ...s, now: turn.now };
      const index = node.branches.findIndex((b) => holds(b.when, facts));
      log(turn, 'branch', { taken: index < 0 ? 'else' : index });
      return index < 0 ? node.else : node.branches[index]?.next;
    }
    case 'set':
      return enterSet(turn, node);
    case 'queue':
      return enterQueue(turn, node);
    case 'voicemail': {
      const mailbox = node.mailbox === undefined ? null : renderTemplate(node.mailbox, s.variables);
      const id = newId(turn, 'r');
      emit(turn, {
        type: 'record_voicemail',
        id,
        prompts: renderPrompts(turn, node.prompt),
        maxSeconds: node.maxSeconds ?? DEFAULTS.voicemailMaxSeconds,
        beep: node.beep !== false,
        mailbox,
        language: s.language,
      });
      setWait(turn, { kind: 'recording', recordingId: id });
      return undefined;
    }
    case 'transfer':
      return enterTransfer(turn, node);
    case 'hangup': {
      const cause = node.cause ?? DEFAULTS.hangupCause;
      return end(turn, 'hangup', cause);
    }
  }
}

/**
 * Enters node `id`: logs the step (the call record's IVR path) and runs the node. Any runtime
 * failure, including a missing node, takes the node's error branch or the flow's errorNode.
 */
export function enterNode(turn: Turn, id: NodeId): Next {
  const s = turn.state;
  s.node = id;
  const node = Object.hasOwn(s.flow.nodes, id) ? s.flow.nodes[id] : undefined;
  if (node === undefined) return fail(turn, 'missing_node', undefined);
  log(turn, 'node', { kind: node.kind });
  if (!keepsTypeahead(node)) s.typeahead = '';
  try {
    return enterKind(turn, node);
  } catch (error) {
    return fail(turn, reasonOf(error), errorBranch(node));
  }
}
