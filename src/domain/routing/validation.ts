/** Checks on configuration and input at the engine's edge, before anything is changed. */
import { DomainError } from '../errors.js';
import { CHANNEL_INDEX } from './model.js';
import { STRATEGIES, type AgentConfig, type InteractionInput, type QueueConfig } from './types.js';

function fail(message: string, details: Record<string, unknown>): never {
  throw new DomainError('VALIDATION_FAILED', message, details);
}

function isTime(n: number): boolean {
  return Number.isFinite(n) && n >= 0;
}

/** A queue configuration the engine can run. */
export function validateQueue(cfg: QueueConfig): void {
  if (!cfg.id) fail('A queue needs an id.', {});
  if (!STRATEGIES.includes(cfg.strategy)) fail(`Unknown strategy ${cfg.strategy}.`, { queueId: cfg.id });
  if (!Number.isFinite(cfg.priority)) fail('Queue priority must be a number.', { queueId: cfg.id });
  for (const [name, v] of [
    ['reservationTimeoutMs', cfg.reservationTimeoutMs],
    ['wrapUpMs', cfg.wrapUpMs],
    ['stickyMs', cfg.stickyMs],
    ['serviceLevelThresholdMs', cfg.serviceLevelThresholdMs],
  ] as const) {
    if (!isTime(v)) fail(`${name} must be a non-negative number.`, { queueId: cfg.id, field: name });
  }
  if (cfg.maxWaitMs !== null && !isTime(cfg.maxWaitMs))
    fail('maxWaitMs must be non-negative.', { queueId: cfg.id });
  for (const r of cfg.overflow) {
    if (!isTime(r.afterSec)) fail('Overflow afterSec must be non-negative.', { queueId: cfg.id });
  }
}

/** An agent configuration the engine can run. */
export function validateAgent(cfg: AgentConfig): void {
  if (!cfg.id) fail('An agent needs an id.', {});
  for (const [channel, cap] of Object.entries(cfg.capacity)) {
    if (!(channel in CHANNEL_INDEX)) fail(`Unknown channel ${channel}.`, { agentId: cfg.id });
    if (cap !== undefined && !isTime(cap))
      fail('Capacity must be non-negative.', { agentId: cfg.id, channel });
  }
  for (const channel of cfg.exclusiveChannels) {
    if (!(channel in CHANNEL_INDEX)) fail(`Unknown channel ${channel}.`, { agentId: cfg.id });
  }
}

/** An interaction the engine can queue. */
export function validateInput(input: InteractionInput): void {
  if (!input.id) fail('An interaction needs an id.', {});
  if (!(input.channel in CHANNEL_INDEX))
    fail(`Unknown channel ${input.channel}.`, { interactionId: input.id });
  if (!Number.isFinite(input.arrivedAt) || !Number.isFinite(input.seq) || !Number.isFinite(input.priority)) {
    fail('arrivedAt, seq and priority must be numbers.', { interactionId: input.id });
  }
}

/** A presence an agent can choose. */
export function validatePresence(presence: string): void {
  if (presence !== 'available' && presence !== 'not_ready')
    fail(`Unknown presence ${presence}.`, { presence });
}
