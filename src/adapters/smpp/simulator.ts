// An SMSC for development and tests: accepts binds, answers submit_sm with ids, sends receipts and
// MO messages, and misbehaves on request (see fault-plan.ts). It keeps counts of what it received
// so tests can check the ESME from the other side of the wire. Listens on 127.0.0.1 only.
import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SmppConnection, type ProtocolViolation } from './connection.js';
import { faultFor } from './fault-plan.js';
import { bytesField, CODEC_MAX_PDU_LENGTH, intField, textField, type Pdu, type PduValue } from './pdu.js';
import { SimulatedReceipts, type SimulatedSubmit } from './simulator-receipts.js';
import { EsmClass, SmppStatus } from './status.js';
import { MAX_SHORT_MESSAGE } from './submit.js';

export type { SimulatedSubmit } from './simulator-receipts.js';

/** Settings of SmscSimulator. Times in ms. */
export interface SmscSimulatorOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Accounts allowed to bind; absent = any system_id/password. */
  accounts?: readonly { systemId: string; password: string }[];
  /** Delay before every response; default 0. */
  latencyMs?: number;
  /** Delay of the …0777 fault's response; default 3000. */
  slowMs?: number;
  /** Delay from submit_sm_resp to its receipt; default 50. */
  receiptDelayMs?: number;
  /** Send every receipt before its submit_sm_resp (as …0033 does for one number). */
  receiptBeforeResponse?: boolean;
  /** How submit_sm_resp ids are written; default 'hex' (8 upper-case digits). */
  messageIdFormat?: 'hex' | 'decimal';
  /** How the receipt text writes the id: 'same', or 'decimal' (10 digits) as some SMSCs do. */
  receiptIdFormat?: 'same' | 'decimal';
  /** Put receipted_message_id / message_state TLVs in receipts; default true. */
  receiptTlvs?: boolean;
  /** The SMSC's own enquire_link period on each bound session; default 0 = never. */
  enquireLinkIntervalMs?: number;
  maxPduLength?: number;
  /** Submits kept in `submits` (oldest dropped); default 10,000. */
  keepSubmits?: number;
  /** Wall clock for receipt dates; default Date.now. */
  wallClock?: () => number;
}

/** What the simulator has seen, for tests. */
export interface SimulatorCounts {
  connections: number;
  binds: number;
  bindsRefused: number;
  submits: number;
  enquireLinks: number;
  enquireLinkResps: number;
  unbinds: number;
  deliverSmResps: number;
  receiptsSent: number;
  moSent: number;
  violations: number;
}

/** Events of SmscSimulator. */
export interface SimulatorEvents {
  submit: [SimulatedSubmit];
  bind: [{ systemId: string; mode: string }];
  violation: [ProtocolViolation];
}

/** A bound (or not yet bound) ESME connection. */
export interface SimSession {
  conn: SmppConnection;
  systemId?: string;
  mode?: 'transceiver' | 'transmitter' | 'receiver';
  enquireTimer?: NodeJS.Timeout;
}

const zeroCounts = (): SimulatorCounts => ({
  connections: 0,
  binds: 0,
  bindsRefused: 0,
  submits: 0,
  enquireLinks: 0,
  enquireLinkResps: 0,
  unbinds: 0,
  deliverSmResps: 0,
  receiptsSent: 0,
  moSent: 0,
  violations: 0,
});

/** An in-process SMSC on 127.0.0.1. */
export class SmscSimulator extends EventEmitter<SimulatorEvents> {
  /** Counters since start (or resetCounts). */
  counts: SimulatorCounts = zeroCounts();
  /** Received submits, newest last. */
  readonly submits: SimulatedSubmit[] = [];
  /** submit_sm received and not yet answered, now and at most. */
  inFlight = 0;
  maxInFlight = 0;
  /** Delay before every response; may be changed while running. */
  latencyMs: number;

  private readonly server: Server;
  private readonly sessions = new Set<SimSession>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly receipts: SimulatedReceipts;
  private nextId: number;
  private boundPort = 0;

  constructor(private readonly options: SmscSimulatorOptions = {}) {
    super();
    this.latencyMs = options.latencyMs ?? 0;
    this.nextId = options.messageIdFormat === 'decimal' ? 1_000_001 : 0x0a1b0000;
    this.receipts = new SimulatedReceipts(
      {
        messageIdFormat: options.messageIdFormat ?? 'hex',
        receiptIdFormat: options.receiptIdFormat ?? 'same',
        receiptTlvs: options.receiptTlvs ?? true,
        wallClock: options.wallClock ?? Date.now,
      },
      (systemId) => this.receiverFor(systemId),
      { sent: () => this.counts.receiptsSent++, answered: () => this.counts.deliverSmResps++ },
    );
    this.server = createServer((socket) => this.onSocket(socket));
    this.server.on('error', () => {});
  }

