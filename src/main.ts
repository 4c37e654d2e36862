#!/usr/bin/env node
/**
 * Composition root: configuration → adapters → services → servers. The only place that constructs
 * adapters. `createHotline` is also what the integration tests start.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import { loadConfig, type Config } from './config/index.js';
import { openDatabase, migrationsFolder, type DatabaseOptions } from './adapters/db/database.js';
import { createStore } from './adapters/db/store.js';
import { createSystemTimer, systemClock } from './adapters/clock/system-clock.js';
import type { Clock, Store, Timer } from './services/ports.js';
import { AuditTrail } from './services/audit.js';
import { AuthService } from './services/auth/auth-service.js';
import { UserDirectory } from './services/directory/users.js';
import { Catalog } from './services/directory/teams-skills.js';
import { AgentDirectory } from './services/directory/agents.js';
import { QueueDirectory } from './services/directory/queues.js';
import { CustomerBook } from './services/customers.js';
import { InteractionDesk } from './services/interactions.js';
import { AgentDesk } from './services/agent-desk.js';
import { RoutingService } from './services/routing/routing-service.js';
import { EventHub } from './services/events/event-hub.js';
import { SmsOutbox } from './services/sms/outbox.js';
import { SmsDispatcher } from './services/sms/dispatcher.js';
import { BulkAdmission, SmsBulk } from './services/sms/bulk.js';
import { SmsCampaigns } from './services/sms/campaigns.js';
import { HealthMonitor } from './services/alarms/health-monitor.js';
import {
  databaseCheck,
  diskCheck,
  queueWaitCheck,
  smscCheck,
  type HealthCheck,
} from './services/alarms/checks.js';
import { diskProbe } from './adapters/system/disk.js';
import { SmsBilling } from './services/sms/billing.js';
import { SmsSchedule } from './services/sms/schedule.js';
import { SmsAccounts } from './services/sms/accounts.js';
import { SmppGateway } from './adapters/smpp/gateway.js';
import { KannelGateway } from './adapters/kannel/gateway.js';
import { SmsRouter, type SmsRoute } from './services/sms/router.js';
import { SmsMonitor } from './services/sms/monitor.js';
import { SmsOperations } from './services/sms/operations.js';
import { smsRoutesOf, type SmsRouteConfig } from './config/sms-routes.js';
import { createMoStore } from './adapters/db/sms-mo-store.js';
import { createDunningStore } from './adapters/db/sms-dunning-store.js';
import { SmsDunning } from './services/sms/dunning.js';
import { fetchWebhookTransport } from './adapters/http/webhook-transport.js';
import { SmsOptOuts } from './services/sms/opt-outs.js';
import { SmsTopics } from './services/sms/topics.js';
import { WorkOrders } from './services/sms/work-orders.js';
import { SmsConversations } from './services/sms/conversations.js';
import { SmsWebhooks } from './services/sms/webhooks.js';
import { SmsInbound } from './services/sms/inbound.js';
import { IvrFlowLibrary } from './services/ivr/flow-library.js';
import { IvrNumbers } from './services/ivr/numbers.js';
import type { AppServices, HealthReport } from './services/app-services.js';
import { CallService } from './services/calls/call-service.js';
import { SipEndpoint } from './adapters/sip/endpoint.js';
import { SipInboundCalls } from './adapters/sip/inbound-calls.js';
import { InviteAdmission } from './adapters/sip/admission.js';
import { startTrunkRegistrations } from './adapters/sip/trunk-registrations.js';
import { FetchWebhookClient } from './adapters/http/webhook-client.js';
import { IvrLookups } from './services/calls/lookups.js';
import { VoicemailBox } from './services/calls/voicemail.js';
import { VoicemailFolder } from './adapters/media/voicemail-files.js';
import { PromptFolders } from './adapters/media/prompt-files.js';
import { PromptLibrary } from './services/telephony/prompts.js';
import { realScheduler } from './adapters/sip/transactions/timers.js';
import { RtpMediaChannels } from './adapters/media/media-channel.js';
import { RtpPortPool } from './adapters/media/port-pool.js';
import { nativeRtpSockets } from './adapters/media/udp-batch.js';
import { isIPv4 } from 'node:net';
import { openDgramSocket } from './adapters/media/udp-socket.js';
import { createSystemScheduler } from './adapters/media/scheduler.js';
import { localRecordingFiles } from './adapters/media/recording-files.js';
import { attachRegistrar, MemoryBindingStore } from './adapters/sip/registrar.js';
import { SipAgentPhones } from './adapters/sip/outbound-leg.js';
import { WebRtcAgentPhones, type WebRtcPhoneStats } from './adapters/webrtc/browser-phones.js';
import { ChoosingAgentPhones, Softphones } from './services/calls/softphones.js';
import { GraceTimers } from './services/calls/reconnect-grace.js';
import { AgentConnector } from './services/calls/agent-connector.js';
import { CallControl } from './services/calls/call-control.js';
import { Supervision } from './services/calls/supervision.js';
import { SipAccounts } from './services/calls/sip-accounts.js';
import { Consultations } from './services/calls/consult.js';
import { ReferTransfers } from './services/calls/refer.js';
import { VoiceDesk } from './services/calls/voice-desk.js';
import { assertFlow } from './domain/ivr/index.js';
import { outboundChecker } from './domain/ivr/outbound-number.js';
import { SipTrunks, configTrunks } from './services/telephony/sip-trunks.js';
import { dialTrunk, pingedTrunks, registeredTrunk } from './adapters/sip/trunk-settings.js';
import { SipTrunkDialer } from './adapters/sip/trunk-dialer.js';
import { TrunkPinger } from './adapters/sip/trunk-health.js';
import { ExternalCalls } from './services/calls/external-calls.js';
import { ivrTransfers } from './services/calls/ivr-transfer.js';
import { NumberTransfers } from './services/calls/number-transfer.js';
import { DialOut } from './services/calls/dial-out.js';
import { trunkCheck } from './services/alarms/trunk-check.js';
import type { TrunkReachability } from './services/calls/trunk-ports.js';
import { buildApp, type App } from './api/app.js';
import { DomainError } from './domain/errors.js';

export interface Hotline {
  app: App;
  services: AppServices;
  config: Config;
  /** Set when the first admin was created with a generated password. */
  firstAdmin: { username: string; password?: string } | null;
  restored: { requeued: number; interrupted: number };
  /** Inbound calls, when sip.enabled. */
  voice: Voice | null;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The running voice side: where SIP listens and what the calls hold. */
