// The ESME side: one SMPP bind to an SMSC, kept up by reconnecting with back-off. Submits go
// through a local FIFO into a window of in-flight submit_sm, paced per bind; deliver_sm is
// answered before anything else is done with it, then classified and emitted.
import { EventEmitter } from 'node:events';
import { connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { SmppAddress } from './address.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { SmppConnection, type ProtocolViolation, type RequestOutcome } from './connection.js';
import { classifyDelivery, type MobileOriginated } from './deliver.js';
import { CODEC_MAX_PDU_LENGTH, type Pdu, type PduValue } from './pdu.js';
import type { DeliveryReceipt } from './receipt.js';
import { ReceiptMatcher } from './receipt-matcher.js';
import { SmppStatus, statusHex } from './status.js';
import {
  readSubmitOutcome,
  submitFields,
  type PauseRule,
  type SubmitRequest,
  type SubmitResult,
} from './submit.js';
import { SubmitQueue, type QueuedSubmit } from './submit-queue.js';

/** Lifecycle of a bind, for health. */
export type BindState = 'idle' | 'connecting' | 'bound' | 'unbound' | 'down' | 'closed';

/** A state change; `retryInMs` is set on 'down' while a reconnect is scheduled. */
export interface BindStateChange {
  state: BindState;
  reason?: string;
  retryInMs?: number;
}

/** A receipt (with the submit's reference when matched) or a mobile-originated message. */
export type DeliverEvent =
  | {
      kind: 'receipt';
      receipt: DeliveryReceipt;
      source: SmppAddress;
      destination: SmppAddress;
      reference?: string;
    }
  | { kind: 'mo'; message: MobileOriginated };

/** Events of SmppBind. There is no 'error' event: failures are states and results. */
export interface BindEvents {
  state: [BindStateChange];
  deliver: [DeliverEvent];
  paused: [{ reason: PauseRule['reason']; pauseMs: number }];
  violation: [ProtocolViolation];
}

/** Settings of one bind. Times in ms. */
export interface SmppBindOptions {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** Default 'transceiver'. A 'transmitter' + 'receiver' pair is two SmppBinds sharing a matcher. */
  mode?: 'transceiver' | 'transmitter' | 'receiver';
  addressRange?: string;
  /** submit_sm per second on this bind. */
  submitsPerSecond: number;
  /** submit_sm in flight at once; default 10. */
  windowSize?: number;
  /** Wait for a submit_sm_resp / enquire_link_resp; default 10 s. */
  responseTimeoutMs?: number;
  /** TCP connect plus bind_resp; default 10 s. */
  bindTimeoutMs?: number;
  /** Default 30 s. */
  enquireLinkIntervalMs?: number;
  /** Pause after ESME_RTHROTTLED (0x58); default 1 s. */
  throttlePauseMs?: number;
  /** Pause after ESME_RMSGQFUL (0x14); default 5 s. */
  queueFullPauseMs?: number;
  /** Further statuses answered 'retry' (without pausing); all others not listed fail for good. */
  retryStatuses?: readonly number[];
  /** Submits waiting locally at most; default 10,000. */
  maxQueued?: number;
  /** A submit waiting locally longer than this (e.g. bind down) comes back as retry; default 30 s. */
  maxQueueWaitMs?: number;
  /** Largest PDU accepted from the SMSC; default and cap 16 KiB. */
  maxPduLength?: number;
  reconnect?: Partial<BackoffPolicy>;
  /** Shared with the other binds to the same SMSC; one is made when absent. */
  matcher?: ReceiptMatcher<Extract<DeliverEvent, { kind: 'receipt' }>>;
  /** Monotonic clock for pacing and matching; default performance.now. */
  now?: () => number;
  /** Jitter source, [0, 1); default Math.random. */
  random?: () => number;
}

/** An SMPP 3.4 ESME bind with window, pacing, receipts and reconnection. */
export class SmppBind extends EventEmitter<BindEvents> {
  private readonly opts: Required<
    Omit<SmppBindOptions, 'addressRange' | 'systemType' | 'reconnect' | 'matcher'>
  >;
  private readonly backoff: BackoffPolicy;
  private readonly queue: SubmitQueue;
  private readonly matcher: NonNullable<SmppBindOptions['matcher']>;
  private readonly pauseRules: PauseRule[];
  private readonly retryStatuses: Set<number>;
  private current: BindState = 'idle';
  private conn: SmppConnection | undefined;
  private attempt = 0;
  private downReason: string | undefined;
  private stopping = false;
  private closing: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private enquireTimer: NodeJS.Timeout | undefined;
  private enquirePending = false;

  constructor(private readonly options: SmppBindOptions) {
    super();
    this.opts = {
      host: options.host,
      port: options.port,
      systemId: options.systemId,
      password: options.password,
      mode: options.mode ?? 'transceiver',
      submitsPerSecond: options.submitsPerSecond,
      windowSize: Math.max(1, options.windowSize ?? 10),
      responseTimeoutMs: options.responseTimeoutMs ?? 10_000,
      bindTimeoutMs: options.bindTimeoutMs ?? 10_000,
      enquireLinkIntervalMs: options.enquireLinkIntervalMs ?? 30_000,
      throttlePauseMs: options.throttlePauseMs ?? 1000,
      queueFullPauseMs: options.queueFullPauseMs ?? 5000,
      retryStatuses: options.retryStatuses ?? [],
      maxQueued: options.maxQueued ?? 10_000,
      maxQueueWaitMs: options.maxQueueWaitMs ?? 30_000,
      maxPduLength: Math.min(options.maxPduLength ?? CODEC_MAX_PDU_LENGTH, CODEC_MAX_PDU_LENGTH),
      now: options.now ?? (() => performance.now()),
      random: options.random ?? Math.random,
    };
    this.backoff = { ...DEFAULT_BACKOFF, ...options.reconnect };
    this.queue = new SubmitQueue(this.opts, (submit) => this.send(submit));
    this.matcher = options.matcher ?? new ReceiptMatcher();
    this.pauseRules = [
      { status: SmppStatus.THROTTLED, reason: 'throttled', pauseMs: this.opts.throttlePauseMs },
      { status: SmppStatus.MESSAGE_QUEUE_FULL, reason: 'queue-full', pauseMs: this.opts.queueFullPauseMs },
    ];
    this.retryStatuses = new Set(this.opts.retryStatuses);
  }

  /** Current lifecycle state. */
  get state(): BindState {
    return this.current;
  }

  /** Numbers for health and metrics. */
  get stats(): { state: BindState; inFlight: number; queued: number; pausedForMs: number } {
    const q = this.queue;
    return { state: this.current, inFlight: q.inFlight, queued: q.queued, pausedForMs: q.pausedForMs };
  }

  /** Connects and binds; reconnects on its own until close(). */
  start(): void {
    if (this.current !== 'idle') return;
    this.connect();
  }

  /**
   * Queues one submit_sm. Resolves when the SMSC answered, or when it is clear it will not be
   * sent now ('retry'); never rejects.
   */
  submit(req: SubmitRequest): Promise<SubmitResult> {
    if (this.stopping) return Promise.resolve({ status: 'retry', reason: 'closed' });
    if (this.current === 'idle') return Promise.resolve({ status: 'retry', reason: 'not-bound' });
    if (this.opts.mode === 'receiver') {
      return Promise.resolve({ status: 'failed', smppStatus: SmppStatus.INVALID_BIND_STATUS });
    }
    const prepared = submitFields(req);
    if ('refused' in prepared) return Promise.resolve({ status: 'failed', smppStatus: prepared.refused });
    return this.queue.add(prepared.fields, req.reference);
  }

  /**
   * Stops reconnecting, returns queued submits as retry, lets in-flight ones finish (each is
   * bounded by the response timeout), unbinds and closes. Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    this.queue.setReady(false);
    this.queue.dropAll('closed');
    const conn = this.conn;
    if (conn?.isOpen) {
      while (this.queue.inFlight > 0 && conn.isOpen) await sleep(5);
      if (this.current === 'bound' && conn.isOpen) {
        await conn.request('unbind', {}, Math.min(this.opts.responseTimeoutMs, 2000));
        this.setState({ state: 'unbound', reason: 'closing' });
      }
      conn.end();
    }
    await conn?.whenClosed;
    this.stopTimers();
    this.setState({ state: 'closed' });
  }

  private setState(change: BindStateChange): void {
    this.current = change.state;
    this.emit('state', change);
  }

  private connect(): void {
    this.reconnectTimer = undefined;
    if (this.stopping) return;
    this.downReason = undefined;
    this.setState({ state: 'connecting' });
    const socket = tcpConnect({ host: this.opts.host, port: this.opts.port });
    const conn = new SmppConnection(socket, this.opts.maxPduLength);
    this.conn = conn;
    const guard = setTimeout(() => {
      this.downReason ??= 'bind timeout';
      conn.destroy();
    }, this.opts.bindTimeoutMs);
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.downReason ??= e.code ?? 'socket error';
    });
    socket.once('connect', () => void this.bind(conn, guard));
    conn.on('request', (pdu) => this.onRequest(conn, pdu));
    conn.on('violation', (v) => this.emit('violation', v));
    conn.once('close', () => {
      clearTimeout(guard);
      this.onClosed(conn);
    });
  }

  private async bind(conn: SmppConnection, guard: NodeJS.Timeout): Promise<void> {
    const fields: Record<string, PduValue | undefined> = {
      system_id: this.opts.systemId,
      password: this.opts.password,
      system_type: this.options.systemType ?? '',
      interface_version: 0x34,
      address_range: this.options.addressRange ?? '',
    };
    const command = `bind_${this.opts.mode}`;
    const outcome = await conn.request(command, fields, this.opts.bindTimeoutMs);
    clearTimeout(guard);
    if (conn !== this.conn || !conn.isOpen) return;
    if (
      outcome.kind === 'response' &&
      outcome.pdu.status === 0 &&
      outcome.pdu.command === `${command}_resp`
    ) {
      this.attempt = 0;
      this.setState({ state: 'bound' });
      this.startEnquireLink(conn);
      if (!this.stopping) this.queue.setReady(true);
      return;
    }
    this.downReason =
      outcome.kind === 'response' ? `bind refused ${statusHex(outcome.pdu.status)}` : `bind ${outcome.kind}`;
    conn.destroy();
  }

  private onClosed(conn: SmppConnection): void {
    if (conn !== this.conn) return;
    this.conn = undefined;
    this.stopTimers();
    if (this.stopping) return;
    const delay = backoffDelay(this.attempt++, this.backoff, this.opts.random);
    this.setState({ state: 'down', reason: this.downReason ?? 'connection lost', retryInMs: delay });
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private stopTimers(): void {
    this.queue.setReady(false);
    clearInterval(this.enquireTimer);
    this.enquireTimer = undefined;
    this.enquirePending = false;
  }

  private startEnquireLink(conn: SmppConnection): void {
    this.enquireTimer = setInterval(() => {
      if (this.enquirePending) return;
      this.enquirePending = true;
      void conn.request('enquire_link', {}, this.opts.responseTimeoutMs).then((o) => {
        this.enquirePending = false;
        if (o.kind !== 'timeout') return;
        // A link that cannot answer enquire_link is dead even if TCP has not noticed.
        this.downReason = 'enquire_link unanswered';
        conn.destroy();
      });
    }, this.opts.enquireLinkIntervalMs);
  }

  private onRequest(conn: SmppConnection, pdu: Pdu): void {
    switch (pdu.command) {
      case 'enquire_link':
        conn.respond(pdu);
        return;
      case 'deliver_sm':
      case 'data_sm':
        // Answer first: an SMSC that waits on us resends, and our processing can be slow.
        conn.respond(pdu);
        this.onDelivery(pdu);
        return;
      case 'unbind':
        conn.respond(pdu);
        this.downReason = 'unbound by SMSC';
        this.setState({ state: 'unbound', reason: this.downReason });
        conn.end();
        return;
      case 'alert_notification':
        return; // has no response in SMPP 3.4
      default:
        conn.genericNack(pdu.sequence, SmppStatus.INVALID_COMMAND_ID);
    }
  }

  private onDelivery(pdu: Pdu): void {
    const delivery = classifyDelivery(pdu);
    if (delivery.kind === 'mo') {
      this.emit('deliver', delivery);
      return;
    }
    const matched = this.matcher.receipt(delivery.receipt.messageId, delivery, this.opts.now());
    if (matched) this.emitReceipt(matched.receipt, matched.reference);
  }

  private emitReceipt(
    event: Extract<DeliverEvent, { kind: 'receipt' }>,
    reference: string | undefined,
  ): void {
    this.emit('deliver', reference === undefined ? event : { ...event, reference });
  }

  private send(job: QueuedSubmit): void {
    const token = this.matcher.begin();
    const conn = this.conn;
    let sent: Promise<RequestOutcome>;
    try {
      sent = conn ? conn.request('submit_sm', job.fields, this.opts.responseTimeoutMs) : notSent();
    } catch {
      // The codec refused a field submitFields let through: a bug here, never a reason to crash.
      this.matcher.settled(token);
      job.resolve({ status: 'failed', smppStatus: SmppStatus.SYSTEM_ERROR });
      this.queue.finished();
      return;
    }
    void sent.then((outcome) => {
      const { result, pause } = readSubmitOutcome(outcome, this.pauseRules, this.retryStatuses);
      if (pause) {
        this.queue.pauseFor(pause.pauseMs);
        this.emit('paused', { reason: pause.reason, pauseMs: pause.pauseMs });
      }
      const released =
        result.status === 'accepted'
          ? this.matcher.accepted(token, result.messageId, job.reference, this.opts.now())
          : this.matcher.settled(token);
      job.resolve(result);
      for (const r of released) this.emitReceipt(r.receipt, r.reference);
      this.queue.finished();
    });
  }
}

function notSent(): Promise<RequestOutcome> {
  return Promise.resolve({ kind: 'not-sent' });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
