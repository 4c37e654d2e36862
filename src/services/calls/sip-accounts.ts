import type { Store } from '../ports.js';
import type { SipAccountRecord } from '../records.js';

/**
 * The agents' SIP accounts as last read. Every call asks which phone to ring and every REGISTER asks
 * for an HA1; a query each was a third of a call's statements. VoiceDesk, the one writer, calls
 * `forget()` after each change; an account whose agent the routing engine no longer knows (a deleted
 * profile, whose account the database dropped with it) is treated as gone.
 */
export class SipAccounts {
  private readonly agents = new Map<string, SipAccountRecord | null>();
  private readonly usernames = new Map<string, SipAccountRecord>();
  private generation = 0;

  constructor(
    private readonly store: Store,
    private readonly agentExists: (agentId: string) => boolean,
  ) {}

  async byAgent(agentId: string): Promise<SipAccountRecord | undefined> {
    if (!this.agentExists(agentId)) return undefined;
    const known = this.agents.get(agentId);
    if (known !== undefined) return known ?? undefined;
    const generation = this.generation;
    const a = await this.store.voice.sipAccountByAgent(agentId);
    if (generation === this.generation) this.remember(agentId, a);
    return a;
  }

  async byUsername(username: string): Promise<SipAccountRecord | undefined> {
    const known = this.usernames.get(username);
    if (known) return this.agentExists(known.agentId) ? known : undefined;
    const generation = this.generation;
    const a = await this.store.voice.sipAccountByUsername(username);
    // Unknown names are not remembered: a scanner trying random users must not grow the map.
    if (a && generation === this.generation) this.remember(a.agentId, a);
    return a && this.agentExists(a.agentId) ? a : undefined;
  }

  /** Drops everything read so far; reads in flight are not kept either. */
  forget(): void {
    this.generation++;
    this.agents.clear();
    this.usernames.clear();
  }

  private remember(agentId: string, a: SipAccountRecord | undefined): void {
    this.agents.set(agentId, a ?? null);
    if (a) this.usernames.set(a.username, a);
  }
}
