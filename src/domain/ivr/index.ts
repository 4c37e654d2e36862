/** IVR: the flow format and its validator, a pure interpreter (events in, commands out), `say` and flow selection. */
export type {
  BlacklistTreatment,
  CalendarRef,
  Comparison,
  ConditionBranch,
  ConditionNode,
  CollectNode,
  Currency,
  CustomerLookupNode,
  Flow,
  FlowNode,
  HangupNode,
  LookupNode,
  MenuNode,
  MenuOption,
  NodeId,
  NodeKind,
  PlayNode,
  Predicate,
  Prompt,
  PromptItem,
  QueueNode,
  SayAs,
  SayNode,
  SaySpec,
  SetNode,
  SkillNeed,
  Template,
  Terminator,
  TransferNode,
  VoicemailNode,
  WebhookLookupNode,
} from './flow.js';
export { CURRENCIES, DEFAULTS, NODE_KINDS, SAY_AS, flowPromptIds, promptItems } from './flow.js';
export { assertFlow, validateFlow } from './validation.js';
export type { FlowValidation, Problem } from './validation.js';
export { startCall, step } from './interpreter.js';
export type { IvrStep } from './interpreter.js';
export { isFinished } from './call-state.js';
export type { CallContext, CallEnvironment, CallState, Wait } from './call-state.js';
export { isIvrEvent } from './events.js';
export type { IvrCommand, IvrEvent, LogDetail } from './events.js';
export { MAX_ERROR_ROUTES, MAX_TRANSITIONS } from './turn.js';
export { LANGUAGES, SAY_PREFIX, Unspeakable, sayFragments } from './say.js';
export type { Language } from './say.js';
export { dialPatternProblems, dialPlanGuard, isDialable } from './dial-plan.js';
export { normaliseDnis, selectFlow } from './flow-selection.js';
export type { FlowBinding, FlowOverride } from './flow-selection.js';
export { renderTemplate, templateProblems } from './templates.js';
export { announcementPrompts, expectedWaitMinutes } from './queue-announcement.js';
export type { QueueAnnouncement } from './queue-announcement.js';
