/** Load accounting on an agent: offers, active work and wrap-up all occupy a slot on their channel. */
import type { AgentRecord } from './model.js';

/** One more item of work on the channel. */
export function addLoad(agent: AgentRecord, channelIndex: number): void {
  agent.load[channelIndex] = (agent.load[channelIndex] ?? 0) + 1;
  agent.totalLoad++;
  if (agent.exclusive[channelIndex] === true) agent.exclusiveLoad++;
}

/** One item of work on the channel ended. */
export function removeLoad(agent: AgentRecord, channelIndex: number): void {
  agent.load[channelIndex] = (agent.load[channelIndex] ?? 0) - 1;
  agent.totalLoad--;
  if (agent.exclusive[channelIndex] === true) agent.exclusiveLoad--;
}
