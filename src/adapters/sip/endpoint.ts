// A SIP endpoint: transports, protection and the transaction layer behind a small API for the
// transaction user (call control, registrar). Inbound, in order: banned sources dropped unread,
// parser refusals answered statelessly (or dropped), scanners and floods dropped, RFC 3261 8.2
// checks answered statelessly, retransmissions absorbed, CANCEL answered here, then the request
// handlers; an OPTIONS nobody claims is answered here too.
import { parseVia, type Via } from './headers.js';
import { headerValue, readTopVia, type SipMessage, type SipRequest, type SipResponse } from './message.js';
import type { ParseResult } from './parser.js';
import { SipProtection, type ProtectionOptions } from './protection.js';
import { TcpTransport, type TcpTransportOptions } from './transport-tcp.js';
import {
  asError,
  responseTarget,
  type SipProtocol,
  type SipSource,
  type SipTarget,
  type SipTransport,
} from './transport.js';
import { UdpTransport } from './transport-udp.js';
import type { ClientTransaction } from './transactions/client-transaction.js';
import { TransactionLayer } from './transactions/layer.js';
import {
  buildCancel,
  buildResponse,
  newBranch,
  newTag,
  responseToPartial,
  stampVia,
} from './transactions/messages.js';
import type { ServerTransaction } from './transactions/server-transaction.js';
import { realScheduler, type Scheduler, type TimerSettings } from './transactions/timers.js';
import { KNOWN_METHODS, validateRequest, validateResponse, type ValidationOptions } from './validate.js';

/** Options of SipEndpoint. */
export interface SipEndpointOptions {
  /** Address every transport binds; default 127.0.0.1. */
  address?: string;
  /** UDP listening point; default port 5060, 0 picks a free one; false: none. */
  udp?: { port?: number } | false;
  /** TCP listening point; default port 5060; false: none. */
  tcp?: Omit<TcpTransportOptions, 'address' | 'admit' | 'maxMessageSize'> | false;
  /** Ready-made transports instead of udp/tcp (tests, other bindings). */
  transports?: SipTransport[];
  timers?: Partial<TimerSettings>;
  scheduler?: Scheduler;
  /** Rate limit, bans, scanner list, message size; false disables (a trusted lab network). */
  protection?: ProtectionOptions | false;
  /** What the 8.2 checks accept (methods, URI schemes, extensions, body types). */
  validation?: ValidationOptions;
  /** Answer an OPTIONS no handler claims with 200 OK and Allow. Default true. */
  answerOptions?: boolean;
  /** The answer to any other request no handler claims. Default 480 Temporarily Unavailable. */
  unclaimed?: { status: number; reason: string };
  /** Answer UDP at the source port even without rport (NATed phones). Default true. */
  symmetricResponses?: boolean;
  /** Server transactions alive at most; beyond, new requests get 503. Default 20000. */
  maxServerTransactions?: number;
}

/**
 * Gets each new request's transaction; returning false declines it (the next handler, or the
 * endpoint's own answer, takes it). A returned promise that rejects answers 500.
 */
export type RequestHandler = (tx: ServerTransaction) => boolean | void | Promise<unknown>;

/** Gets an ACK no transaction took: the ACK for a 2xx, which belongs to the dialog. */
export type AckHandler = (ack: SipRequest, source: SipSource) => void;

/** Options of SipEndpoint.request. */
export interface RequestOptions {
  /** Each response as it arrives: provisional, final, and later 2xx of a forked INVITE. */
  onResponse?: (res: SipResponse) => void;
  /** For an INVITE: aborting sends CANCEL as soon as a provisional response allows (RFC 3261 9.1). */
  signal?: AbortSignal;
}