export interface Voice {
  sipPort: number;
  /** Where SIP over TCP listens (the same port as UDP unless sip.port is 0), or null with sip.tcp off. */
  sipTcpPort: number | null;
  activeCalls(): number;
  /** Calls connected to an agent's phone. */
  connectedCalls(): number;
  rtpPortsInUse(): number;
  rtpFramesSent(): number;
  /** The browser softphones' calls and packet counts. */
  browserPhones(): WebRtcPhoneStats;
  /** Where each registering trunk stands: idle, registered or failed. */
  trunkRegistrations(): Record<string, string>;
  close(): Promise<void>;
}

/**
 * SIP endpoint + RTP media → the CallService that runs each call through the IVR into a queue; the
 * registrar for agents' phones and the AgentConnector that rings them when routing offers a call.
 */
async function startVoice(
  config: Config,
  deps: {
    interactions: InteractionDesk;
    routing: RoutingService;
    ivrNumbers: IvrNumbers;
    customers: CustomerBook;
    voicemail: VoicemailBox;
    clock: Clock;
    log: CallLog;
    hub: EventHub;
    store: Store;
    voiceDesk: VoiceDesk;
    callControl: CallControl;
    supervision: Supervision;
    consults: Consultations;
    softphones: Softphones;
    promptFolders: PromptFolders;
    external: ExternalCalls;
    dialOut: DialOut;
    /** Where the trunk health check reads the OPTIONS pings. */
    trunkHealth: (source: { states(): TrunkReachability[] } | null) => void;
    /** The configuration's and the console's trunks; a change applies at once. */
    trunks: SipTrunks;
  },
): Promise<Voice> {
  const sip = config.sip;
  const trunks = deps.trunks.current();
  const endpoint = await SipEndpoint.start({
    address: sip.host,
    udp: { port: sip.port },
    tcp: sip.tcp ? { port: sip.port } : false,
    // A carrier's trunk sends every call from one address: the per-source rate limit (16
    // requests in 2 s) would ban it at a few calls per second, so trunk sources are trusted.
    protection: { trusted: trunks.flatMap((t) => t.sources) },
  });
  // RTP through the native batch addon when built (and not turned off), else node:dgram.
  // The addon speaks IPv4 only; an IPv6 (or named) SIP host keeps RTP on node:dgram.
  const native = sip.mediaNative && isIPv4(sip.host) ? nativeRtpSockets() : null;
  if (native !== null && !native.ok) {
    deps.log.warn({ reason: native.reason }, 'RTP media on node:dgram: the native addon is not available');
  }
  deps.log.info({ path: native?.ok ? 'native' : 'dgram' }, 'RTP socket path');
  const media = new RtpMediaChannels(
    new RtpPortPool(sip.rtpPortMin, sip.rtpPortMax),
    createSystemScheduler(),
    sip.host,
    native?.ok ? native.open : openDgramSocket,
  );
  // Phones re-register within their interval, so bindings may live in memory.
  const bindings = new MemoryBindingStore();
  attachRegistrar(endpoint, {
    realm: sip.realm,
    domain: sip.realm,
    bindings,
    // One HA1 per user (MD5), the algorithm phones such as baresip 1.0 support.
    lookupHa1: (user, algorithm) =>
      algorithm === 'MD5' ? deps.voiceDesk.ha1For(user) : Promise.resolve(undefined),
  });
  const purge = setInterval(() => bindings.purge(Date.now()), 60_000);
  purge.unref();
  const phones = new SipAgentPhones(endpoint, media, { bindings, domain: sip.realm });
  // Before the inbound calls' handler, which answers 481 for dialogs it does not know.
  phones.start();
  // Calls out go through one trunk, From the center's caller ID.
  const dialer = new SipTrunkDialer(
    endpoint,
    media,
    dialTrunk(deps.trunks.outbound(), config.voice.callerId),
  );
  dialer.start();
  deps.external.use(dialer, media);
  const pinger = new TrunkPinger(endpoint, pingedTrunks(trunks), {
    intervalMs: config.voice.trunkPingSec * 1000,
  });
  if (config.voice.trunkPingSec > 0) pinger.start();
  deps.trunkHealth(pinger);
  // The browser softphone offers ICE on the SIP host address (all interfaces when 0.0.0.0).
  const browserPhones = new WebRtcAgentPhones(deps.softphones, media, { address: sip.host });
  const agentPhones = new ChoosingAgentPhones(
    phones,
    browserPhones,
    deps.softphones,
    async (username) => (await deps.voiceDesk.accounts.byUsername(username))?.agentId,
  );
  const admission = new InviteAdmission(trunks);
  const inbound = new SipInboundCalls(endpoint, media, realScheduler, admission);
  const allowOut = outboundChecker({
    patterns: config.voice.dialPlan,
    defaultCountry: config.defaultCountry,
  });
  let calls: CallService | null = null;
  const connector = new AgentConnector({
    hub: deps.hub,
    routing: deps.routing,
    accounts: deps.voiceDesk.accounts,
    store: deps.store,
    calls: { live: (callId) => calls?.live(callId) },
    phones: agentPhones,
    media,
    clock: deps.clock,
    log: deps.log,
    recordingsDir: sip.recordingsDir,
    control: deps.callControl,
    grace: new GraceTimers(
      deps.clock,
      createSystemTimer(deps.clock),
      config.webrtc.reconnectGraceSeconds * 1000,
    ),
  });
  calls = new CallService(
    inbound,
    {
      desk: deps.interactions,
      routing: deps.routing,
      clock: deps.clock,
      newTimer: () => createSystemTimer(deps.clock),
      log: deps.log,
      chooseFlow: (dnis, now) => deps.ivrNumbers.chooseFlow(dnis, now),
      lookups: new IvrLookups(new FetchWebhookClient(), deps.customers, deps.log),
      voicemail: deps.voicemail,
      callerEnded: connector.callerEnded,
      allowTransfer: (n) => allowOut(n).ok,
      transferOut: ivrTransfers(deps.external, deps.clock, deps.log, deps.store, deps.hub),
      queuePosition: (id) => deps.routing.queuePosition(id),
      noteEvent: (interactionId, type, details) =>
        deps.store.interactions.appendEvents([
          { interactionId, at: new Date(deps.clock.now()), type, agentId: null, details },
        ]),
    },
    {
      fallbackFlow: sip.defaultFlow === null ? null : assertFlow(sip.defaultFlow),
      language: sip.language,
      promptsDir: sip.promptsDir,
      promptPath: (language, prompt) => deps.promptFolders.path(language, prompt),
      holdPrompt: 'queue-hold',
    },
  );
  connector.start();
  deps.voiceDesk.control = connector;
  deps.callControl.transfers = connector;
  // The supervisor's own phone rings like an agent's: the browser softphone or the SIP phone they chose.
  deps.supervision.attach({ live: connector, phones: agentPhones });
  const numberTransfers = new NumberTransfers({
    connector,
    external: deps.external,
    store: deps.store,
    clock: deps.clock,
    log: deps.log,
    holdFiles: [join(sip.promptsDir, sip.language, 'queue-hold.wav')],
  });
  deps.callControl.numberTransfers = numberTransfers;
  deps.dialOut.phones = agentPhones;
  deps.consults.attach({ calls: connector, phones: agentPhones, media });
  const refers = new ReferTransfers(deps.store, deps.clock, deps.log, deps.voiceDesk.accounts);
  refers.transfers = connector;
  // A REFER to a number goes out through the trunk like the API's transfer (dial plan and all);
  // the caller stays on this interaction.
  refers.toNumber = async (interactionId, number) => {
    await numberTransfers.transferToNumber(interactionId, number);
    return interactionId;
  };
  connector.referred = (interactionId, agentId, target) => refers.referred(interactionId, agentId, target);
  calls.start();
  inbound.start();
  let closing: Promise<void> | null = null;
  const registrations = startTrunkRegistrations(
    endpoint,
    trunks.map(registeredTrunk),
    realScheduler,
    (trunk, state, status) => deps.log.info({ trunk, state, status }, 'trunk registration'),
  );
  // An edit in the console reaches every part that reads trunks: the next INVITE, call out, ping.
  const unfollow = deps.trunks.onChange((next) => {
    endpoint.protection?.trust(next.flatMap((t) => t.sources));
    admission.replace(next);
    dialer.use(dialTrunk(deps.trunks.outbound(), config.voice.callerId));
    pinger.replace(pingedTrunks(next));
    registrations.replace(next.map(registeredTrunk));
    deps.log.info({ trunks: next.length }, 'SIP trunks applied');
  });
  deps.trunks.health = (name) => {
    const ping = pinger.stateOf(name);
    return {
      reachable: ping?.up ?? null,
      detail: ping?.detail ?? null,
      registration: registrations.states()[name] ?? null,
    };
  };
  return {
    sipPort: endpoint.local('udp').port,
    sipTcpPort: sip.tcp ? endpoint.local('tcp').port : null,
    activeCalls: () => inbound.activeCalls,
    connectedCalls: () => connector.activeCalls,
    rtpPortsInUse: () => media.pool.inUse,
    rtpFramesSent: () => media.framesSent,
    browserPhones: () => browserPhones.stats(),
    trunkRegistrations: () => registrations.states(),
    async close() {
      if (closing) return closing;
      closing = (async () => {
        clearInterval(purge);
        unfollow();
        deps.trunks.health = null;
        deps.voiceDesk.control = null;
        deps.callControl.transfers = null;
        deps.callControl.numberTransfers = null;
        deps.dialOut.phones = null;
        deps.supervision.attach(null);
        deps.consults.attach(null);
        // Callers still in the IVR or waiting hear goodbye and get BYE; their interactions and CDRs
        // are final before the process goes, as are those of calls connected to agents.
        await calls?.shutdown('closing', sip.shutdownPromptMs);
        await connector.stop();
        pinger.stop();
        deps.trunkHealth(null);
        await deps.external.stop();
        deps.external.use(null, null);
        dialer.hangupAll();
        phones.hangupAll();
        browserPhones.hangupAll();
        inbound.hangupAll();
        // Callers' BYEs answered (or given up on) before the sockets close.
        await inbound.byesAnswered(2000);
        registrations.stop();
        await endpoint.close();
      })();
      return closing;
    },
  };
}

