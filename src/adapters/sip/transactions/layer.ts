// The transaction layer (RFC 3261 17): keeps the live transactions by matching key, routes each
// incoming request or response to its transaction or creates a server transaction for a new
// request, and starts client transactions for the TU.
import { readTopVia, type SipMessage, type SipRequest, type SipResponse } from '../message.js';
import { responseTarget, type SipSource, type SipTarget } from '../transport.js';
import { ClientTransaction } from './client-transaction.js';
import type { DriverContext } from './driver.js';
import { clientKeyOfRequest, clientKeyOfResponse, serverKey } from './keys.js';
import { ServerTransaction } from './server-transaction.js';
import { realScheduler, timerSettings, type Scheduler, type TimerSettings } from './timers.js';

/** Options of TransactionLayer. */
export interface TransactionLayerOptions {
  /** Hands a message to the right transport; rejects when it cannot be sent. */
  send: (message: SipMessage, target: SipTarget) => Promise<void>;
  scheduler?: Scheduler;
  timers?: Partial<TimerSettings>;
  /** Answer UDP requests at their source port even without rport (default true; see responseTarget). */
  symmetricResponses?: boolean;
  /** Server transactions alive at most; beyond, new requests are 'overloaded'. Default 20000 (UDP non-INVITE ones live 64*T1 after their answer). */
  maxServerTransactions?: number;
}

/** What became of an incoming request. */
export type RequestRouting =
  /** A new request: its server transaction, for the TU. */
  | { kind: 'new'; transaction: ServerTransaction }
  /** A retransmission, or an ACK a transaction took: nothing for the TU. */
  | { kind: 'absorbed'; transaction: ServerTransaction }
  /** An ACK matching no transaction: the ACK for a 2xx, the dialog's to handle. */
  | { kind: 'ack' }
  /** The request lacks what matching needs (validation should have refused it). */
  | { kind: 'unmatchable' }
  /** A new request while maxServerTransactions are alive: answer 503 statelessly. */
  | { kind: 'overloaded' };

/**
 * The live transactions of one endpoint.
 * @example const routed = layer.receiveRequest(req, source); if (routed.kind === 'new') tu(routed.transaction);
 */
export class TransactionLayer {
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly timers: TimerSettings;
  private readonly symmetric: boolean;
  private readonly maxServers: number;
  private readonly serverContext: DriverContext;
  private readonly clientContext: DriverContext;

  constructor(options: TransactionLayerOptions) {
    this.timers = timerSettings(options.timers);
    this.symmetric = options.symmetricResponses ?? true;
    this.maxServers = options.maxServerTransactions ?? 20_000;
    const scheduler = options.scheduler ?? realScheduler;
    const send = options.send;
    this.serverContext = { scheduler, send, forget: (key) => this.servers.delete(key) };
    this.clientContext = { scheduler, send, forget: (key) => this.clients.delete(key) };
  }

  /** The timer values in force. */
  get settings(): Readonly<TimerSettings> {
    return this.timers;
  }

  /** Live transactions. */
  get size(): { server: number; client: number } {
    return { server: this.servers.size, client: this.clients.size };
  }

  /** Routes a request received from source. */
  receiveRequest(req: SipRequest, source: SipSource): RequestRouting {
    const key = serverKey(req);
    if (key === undefined) return { kind: 'unmatchable' };
    const existing = this.servers.get(key);
    if (existing) {
      // An ACK only belongs to an INVITE transaction; CANCEL and the rest have keys of their own.
      // After a 2xx the transaction passes the ACK up (RFC 6026), so the TU sees it as any 2xx ACK.
      const passedUp = req.method === 'ACK' && existing.state === 'accepted';
      existing.receive(req);
      return passedUp ? { kind: 'ack' } : { kind: 'absorbed', transaction: existing };
    }
    if (req.method === 'ACK') return { kind: 'ack' };
    if (this.servers.size >= this.maxServers) return { kind: 'overloaded' };
    const top = readTopVia(req);
    const target = responseTarget(top.ok ? top.value : undefined, source, this.symmetric);
    const reliable = source.protocol !== 'udp';
    const tx = new ServerTransaction(key, req, source, target, reliable, this.timers, this.serverContext);
    this.servers.set(key, tx);
    tx.start();
    return { kind: 'new', transaction: tx };
  }

  /** The INVITE server transaction a CANCEL refers to (RFC 3261 9.2), if it is still there. */
  findCancelled(cancel: SipRequest): ServerTransaction | undefined {
    const key = serverKey(cancel, 'INVITE');
    return key === undefined ? undefined : this.servers.get(key);
  }

  /**
   * Answers a CANCEL's own transaction (RFC 3261 9.2): 481 when its INVITE is unknown, else 200,
   * and the INVITE gets 487 unless it was answered already. Returns the cancelled INVITE.
   */
  answerCancel(cancel: ServerTransaction): ServerTransaction | undefined {
    const invite = this.findCancelled(cancel.request);
    if (invite === undefined) {
      cancel.respond(481);
      return undefined;
    }
    // The 200 uses the INVITE's To tag, as the responses to the INVITE will (RFC 3261 9.2).
    cancel.respond(200, 'OK', [], undefined, invite.toTag);
    invite.cancel(cancel.request);
    return invite;
  }

  /** Routes a response; false when no client transaction matches it (a stray). */
  receiveResponse(res: SipResponse): boolean {
    const key = clientKeyOfResponse(res);
    const tx = key === undefined ? undefined : this.clients.get(key);
    if (tx === undefined) return false;
    tx.receive(res);
    return true;
  }

  /**
   * Starts a client transaction for req, whose top Via must carry a fresh RFC 3261 branch.
   * @throws RangeError when the branch is missing or already in use.
   */
  sendRequest(req: SipRequest, target: SipTarget): ClientTransaction {
    const key = clientKeyOfRequest(req);
    if (key === undefined) throw new RangeError('request has no Via branch');
    if (this.clients.has(key)) throw new RangeError('a client transaction already uses this branch');
    const reliable = target.protocol !== 'udp';
    const tx = new ClientTransaction(key, req, target, reliable, this.timers, this.clientContext);
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  /** Drops every transaction and its timers (shutdown). */
  close(): void {
    for (const tx of this.servers.values()) tx.dispose();
    for (const tx of this.clients.values()) tx.dispose();
    this.servers.clear();
    this.clients.clear();
  }
}