/** What the endpoint counted; protection and transports keep counters of their own. */
export interface EndpointCounters {
  requests: number;
  responses: number;
  /** Requests answered with an error without reaching a transaction (parser or 8.2 checks). */
  refused: number;
  /** Messages dropped: unanswerable garbage, invalid responses, protection verdicts. */
  dropped: number;
  /** Retransmissions and ACKs a transaction absorbed. */
  absorbed: number;
  /** ACKs passed to the ACK handlers. */
  acks: number;
  /** Responses matching no client transaction. */
  strayResponses: number;
  /** New requests refused with 503 for too many live transactions. */
  overloaded: number;
  /** Handler failures answered with 500, and internal faults. */
  internalErrors: number;
  sendErrors: number;
}

/**
 * A SIP user agent core's lower half.
 * @example
 * const sip = await SipEndpoint.start({ udp: { port: 5060 }, tcp: { port: 5060 } });
 * sip.onRequest((tx) => { if (tx.method !== 'INVITE') return false; tx.respond(486, 'Busy Here'); });
 */
export class SipEndpoint {
  readonly counters: EndpointCounters = {
    requests: 0,
    responses: 0,
    refused: 0,
    dropped: 0,
    absorbed: 0,
    acks: 0,
    strayResponses: 0,
    overloaded: 0,
    internalErrors: 0,
    sendErrors: 0,
  };
  /** The rate limiter and scanner filter, when enabled. */
  readonly protection: SipProtection | undefined;
  readonly layer: TransactionLayer;
  readonly transports: readonly SipTransport[];
  private readonly scheduler: Scheduler;
  private readonly handlers: RequestHandler[] = [];
  private readonly ackHandlers: AckHandler[] = [];
  private readonly validation: ValidationOptions;
  private readonly allow: string;
  private readonly answerOptions: boolean;
  private readonly unclaimed: { status: number; reason: string };
  private readonly symmetric: boolean;

  constructor(options: SipEndpointOptions = {}) {
    this.scheduler = options.scheduler ?? realScheduler;
    this.protection = options.protection === false ? undefined : new SipProtection(options.protection);
    this.validation = options.validation ?? {};
    this.allow = (this.validation.methods ?? KNOWN_METHODS.filter((m) => m !== 'PUBLISH')).join(', ');
    this.answerOptions = options.answerOptions ?? true;
    this.unclaimed = options.unclaimed ?? { status: 480, reason: 'Temporarily Unavailable' };
    this.symmetric = options.symmetricResponses ?? true;
    const layerOptions = {
      send: (m: SipMessage, t: SipTarget) => this.send(m, t),
      timers: options.timers ?? {},
      scheduler: this.scheduler,
      symmetricResponses: this.symmetric,
    };
    this.layer = new TransactionLayer(
      options.maxServerTransactions === undefined
        ? layerOptions
        : { ...layerOptions, maxServerTransactions: options.maxServerTransactions },
    );
    this.transports = options.transports ?? this.createTransports(options);
    for (const t of this.transports) t.on('message', (result, source) => this.receive(result, source));
  }

  /** Creates an endpoint and starts listening. */
  static async start(options: SipEndpointOptions = {}): Promise<SipEndpoint> {
    const endpoint = new SipEndpoint(options);
    await endpoint.listen();
    return endpoint;
  }

  /** Binds every transport. */
  async listen(): Promise<void> {
    await Promise.all(this.transports.map((t) => t.listen()));
  }

  /** Closes transports and drops every transaction. */
  async close(): Promise<void> {
    this.layer.close();
    await Promise.all(this.transports.map((t) => t.close()));
  }

  /** Where the transport for protocol listens. */
  local(protocol: SipProtocol): { address: string; port: number } {
    return this.transportFor(protocol).local();
  }

  /** Adds a request handler; returns a function that removes it. */
  onRequest(handler: RequestHandler): () => void {
    this.handlers.push(handler);
    return () => remove(this.handlers, handler);
  }

  /** Adds an ACK handler; returns a function that removes it. */
  onAck(handler: AckHandler): () => void {
    this.ackHandlers.push(handler);
    return () => remove(this.ackHandlers, handler);
  }

