/**
 * Whether an agent can take one more interaction on a channel: capacity per channel plus the mixing
 * rule (offers and wrap-up count as load; an exclusive channel needs an otherwise idle agent, and
 * work on an exclusive channel blocks everything else).
 */
import { CHANNEL_COUNT, type AgentRecord } from './model.js';

/** The agent may be offered new work at all (logged in, available, not logging out). */
export function isRoutable(agent: AgentRecord): boolean {
  return agent.loggedIn && agent.presence === 'available' && !agent.pendingLogout;
}

/** Capacity and mixing rule for one channel, ignoring presence. */
export function hasRoomFor(agent: AgentRecord, channelIndex: number): boolean {
  if ((agent.load[channelIndex] ?? 0) >= (agent.capacity[channelIndex] ?? 0)) return false;
  if (agent.exclusiveLoad > 0) return false;
  if (agent.exclusive[channelIndex] === true && agent.totalLoad > 0) return false;
  return true;
}

/** Bit mask of the channels on which the agent can be offered one more interaction now. */
export function readyMask(agent: AgentRecord): number {
  if (!isRoutable(agent)) return 0;
  let mask = 0;
  for (let c = 0; c < CHANNEL_COUNT; c++) if (hasRoomFor(agent, c)) mask |= 1 << c;
  return mask;
}
