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
import type { SmsBulk } from './sms/bulk.js';
import type { SmsCampaigns } from './sms/campaigns.js';
import type { SmsDunning } from './sms/dunning.js';
import type { HealthMonitor } from './alarms/health-monitor.js';
import type { SmsOperations } from './sms/operations.js';
import type { SmsAccounts } from './sms/accounts.js';
import type { SmsSchedule } from './sms/schedule.js';
import type { SmsMoServices } from './sms/mo-services.js';
import type { VoiceDesk } from './calls/voice-desk.js';
import type { CallControl } from './calls/call-control.js';
import type { Supervision } from './calls/supervision.js';
import type { DialOut } from './calls/dial-out.js';
import type { Consultations } from './calls/consult.js';
import type { Clock, Store } from './ports.js';
import type { IvrFlowLibrary } from './ivr/flow-library.js';
import type { IvrNumbers } from './ivr/numbers.js';
import type { VoicemailBox } from './calls/voicemail.js';
import type { Softphones } from './calls/softphones.js';
import type { PromptLibrary } from './telephony/prompts.js';
import type { SipTrunks } from './telephony/sip-trunks.js';

export interface HealthReport {
  status: 'ok' | 'degraded';
  parts: Record<
    string,
    {
      status: 'ok' | 'down';
      detail?: string;
      latencyMs?: number;
      /** smsc: each SMS route's connection. */
      routes?: { name: string; driver: string; up: boolean; detail: string }[];
    }
  >;
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
  smsBulk: SmsBulk;
  smsCampaigns: SmsCampaigns;
  /** Dunning notices for utilities: plans, arrears, preview, runs. */
  smsDunning: SmsDunning;
  alarms: HealthMonitor;
  /** SMS routes, monitor and delivery-report callbacks. */
  smsOps: SmsOperations;
  smsAccounts: SmsAccounts;
  smsSchedule: SmsSchedule;
  /** Inbound SMS, opt-outs, topics, work orders, webhooks. */
  smsMo: SmsMoServices;
  ivrFlows: IvrFlowLibrary;
  ivrNumbers: IvrNumbers;
  voicemail: VoicemailBox;
  voice: VoiceDesk;
  /** Hold, resume and DTMF on calls connected to an agent. */
  callControl: CallControl;
  /** Supervisors on live calls: listen, whisper, barge, force release. */
  supervision: Supervision;
  /** Agent-first calls out through the trunk (POST /api/calls). */
  dialOut: DialOut;
  /** Consult transfers and three-way conferences on connected calls. */
  consults: Consultations;
  /** Agents' phone choice (browser or SIP) and the browser softphone's signalling. */
  softphones: Softphones;
  /** Recorded prompts: built-in and uploaded. */
  prompts: PromptLibrary;
  /** The SIP trunks: the configuration's (read-only) and the console's. */
  trunks: SipTrunks;
  health(): Promise<HealthReport>;
}