  /**
   * Sends a request in a client transaction; resolves with its final response (a local 408 on
   * timeout, 503 on transport failure). The endpoint adds the Via and, if absent, Max-Forwards.
   * @example const res = await sip.request(options, { protocol: 'udp', address: '192.0.2.1', port: 5060 });
   */
  request(req: SipRequest, target: SipTarget, options: RequestOptions = {}): Promise<SipResponse> {
    let tx: ClientTransaction;
    try {
      tx = this.layer.sendRequest(this.outgoing(req, target.protocol), target);
    } catch (err) {
      return Promise.reject(asError(err));
    }
    if (options.onResponse) tx.on('response', options.onResponse);
    if (options.signal && req.method === 'INVITE') this.cancelOnAbort(tx, options.signal);
    return tx.final;
  }

  /** Sends an ACK for a 2xx outside any transaction (RFC 3261 13.2.2.4), with a Via of its own. */
  sendAck(ack: SipRequest, target: SipTarget): Promise<void> {
    return this.send(this.outgoing(ack, target.protocol), target);
  }

  private createTransports(options: SipEndpointOptions): SipTransport[] {
    const address = options.address ?? '127.0.0.1';
    const common = {
      address,
      admit: (s: SipSource) => !(this.protection?.isBanned(s, this.scheduler.now()) ?? false),
      ...(this.protection ? { maxMessageSize: this.protection.maxMessageSize } : {}),
    };
    const out: SipTransport[] = [];
    if (options.udp !== false) out.push(new UdpTransport({ port: 5060, ...common, ...(options.udp ?? {}) }));
    if (options.tcp !== false) out.push(new TcpTransport({ port: 5060, ...(options.tcp ?? {}), ...common }));
    return out;
  }

  private transportFor(protocol: SipProtocol): SipTransport {
    const t = this.transports.find((x) => x.protocol === protocol);
    if (t === undefined) throw new Error(`no ${protocol} transport`);
    return t;
  }

  private send(message: SipMessage, target: SipTarget): Promise<void> {
    try {
      return this.transportFor(target.protocol).send(message, target);
    } catch (err) {
      return Promise.reject(asError(err));
    }
  }

  private sendStateless(res: SipResponse, via: Via | undefined, source: SipSource): void {
    this.counters.refused++;
    this.send(res, responseTarget(via, source, this.symmetric)).then(
      undefined,
      () => this.counters.sendErrors++,
    );
  }

  /** req with our Via on top (fresh branch, rport) and Max-Forwards. */
  private outgoing(req: SipRequest, protocol: SipProtocol): SipRequest {
    const local = this.transportFor(protocol).local();
    const host = local.address.includes(':') ? `[${local.address}]` : local.address;
    const via = {
      name: 'Via',
      value: `SIP/2.0/${protocol.toUpperCase()} ${host}:${local.port};branch=${newBranch()};rport`,
    };
    const headers = [via, ...req.headers];
    if (headerValue(req, 'Max-Forwards') === undefined) headers.push({ name: 'Max-Forwards', value: '70' });
    return { ...req, headers };
  }