  /** The listening port (after start). */
  get port(): number {
    return this.boundPort;
  }

  /** ESME sessions currently bound. */
  get boundSessions(): number {
    return [...this.sessions].filter((s) => s.mode !== undefined).length;
  }

  /** Starts listening on 127.0.0.1; resolves with the port. */
  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : 0;
    return this.boundPort;
  }

  /** Closes every session and stops listening. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.receipts.stop();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.dropConnections();
    await closed;
  }

  /** Cuts every ESME connection at once (no unbind), as a crashing SMSC would. */
  dropConnections(): void {
    for (const s of this.sessions) s.conn.destroy();
  }

  /** Zeroes the counters and window measurement. */
  resetCounts(): void {
    this.counts = zeroCounts();
    this.maxInFlight = this.inFlight;
  }

  /** Writes bytes as they are to every bound session (malformed-input tests). */
  injectRaw(bytes: Buffer): void {
    for (const s of this.sessions) if (s.mode) s.conn.writeRaw(bytes);
  }

  /** Sends enquire_link to every bound session; resolves with how many answered. */
  async enquireLink(timeoutMs = 2000): Promise<number> {
    const bound = [...this.sessions].filter((s) => s.mode);
    const outcomes = await Promise.all(bound.map((s) => s.conn.request('enquire_link', {}, timeoutMs)));
    const answered = outcomes.filter((o) => o.kind === 'response').length;
    this.counts.enquireLinkResps += answered;
    return answered;
  }

  /** Sends an MO deliver_sm to a receiving session; resolves true when deliver_sm_resp says OK. */
  async sendMo(mo: {
    source: string;
    destination: string;
    shortMessage: Buffer;
    dataCoding?: number;
    udh?: Buffer;
    systemId?: string;
  }): Promise<boolean> {
    const session = this.receiverFor(mo.systemId);
    if (!session) return false;
    const body = mo.udh ? Buffer.concat([mo.udh, mo.shortMessage]) : mo.shortMessage;
    const long = body.length > MAX_SHORT_MESSAGE;
    this.counts.moSent++;
    const outcome = await session.conn.request(
      'deliver_sm',
      {
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: mo.source,
        destination_addr: mo.destination,
        esm_class: mo.udh ? EsmClass.UDH_INDICATOR : 0,
        data_coding: mo.dataCoding ?? 0,
        short_message: long ? Buffer.alloc(0) : body,
        message_payload: long ? body : undefined,
      },
      5000,
    );
    const ok = outcome.kind === 'response' && outcome.pdu.status === 0;
    if (ok) this.counts.deliverSmResps++;
    return ok;
  }

  private receiverFor(systemId: string | undefined): SimSession | undefined {
    for (const s of this.sessions) {
      if (s.mode && s.mode !== 'transmitter' && (systemId === undefined || s.systemId === systemId)) return s;
    }
    return undefined;
  }

  private onSocket(socket: Socket): void {
    this.counts.connections++;
    const session: SimSession = {
      conn: new SmppConnection(socket, this.options.maxPduLength ?? CODEC_MAX_PDU_LENGTH),
    };
    this.sessions.add(session);
    session.conn.on('request', (pdu) => this.onRequest(session, pdu));
    session.conn.on('violation', (v) => {
      this.counts.violations++;
      this.emit('violation', v);
    });
    session.conn.once('close', () => {
      clearInterval(session.enquireTimer);
      this.sessions.delete(session);
    });
  }

  private later(ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Answers after the configured latency, then runs `then` (e.g. to close). */
  private respond(
    session: SimSession,
    pdu: Pdu,
    status: number,
    fields?: Record<string, PduValue>,
    then?: () => void,
  ) {
    this.later(this.latencyMs, () => {
      session.conn.respond(pdu, status, fields);
      then?.();
    });
  }

  private onRequest(session: SimSession, pdu: Pdu): void {
    switch (pdu.command) {
      case 'bind_transceiver':
      case 'bind_transmitter':
      case 'bind_receiver':
        this.onBind(session, pdu);
        return;
      case 'submit_sm':
        this.onSubmit(session, pdu);
        return;
      case 'enquire_link':
        this.counts.enquireLinks++;
        this.respond(session, pdu, SmppStatus.OK);
        return;
      case 'unbind':
        this.counts.unbinds++;
        this.respond(session, pdu, SmppStatus.OK, undefined, () => session.conn.end());
        return;
      default:
        session.conn.genericNack(pdu.sequence, SmppStatus.INVALID_COMMAND_ID);
    }
  }

  private onBind(session: SimSession, pdu: Pdu): void {
    const systemId = textField(pdu, 'system_id') ?? '';
    const password = textField(pdu, 'password') ?? '';
    const accounts = this.options.accounts;
    const account = accounts?.find((a) => a.systemId === systemId);
    let status: number = SmppStatus.OK;
    if (session.mode) status = SmppStatus.ALREADY_BOUND;
    else if (accounts && !account) status = SmppStatus.INVALID_SYSTEM_ID;
    else if (account && account.password !== password) status = SmppStatus.INVALID_PASSWORD;
    if (status !== SmppStatus.OK) {
      this.counts.bindsRefused++;
      this.respond(session, pdu, status, undefined, () => {
        if (status !== SmppStatus.ALREADY_BOUND) session.conn.end();
      });
      return;
    }
    session.systemId = systemId;
    session.mode = pdu.command.slice('bind_'.length) as SimSession['mode'];
    this.counts.binds++;
    this.respond(session, pdu, status, { system_id: 'HotlineSim' });
    this.emit('bind', { systemId, mode: session.mode ?? '' });
    const period = this.options.enquireLinkIntervalMs ?? 0;
    if (period > 0) session.enquireTimer = setInterval(() => void this.enquireSession(session), period);
    if (session.mode !== 'transmitter') this.receipts.flush(systemId);
  }

  private async enquireSession(session: SimSession): Promise<void> {
    const outcome = await session.conn.request('enquire_link', {}, 2000);
    if (outcome.kind === 'response') this.counts.enquireLinkResps++;
  }

  private onSubmit(session: SimSession, pdu: Pdu): void {
    if (!session.mode || session.mode === 'receiver') {
      session.conn.respond(pdu, SmppStatus.INVALID_BIND_STATUS);
      return;
    }
    this.counts.submits++;
    const submit: SimulatedSubmit = {
      systemId: session.systemId ?? '',
      source: textField(pdu, 'source_addr') ?? '',
      sourceTon: intField(pdu, 'source_addr_ton') ?? 0,
      sourceNpi: intField(pdu, 'source_addr_npi') ?? 0,
      destination: textField(pdu, 'destination_addr') ?? '',
      destinationTon: intField(pdu, 'dest_addr_ton') ?? 0,
      destinationNpi: intField(pdu, 'dest_addr_npi') ?? 0,
      esmClass: intField(pdu, 'esm_class') ?? 0,
      dataCoding: intField(pdu, 'data_coding') ?? 0,
      registeredDelivery: intField(pdu, 'registered_delivery') ?? 0,
      shortMessage: bytesField(pdu, 'short_message') ?? Buffer.alloc(0),
      messagePayload: bytesField(pdu, 'message_payload'),
      validityPeriod: textField(pdu, 'validity_period') ?? '',
      atMs: performance.now(),
    };
    this.submits.push(submit);
    if (this.submits.length > (this.options.keepSubmits ?? 10_000)) this.submits.shift();
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.emit('submit', submit);
    const answered = () => this.inFlight--;
    const fault = faultFor(submit.destination);
    switch (fault.kind) {
      case 'no-response':
        answered(); // never answered: it leaves the window measurement at once
        return;
      case 'status':
        this.respond(session, pdu, fault.status, undefined, answered);
        return;
      default:
        break;
    }
    submit.messageId = this.newMessageId();
    const early = fault.kind === 'early-receipt' || this.options.receiptBeforeResponse === true;
    const delay = this.latencyMs + (fault.kind === 'slow' ? (this.options.slowMs ?? 3000) : 0);
    if (early) this.receipts.schedule(submit, fault, 0);
    this.later(delay, () => {
      answered();
      session.conn.respond(pdu, SmppStatus.OK, { message_id: submit.messageId ?? '' });
      if (!early) this.receipts.schedule(submit, fault, this.options.receiptDelayMs ?? 50);
    });
  }

  private newMessageId(): string {
    const n = this.nextId++;
    return this.options.messageIdFormat === 'decimal'
      ? String(n)
      : n.toString(16).toUpperCase().padStart(8, '0');
  }
}