type CallLog = ConstructorParameters<typeof RoutingService>[4];

/** One configured SMS route with its connection (SMPP bind or Kannel sendsms). */
function smsRoute(r: SmsRouteConfig, callbackBase: () => string | null): SmsRoute {
  const rules = { name: r.name, prefixes: r.prefixes, types: r.types };
  if (r.driver === 'smpp') {
    const gateway = new SmppGateway({
      host: r.host,
      port: r.port,
      systemId: r.systemId,
      password: r.password,
      submitsPerSecond: r.rate,
      windowSize: r.window,
      responseTimeoutMs: r.responseTimeoutMs,
      // A submit waiting for a bind that went down comes back soon, so another route takes it.
      maxQueueWaitMs: 5000,
    });
    return { ...rules, driver: 'smpp', gateway };
  }
  const gateway = new KannelGateway({
    sendsmsUrl: r.sendsmsUrl,
    username: r.username,
    password: r.password,
    smsc: r.smsc,
    window: r.window,
    rate: r.rate,
    responseTimeoutMs: r.responseTimeoutMs,
    dlrUrl: (reference) => {
      const base = callbackBase();
      if (!base) return null;
      const q = new URLSearchParams({ route: r.name, token: r.dlrToken, ref: reference });
      // Kannel fills in %d (report type) and %A (the SMSC's answer); they must stay unescaped.
      return `${base.replace(/\/$/, '')}/api/sms/dlr/kannel?${q.toString()}&status=%d&answer=%A`;
    },
  });
  return { ...rules, driver: 'kannel', gateway, callbackToken: r.dlrToken };
}