  private cancelOnAbort(tx: ClientTransaction, signal: AbortSignal): void {
    let sent = false;
    const cancel = () => {
      if (sent || tx.isSettled) return;
      sent = true;
      // Same Via and branch as the INVITE; a transaction of its own (key branch|CANCEL).
      this.layer.sendRequest(buildCancel(tx.request), tx.target);
      // RFC 3261 9.1: no final response within 64*T1 of the CANCEL, the INVITE is given up.
      const stop = this.scheduler.at(this.scheduler.now() + 64 * this.layer.settings.t1, () => tx.abandon());
      tx.once('terminated', stop);
    };
    // A CANCEL may only follow a provisional response: before one, it waits for it.
    const onAbort = () =>
      tx.hasProvisional ? cancel() : tx.on('response', (r) => r.status < 200 && cancel());
    if (signal.aborted) onAbort();
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      tx.once('terminated', () => signal.removeEventListener('abort', onAbort));
    }
  }

  private receive(result: ParseResult, source: SipSource): void {
    try {
      if (result.ok) {
        if (result.message.kind === 'request') this.receiveRequest(result.message, source);
        else this.receiveResponse(result.message);
      } else this.receiveRefused(result, source);
    } catch {
      // A fault of ours must not become the peer's way to stop the listener.
      this.counters.internalErrors++;
    }
  }

  private receiveRefused(result: Extract<ParseResult, { ok: false }>, source: SipSource): void {
    const partial = result.partial;
    // Junk counts against its source too: a flood of it is a flood.
    if (partial?.isRequest) this.counters.requests++;
    if (partial === undefined || partial.isRequest) {
      if (this.protection && this.protection.inspect(null, source, this.scheduler.now()) !== 'pass') {
        this.counters.dropped++;
        return;
      }
    }
    if (result.action !== 'respond' || partial === undefined) {
      this.counters.dropped++;
      return;
    }
    const viaLine = partial.headers.find((h) => h.name === 'Via');
    const vias = viaLine === undefined ? undefined : parseVia(viaLine.value);
    const via = vias?.ok ? vias.value[0] : undefined;
    this.sendStateless(responseToPartial(partial, result.error.code, result.error.reason), via, source);
  }

  private receiveResponse(res: SipResponse): void {
    this.counters.responses++;
    if (!validateResponse(res).ok) this.counters.dropped++;
    else if (!this.layer.receiveResponse(res)) this.counters.strayResponses++;
  }

  private receiveRequest(req: SipRequest, source: SipSource): void {
    this.counters.requests++;
    if (this.protection && this.protection.inspect(req, source, this.scheduler.now()) !== 'pass') {
      this.counters.dropped++;
      return;
    }
    stampVia(req, source.address, source.port);
    const verdict = validateRequest(req, this.validation);
    const top = readTopVia(req);
    const via = top.ok ? top.value : undefined;
    if (!verdict.ok) {
      if (verdict.action === 'drop') this.counters.dropped++;
      else {
        const parts = { toTag: newTag(), headers: verdict.headers };
        this.sendStateless(buildResponse(req, verdict.code, verdict.reason, parts), via, source);
      }
      return;
    }
    const routed = this.layer.receiveRequest(req, source);
    switch (routed.kind) {
      case 'new':
        return this.dispatch(routed.transaction);
      case 'absorbed':
        this.counters.absorbed++;
        return;
      case 'ack':
        this.counters.acks++;
        for (const handler of this.ackHandlers) handler(req, source);
        return;
      case 'overloaded':
        this.counters.overloaded++;
        this.sendStateless(
          buildResponse(req, 503, 'Service Unavailable', {
            toTag: newTag(),
            headers: [{ name: 'Retry-After', value: '5' }],
          }),
          via,
          source,
        );
        return;
      case 'unmatchable':
        this.counters.dropped++;
        return;
    }
  }

  private dispatch(tx: ServerTransaction): void {
    if (tx.method === 'CANCEL') {
      this.layer.answerCancel(tx);
      return;
    }
    const failed = () => {
      this.counters.internalErrors++;
      if (!tx.answered) tx.respond(500);
    };
    for (const handler of this.handlers) {
      let claimed: ReturnType<RequestHandler>;
      try {
        claimed = handler(tx);
      } catch {
        failed();
        return;
      }
      if (claimed === false) continue;
      if (claimed instanceof Promise) claimed.then(undefined, failed);
      return;
    }
    if (tx.method === 'OPTIONS' && this.answerOptions) {
      tx.respond(200, 'OK', [
        { name: 'Allow', value: this.allow },
        { name: 'Accept', value: 'application/sdp' },
      ]);
    } else {
      tx.respond(this.unclaimed.status, this.unclaimed.reason, [{ name: 'Allow', value: this.allow }]);
    }
  }
}

function remove<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}
