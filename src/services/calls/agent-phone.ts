import type { AgentCall, AgentPhones } from './ports.js';

/**
 * Rings the phone an agent chose: the browser softphone needs no SIP account, a SIP phone is found
 * by its account (`username`). Null when the agent has no phone that can ring now.
 */
export function ringAgentPhone(
  phones: AgentPhones,
  agentId: string,
  username: string | undefined,
  options: { caller: string; signal: AbortSignal; onRinging: () => void },
): Promise<AgentCall | null> {
  if (phones.ringAgent) return phones.ringAgent(agentId, username, options);
  return username === undefined ? Promise.resolve(null) : phones.ring(username, options);
}