export interface HotlineOverrides {
  clock?: Clock;
  timer?: Timer;
  /** The SMS dispatcher's timer (tests drive it with a manual clock); default: a system timer. */
  smsTimer?: Timer;
  logger?: Logger | false;
  /** PGlite data dump to start from (tests clone a migrated template). */
  loadDataDir?: Blob;
}

function packageVersion(): string {
  const pkg = JSON.parse(
    readFileSync(new URL('../package.json', pathToFileURL(migrationsFolder() + '/')), 'utf8'),
  ) as {
    version: string;
  };
  return pkg.version;
}

/** Opens the database, restores routing state and builds the API; call listen() to serve. */
export async function createHotline(config: Config, o: HotlineOverrides = {}): Promise<Hotline> {
  const log = o.logger === undefined ? pino({ level: config.log.level }) : o.logger;
  const dbOpts: DatabaseOptions = {
    url: config.database.url,
    dataDir: config.database.dataDir,
    loadDataDir: o.loadDataDir,
  };
  const database = await openDatabase(dbOpts);
  const store = createStore(database);
  const clock = o.clock ?? systemClock;
  const timer = o.timer ?? createSystemTimer(clock);
  const silent = { info() {}, warn() {}, error() {}, debug() {} };
  const serviceLog = log || silent;

  const hub = new EventHub(config.events.resumeWindow);
  const audit = new AuditTrail(clock);
  const auth = new AuthService(store, clock, audit, {
    sessionTtlMs: config.auth.sessionTtlHours * 3600_000,
    loginMaxFailures: config.auth.loginMaxFailures,
    loginWindowMs: config.auth.loginWindowSec * 1000,
  });
  const routing = new RoutingService(store, clock, timer, hub, serviceLog);
  const catalog = new Catalog(store, clock, audit);
  const agents = new AgentDirectory(store, clock, audit, routing);
  const customers = new CustomerBook(store, clock, audit, config.defaultCountry);
  const smsBilling = new SmsBilling(store, clock, config.sms.currency);
  const smsSchedule = new SmsSchedule(store, clock, hub, smsBilling, {
    windows: config.sms.sendWindows,
    defaultZone: config.sms.recipientZone ?? config.timeZone,
    zoneOverrides: config.sms.recipientZones,
  });
  const moStore = createMoStore(database);
  const optOuts = new SmsOptOuts(moStore, clock, config.defaultCountry);
  const sms = new SmsOutbox(
    store,
    clock,
    {
      defaultCountry: config.defaultCountry,
      defaultSender: config.sms.defaultSender,
      policy: optOuts.check,
    },
    { billing: smsBilling, schedule: smsSchedule },
  );
  // Bulk sends and campaigns are billed like single sends and skip opted-out marketing numbers.
  const bulkAdmission = new BulkAdmission({ billing: smsBilling, optOuts });
  const smsBulk = new SmsBulk(
    store,
    clock,
    { defaultCountry: config.defaultCountry, defaultSender: config.sms.defaultSender },
    bulkAdmission,
  );
  const smsCampaigns = new SmsCampaigns(
    store,
    clock,
    createSystemTimer(clock),
    hub,
    serviceLog,
    {
      defaultCountry: config.defaultCountry,
      defaultSender: config.sms.defaultSender,
      progressIntervalMs: 1000,
    },
    bulkAdmission,
  );
  const smsMonitor = new SmsMonitor(clock);
  sms.onQueued(() => smsMonitor.count('accepted'));
  // Delivery-report callbacks need Hotline's address: configured, or learnt in listen().
  let callbackBase = config.sms.callbackBaseUrl;
  const routes = smsRoutesOf(config.sms).map((r) => smsRoute(r, () => callbackBase));
  const gateway = routes.length > 0 ? new SmsRouter(routes, smsMonitor, () => clock.now()) : null;
  const windows = routes.reduce((sum, r) => sum + r.gateway.stats().window, 0);
  // Without a route messages are stored and wait queued; they go out once one is configured.
  const dispatcher = gateway
    ? new SmsDispatcher(
        store,
        clock,
        o.smsTimer ?? createSystemTimer(clock),
        gateway,
        hub,
        serviceLog,
        {
          concurrency: windows * 2,
          retryDelayMs: 2000,
          campaigns: smsCampaigns,
          // PostgreSQL has connections to spare: 'submitting' marks need not wait behind receipts.
          separateStarts: database.kind === 'postgres',
        },
        { gate: (ids) => smsSchedule.gateMany(ids), onUndelivered: (tx, id) => smsBilling.settle(tx, id) },
      )
    : null;
  if (dispatcher) {
    sms.onQueued(() => dispatcher.wake());
    smsSchedule.useExclusive((id, fn) => dispatcher.exclusive(id, fn));
    smsBulk.onQueued(() => dispatcher.wake());
    smsCampaigns.onRunnable(() => dispatcher.wake());
  }
  smsBulk.onQueued((n) => {
    for (let i = 0; i < n; i++) smsMonitor.count('accepted');
  });
  // The SIP trunks' OPTIONS pings, once voice runs.
  let trunkHealth: { states(): TrunkReachability[] } | null = null;
  const checks: HealthCheck[] = [
    databaseCheck(store, clock, config.alarms.databaseSlowMs),
    queueWaitCheck(store, routing, clock, config.alarms.queueWaitMaxSec),
    trunkCheck(() => trunkHealth),
  ];
  if (gateway) checks.push(smscCheck(gateway));
  // The data directory holds PGlite's database and voicemail, also when the database is PostgreSQL.
  checks.push(diskCheck(diskProbe(config.database.dataDir), config.alarms.diskMinFreePercent));
  const alarms = new HealthMonitor(checks, sms, clock, createSystemTimer(clock), hub, serviceLog, {
    intervalMs: config.alarms.intervalSec * 1000,
    reNotifyMs: config.alarms.reNotifyMin * 60_000,
    onCall: config.alarms.onCall,
  });
  const smsOps = new SmsOperations(store, gateway, smsMonitor, () => clock.now());
  const interactions = new InteractionDesk(store, clock, audit, routing, customers);
  const smsMo = buildSmsMo();
  function buildSmsMo() {
    const webhooks = new SmsWebhooks(
      moStore,
      clock,
      createSystemTimer(clock),
      fetchWebhookTransport,
      hub,
      serviceLog,
      config.sms.webhook,
    );
    const topics = new SmsTopics(
      moStore,
      store,
      clock,
      audit,
      sms,
      optOuts,
      serviceLog,
      config.defaultCountry,
    );
    const workOrders = new WorkOrders(moStore, store, clock, sms, hub, serviceLog, config.defaultCountry);
    const conversations = new SmsConversations(
      moStore,
      store,
      clock,
      hub,
      interactions,
      sms,
      serviceLog,
      config.sms.inbound.queue,
    );
    const deps = { customers, outbox: sms, optOuts, topics, workOrders, conversations, webhooks };
    const inbound = new SmsInbound(moStore, clock, hub, serviceLog, deps, {
      defaultCountry: config.defaultCountry,
      duplicateWindowMs: config.sms.inbound.duplicateWindowSec * 1000,
      partTimeoutMs: config.sms.inbound.partTimeoutSec * 1000,
    });
    gateway?.onInbound((m) => {
      inbound.receive(m).catch((err: unknown) => serviceLog.error({ err }, 'inbound sms failed'));
    });
    return { inbound, optOuts, topics, workOrders, conversations, webhooks };
  }
  const ivrFlows = new IvrFlowLibrary(store, clock, audit);
  // Trunks of the configuration file and of the console, read before SIP starts.
  const sipTrunks = new SipTrunks(
    store,
    clock,
    audit,
    configTrunks(config.sip.trunks),
    serviceLog,
    config.voice.outboundTrunk,
    config.voice.callerId,
  );
  await sipTrunks.load();
  const ivrNumbers = new IvrNumbers(store, clock, audit, ivrFlows);
  const voicemail = new VoicemailBox(
    store,
    clock,
    new VoicemailFolder(config.sip.voicemailDir ?? join(config.database.dataDir, 'voicemail')),
    interactions,
    serviceLog,
  );
  const sipAccounts = new SipAccounts(store, (agentId) => routing.engine.hasAgent(agentId));
  const voiceDesk = new VoiceDesk(
    store,
    clock,
    audit,
    interactions,
    localRecordingFiles,
    config.sip.realm,
    sipAccounts,
  );
  const callControl = new CallControl({
    store,
    clock,
    log: serviceLog,
    interactions,
    holdFiles: [join(config.sip.promptsDir, config.sip.language, 'queue-hold.wav')],
    hub,
  });
  const supervision = new Supervision(store, clock, audit, serviceLog, sipAccounts);
  const softphones = new Softphones();
  // Uploaded prompts live with the other data, replacing the shipped ones of the same name.
  const promptFolders = new PromptFolders(config.sip.promptsDir, join(config.database.dataDir, 'prompts'));
  // Calls out through the trunk; the dialer and media arrive when SIP starts.
  const external = new ExternalCalls({
    dialer: null,
    media: null,
    store,
    clock,
    log: serviceLog,
    check: outboundChecker({ patterns: config.voice.dialPlan, defaultCountry: config.defaultCountry }),
    ringTimeoutMs: config.voice.ringTimeoutSec * 1000,
    recordingsDir: config.sip.recordingsDir,
  });
  const consults = new Consultations({
    store,
    clock,
    log: serviceLog,
    hub,
    control: callControl,
    routing,
    accounts: sipAccounts,
    external,
    desk: interactions,
    holdFiles: [join(config.sip.promptsDir, config.sip.language, 'queue-hold.wav')],
  });
  const dialOut = new DialOut({
    store,
    clock,
    log: serviceLog,
    routing,
    customers,
    external,
    accounts: sipAccounts,
    control: callControl,
  });
  const services: AppServices = {
    store,
    clock,
    auth,
    users: new UserDirectory(store, clock, audit),
    catalog,
    agents,
    queues: new QueueDirectory(store, clock, audit, routing),
    customers,
    interactions,
    desk: new AgentDesk(store, audit, routing, catalog, agents),
    routing,
    hub,
    sms,
    smsBulk,
    smsCampaigns,
    smsDunning: new SmsDunning(
      createDunningStore(database),
      store,
      clock,
      { outbox: sms, billing: smsBilling, schedule: smsSchedule, optOuts },
      serviceLog,
      { defaultCountry: config.defaultCountry },
    ),
    alarms,
    smsOps,
    smsAccounts: new SmsAccounts(store, clock, audit, smsBilling, config.sms.currency),
    smsSchedule,
    smsMo,
    ivrFlows,
    ivrNumbers,
    voicemail,
    voice: voiceDesk,
    callControl,
    supervision,
    consults,
    softphones,
    prompts: new PromptLibrary(promptFolders, store, audit),
    trunks: sipTrunks,
    dialOut,
    health: async (): Promise<HealthReport> => {
      const started = performance.now();
      const parts: HealthReport['parts'] = {};
      if (gateway) {
        const g = gateway.state();
        parts.smsc = {
          status: g.bound ? 'ok' : 'down',
          detail: g.detail,
          routes: gateway
            .routeStates()
            .map((r) => ({ name: r.name, driver: r.driver, up: r.up, detail: r.detail })),
        };
      }
      try {
        await database.ping();
        parts.database = {
          status: 'ok',
          detail: database.kind,
          latencyMs: Math.round((performance.now() - started) * 10) / 10,
        };
      } catch (err) {
        parts.database = { status: 'down', detail: (err as Error).message };
      }
      const open = alarms.view().open;
      parts.alarms = open.length
        ? { status: 'down', detail: open.map((a) => `${a.key}: ${a.detail}`).join('; ') }
        : { status: 'ok', detail: 'no open alarm' };
      const down = Object.values(parts).some((p) => p.status === 'down');
      return { status: down ? 'degraded' : 'ok', parts };
    },
  };

  // The API's plugins load before background work starts: a resumed campaign or a backlog of
  // receipts must not starve plugin loading into its timeout on a busy machine.
  const app = await buildApp(services, {
    logger: log,
    bodyLimitBytes: config.http.bodyLimitBytes,
    requestTimeoutMs: config.http.requestTimeoutMs,
    trustProxy: config.http.trustProxy,
    version: packageVersion(),
    webDir: join(dirname(migrationsFolder()), 'web', 'dist'),
  });
  app.server.headersTimeout = config.http.headersTimeoutMs;
  const first = await auth.ensureFirstAdmin(config.auth.adminUsername, config.auth.adminPassword);
  const restored = await routing.start();
  await smsBilling.ensureInternalAccount();
  await smsCampaigns.start();
  await dispatcher?.start();
  alarms.start();
  await smsMo.webhooks.start();
  smsMo.topics.startSchedules(createSystemTimer(clock));
  // After routing has restored its queues, so the first call can already be queued.
  const voice = config.sip.enabled
    ? await startVoice(config, {
        interactions: services.interactions,
        routing,
        ivrNumbers,
        customers,
        voicemail,
        clock,
        log: serviceLog,
        hub,
        store,
        voiceDesk,
        callControl,
        supervision,
        consults,
        softphones,
        promptFolders,
        external,
        dialOut,
        trunkHealth: (source) => (trunkHealth = source),
        trunks: sipTrunks,
      })
    : null;

  let closed = false;
  return {
    app,
    services,
    config,
    firstAdmin: first.created ? { username: config.auth.adminUsername, password: first.password } : null,
    restored,
    voice,
    async listen() {
      const address = await app.listen({ host: config.http.host, port: config.http.port });
      callbackBase ??= address;
      return address;
    },
    async close() {
      if (closed) return;
      closed = true;
      // Stop taking requests, let routing finish its writes, then close the database.
      await app.close();
      // Hanging up first lets the abandons of waiting callers reach routing before it stops.
      await voice?.close();
      await routing.stop();
      // Closing the bind answers its queued submits as 'retry', so the dispatcher can finish.
      await Promise.all([dispatcher?.stop(), gateway?.close(), smsCampaigns.stop(), alarms.stop()]);
      await Promise.all([smsMo.inbound.idle(), smsMo.webhooks.stop(), smsMo.topics.stopSchedules()]);
      await database.close();
    },
  };
}

async function run(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof DomainError) {
      console.error(`hotline: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = pino({ level: config.log.level });
  const hotline = await createHotline(config, { logger: log });
  const address = await hotline.listen();
  if (hotline.firstAdmin) {
    const pw = hotline.firstAdmin.password;
    log.info({ username: hotline.firstAdmin.username }, 'created the first admin account');
    if (pw) {
      // Printed once on the console (not into the structured log) so the operator can log in.
      console.log(
        `\n  First admin account created.\n  Log in at ${address}/api/docs with username "${hotline.firstAdmin.username}" and password: ${pw}\n  (set HOTLINE_ADMIN_PASSWORD to choose it yourself)\n`,
      );
    }
  }
  log.info(
    { address, database: config.database.url ? 'postgres' : 'pglite', ...hotline.restored },
    'hotline is serving',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    hotline
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === 'smsc-sim') {
    // `hotline smsc-sim`: the SMSC simulator for development and tests.
    import('./tools/smsc-sim.js')
      .then(({ runSmscSim }) => runSmscSim(process.argv.slice(3), process.env))
      .catch((err: unknown) => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(1);
      });
  } else {
    run().catch((err: unknown) => {
      console.error('hotline failed to start:', err);
      process.exit(1);
    });
  }
}
