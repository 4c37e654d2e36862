/** The routing engine (ACD): public API. Internal records and indexes are not exported. */
export * from './types.js';
export { RoutingEngine } from './engine.js';
export type { RoutingTuning } from './state.js';
export type { AgentView, AgentWorkView, InteractionView, WaitingView } from './views.js';
