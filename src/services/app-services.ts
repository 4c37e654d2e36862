import type { AuthService } from './auth/auth-service.js';
import type { UserDirectory } from './directory/users.js';
import type { Catalog } from './directory/teams-skills.js';
import type { AgentDirectory } from './directory/agents.js';
import type { QueueDirectory } from './directory/queues.js';
import type { CustomerBook } from './customers.js';
import type { InteractionDesk } from './interactions.js';
import type { AgentDesk } from './agent-desk.js';
import type { RoutingService } from './routing/routing-service.js';
import type { EventHub } from './events/event-hub.js';
import type { SmsOutbox } from './sms/outbox.js';
import type { VoiceDesk } from './calls/voice-desk.js';
import type { Clock, Store } from './ports.js';

export interface HealthReport {
  status: 'ok' | 'degraded';
  parts: Record<string, { status: 'ok' | 'down'; detail?: string; latencyMs?: number }>;
}

/** Everything the API layer talks to, built by the composition root. */
export interface AppServices {
  store: Store;
  clock: Clock;
  auth: AuthService;
  users: UserDirectory;
  catalog: Catalog;
  agents: AgentDirectory;
  queues: QueueDirectory;
  customers: CustomerBook;
  interactions: InteractionDesk;
  desk: AgentDesk;
  routing: RoutingService;
  hub: EventHub;
  sms: SmsOutbox;
  voice: VoiceDesk;
  health(): Promise<HealthReport>;
}
