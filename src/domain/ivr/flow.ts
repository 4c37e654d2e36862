/**
 * The IVR flow document: the shape `validateFlow` accepts and the interpreter runs. Flows are JSON
 * (stored in the database), so every type here is plain data. docs/ivr.md is the reference.
 */
import type { BusinessHours } from '../calendar/business-hours.js';

/** A node id: letters, digits, `_` and `-`, 1–64 characters. */
export type NodeId = string;

/** Variable text: literal, or with `{{name}}` placeholders filled from the call's variables. */
export type Template = string;

/** What `say` can speak. */
export const SAY_AS = ['digits', 'number', 'date', 'time', 'currency'] as const;
/** One of SAY_AS. */
export type SayAs = (typeof SAY_AS)[number];

/** Currencies `say` knows the words for. */
export const CURRENCIES = ['USD', 'CNY', 'EUR'] as const;
/** One of CURRENCIES. */
export type Currency = (typeof CURRENCIES)[number];

/** A value to speak: a number or template, rendered into prompt fragments in the call's language. */
export interface SaySpec {
  as: SayAs;
  value: Template | number;
  /** Required when `as` is `currency`. */
  currency?: Currency;
}

/** A recorded prompt id (resolved per language by the voice adapter) or a value spoken with `say`. */
export type PromptItem = string | { say: SaySpec };

/** One prompt id or a list of items, played in order. */
export type Prompt = string | PromptItem[];

/** Plays prompts, then continues at `next`. */
export interface PlayNode {
  kind: 'play';
  prompts: Prompt;
  /** A digit stops the playback; the digit is kept as type-ahead for the next menu or collect. */
  bargeIn?: boolean;
  next: NodeId;
}

/** One menu choice. A list (not a map) keeps the order for people and makes duplicates visible. */
export interface MenuOption {
  /** One of 0-9, * and #. */
  digit: string;
  next: NodeId;
}

/** Plays a prompt and branches on one digit, with retries. */
export interface MenuNode {
  kind: 'menu';
  prompt: Prompt;
  /** 1–12 options, each digit at most once. */
  options: MenuOption[];
  /** Seconds to wait for a digit after the prompt ends (1–120, default 5). */
  timeoutSec?: number;
  /** Re-prompts after a wrong digit or a time-out, counted together (0–10, default 2). */
  maxRetries?: number;
  invalidPrompt?: Prompt;
  timeoutPrompt?: Prompt;
  onFailure?: NodeId;
}

/** The key that ends a collect; 'none' makes every key a digit. */
export type Terminator = '#' | '*' | 'none';

/** Collects a digit string into a variable, with length and pattern checks and retries. */
export interface CollectNode {
  kind: 'collect';
  /** Variable that receives the digits (terminator excluded). */
  variable: string;
  prompt?: Prompt;
  /** 1–64, default 1. */
  minLength?: number;
  /** 1–64. Reaching it ends collection without a terminator. */
  maxLength: number;
  /** Default '#'. */
  terminator?: Terminator;
  /** 1–120 s, default 5. */
  firstDigitTimeoutSec?: number;
  /** 1–120 s, default 3. Expiry ends collection with the digits so far. */
  interDigitTimeoutSec?: number;
  /** A regular expression the whole input must match. */
  pattern?: string;
  /** 0–10, default 2. */
  maxRetries?: number;
  invalidPrompt?: Prompt;
  timeoutPrompt?: Prompt;
  /** Card numbers, PINs: digits never appear in log commands or queue variables. */
  sensitive?: boolean;
  next: NodeId;
  onFailure?: NodeId;
}

/** Speaks a value (digits, number, date, time, amount) in the call's language. */
export interface SayNode extends SaySpec {
  kind: 'say';
  bargeIn?: boolean;
  next: NodeId;
  onError?: NodeId;
}

/** Methods a webhook lookup may use. */
export type HttpMethod = 'GET' | 'POST';

/** Asks an HTTP endpoint (through call control) and maps the answer into variables. */
export interface WebhookLookupNode {
  kind: 'lookup';
  source: 'webhook';
  /** http(s) URL; `{{var}}` values are URL-encoded. */
  url: Template;
  method?: HttpMethod;
  /** 100–30000, default 3000. */
  timeoutMs?: number;
  /** Request parameters (query for GET, JSON body for POST): name → template. */
  params?: Record<string, Template>;
  /** Response field (dotted path) → variable. */
  map: Record<string, string>;
  next: NodeId;
  onError?: NodeId;
}

/** Looks the caller's number up in the CRM. */
export interface CustomerLookupNode {
  kind: 'lookup';
  source: 'customer_by_caller';
  timeoutMs?: number;
  /** Default `{ "id": "customer_id", "name": "customer_name" }`. */
  map?: Record<string, string>;
  next: NodeId;
  onError?: NodeId;
}

/** Either lookup source. */
export type LookupNode = WebhookLookupNode | CustomerLookupNode;

/** Business hours inline, or the name of a calendar given in the call context. */
export type CalendarRef = { hours: BusinessHours } | { calendar: string };

/** Operators of a `variable` predicate. */
export const COMPARISONS = ['eq', 'ne', 'lt', 'gt', 'in', 'matches', 'exists'] as const;
/** One of COMPARISONS. */
export type Comparison = (typeof COMPARISONS)[number];

/** What a condition branch tests. */
export type Predicate =
  | ({ type: 'open' | 'closed' | 'holiday' } & CalendarRef)
  | { type: 'vip' }
  | { type: 'blacklisted' }
  | { type: 'variable'; name: string; op: Comparison; value?: string | number | string[] }
  | { type: 'caller_prefix'; prefixes: string[] };

/** One branch of a condition: a predicate and where to go when it holds. */
export interface ConditionBranch {
  when: Predicate;
  next: NodeId;
}

/** Branches on hours, holidays, VIP, blacklist, variables or the caller's number. */
export interface ConditionNode {
  kind: 'condition';
  /** Tried in order; the first that holds wins. */
  branches: ConditionBranch[];
  else: NodeId;
  /** Taken when a branch cannot be evaluated (e.g. an unknown calendar). */
  onError?: NodeId;
}

/** Sets variables from literals or templates. */
export interface SetNode {
  kind: 'set';
  values: Record<string, Template | number | boolean>;
  next: NodeId;
  onError?: NodeId;
}

/** A skill the queued call needs, with a minimum level. */
export interface SkillNeed {
  skill: Template;
  /** 1–10, default 1. */
  minLevel?: number;
}

/** Hands the call to an ACD queue; the flow ends there unless the queue refuses. */
export interface QueueNode {
  kind: 'queue';
  queueId: string;
  /** A number, or a template that renders to one (e.g. "{{priority}}"). Default 0. */
  priority?: number | Template;
  skills?: (Template | SkillNeed)[];
  /** While queued, the caller hears "you are caller number N" every `announceEverySeconds`. */
  announcePosition?: boolean;
  /** While queued, the caller hears "your expected wait is about M minutes". */
  announceWaitTime?: boolean;
  /** 5–3600, default 30: how often the announcements interrupt the hold music. */
  announceEverySeconds?: number;
  /** 10–7200, default 180: the handle time the expected wait is estimated with. */
  averageHandleSeconds?: number;
  /** Taken when the service answers that the queue is closed or full. */
  onQueueFailure?: NodeId;
}

/** Records a voicemail, then continues at `next`. */
export interface VoicemailNode {
  kind: 'voicemail';
  prompt?: Prompt;
  /** 1–600, default 120. */
  maxSeconds?: number;
  /** Default true. */
  beep?: boolean;
  mailbox?: Template;
  next: NodeId;
}

/** Transfers the call to an external number, if the dial-plan guard allows it. */
export interface TransferNode {
  kind: 'transfer';
  /** Digits with an optional leading '+'; must pass the dial-plan guard. */
  to: Template;
  onError?: NodeId;
}

/** Ends the call. */
export interface HangupNode {
  kind: 'hangup';
  /** Lower-case words with `_`, default 'normal'. */
  cause?: string;
}

/** Any node of a flow, told apart by `kind`. */
export type FlowNode =
  | PlayNode
  | MenuNode
  | CollectNode
  | SayNode
  | LookupNode
  | ConditionNode
  | SetNode
  | QueueNode
  | VoicemailNode
  | TransferNode
  | HangupNode;

/** The node kinds. */
export type NodeKind = FlowNode['kind'];

/** Every node kind, in the order docs/ivr.md describes them. */
export const NODE_KINDS: readonly NodeKind[] = [
  'play',
  'menu',
  'collect',
  'say',
  'lookup',
  'condition',
  'set',
  'queue',
  'voicemail',
  'transfer',
  'hangup',
];

/** What happens to a caller flagged as blacklisted, before the flow starts. */
export interface BlacklistTreatment {
  action: 'hangup' | 'play_then_hangup' | 'continue';
  prompt?: Prompt;
}

/** A validated IVR flow. */
export interface Flow {
  version: 1;
  name: string;
  description?: string;
  start: NodeId;
  nodes: Record<NodeId, FlowNode>;
  /** Where runtime failures go when the failing node has no error branch of its own. */
  errorNode?: NodeId;
  /** Default `{ action: 'hangup' }`. */
  blacklist?: BlacklistTreatment;
  /** Added to queue priority for VIP callers (0–100, default 10). */
  vipPriorityBoost?: number;
}

/** Defaults for optional fields, in one place so the validator, interpreter and docs agree. */
export const DEFAULTS = Object.freeze({
  menuTimeoutSec: 5,
  maxRetries: 2,
  minLength: 1,
  terminator: '#',
  firstDigitTimeoutSec: 5,
  interDigitTimeoutSec: 3,
  lookupTimeoutMs: 3000,
  voicemailMaxSeconds: 120,
  vipPriorityBoost: 10,
  hangupCause: 'normal',
  blacklist: Object.freeze({ action: 'hangup' }),
  customerMap: Object.freeze({ id: 'customer_id', name: 'customer_name' }),
});

/** The prompt items of a prompt field (a lone string is one prompt id). */
export function promptItems(prompt: Prompt | undefined): PromptItem[] {
  if (prompt === undefined) return [];
  return typeof prompt === 'string' ? [prompt] : prompt;
}

/** Every recorded prompt id a flow plays (not `say` fragments), for checking that the WAVs exist. */
export function flowPromptIds(flow: Flow): string[] {
  const ids = new Set<string>();
  const add = (p: Prompt | undefined): void => {
    for (const item of promptItems(p)) if (typeof item === 'string') ids.add(item);
  };
  add(flow.blacklist?.prompt);
  for (const node of Object.values(flow.nodes)) {
    if (node.kind === 'play') add(node.prompts);
    if (node.kind === 'menu' || node.kind === 'collect')
      [node.prompt, node.invalidPrompt, node.timeoutPrompt].forEach(add);
    if (node.kind === 'voicemail') add(node.prompt);
  }
  return [...ids].sort();
}
