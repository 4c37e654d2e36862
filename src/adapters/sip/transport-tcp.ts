// SIP over TCP (RFC 3261 18): messages framed by Content-Length, responses back over the
// connection a request came on, connections reused per remote address and port. Every connection
// is bounded: the framer caps buffered bytes, an idle timer closes silent ones, a peer that does
// not read its answers is cut off, and the listener caps how many are open.
import { EventEmitter } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { SipStreamFramer, type FramerError } from './framer.js';
import type { SipMessage } from './message.js';
import { DEFAULT_MAX_MESSAGE_SIZE, parseSipMessage, type ParseResult } from './parser.js';
import { serializeSipMessage } from './serializer.js';
import {
  asError,
  emptyCounters,
  type SipSource,
  type SipTarget,
  type SipTransport,
  type SipTransportEvents,
  type TransportCounters,
  type TransportOptions,
} from './transport.js';

/** Options of TcpTransport. */
export interface TcpTransportOptions extends TransportOptions {
  /** A connection silent this long is closed, ms. Default 300000 (RFC 5626 keep-alives come sooner). */
  idleTimeoutMs?: number;
  /** Open connections at most (inbound and outbound). Default 1024. */
  maxConnections?: number;
  /** Giving up on an outbound connect after, ms. Default 5000. */
  connectTimeoutMs?: number;
  /** Bytes queued for a peer that does not read before it is cut off. Default 1 MiB. */
  maxWriteBuffer?: number;
}

interface Connection {
  id: string;
  socket: Socket;
  framer: SipStreamFramer;
  remoteKey: string;
  source: SipSource;
  closing: boolean;
}

const RESPONSE_HEADERS = new Set(['Via', 'From', 'To', 'Call-ID', 'CSeq']);
const CRLF = Buffer.from('\r\n');

/**
 * A TCP listening point that also opens connections to send requests.
 * @example const tcp = new TcpTransport({ address: '127.0.0.1', port: 5060 }); await tcp.listen();
 */
export class TcpTransport extends EventEmitter<SipTransportEvents> implements SipTransport {
  readonly protocol = 'tcp' as const;
  readonly reliable = true;
  readonly counters: TransportCounters = emptyCounters();
  private readonly address: string;
  private readonly port: number;
  private readonly maxSize: number;
  private readonly admit: ((source: SipSource) => boolean) | undefined;
  private readonly idleMs: number;
  private readonly maxConnections: number;
  private readonly connectTimeoutMs: number;
  private readonly maxWriteBuffer: number;
  private readonly connections = new Map<string, Connection>();
  private readonly byRemote = new Map<string, Connection>();
  private readonly connecting = new Map<string, Promise<Connection>>();
  private server: Server | undefined;
  private nextId = 1;

  constructor(options: TcpTransportOptions = {}) {
    super();
    this.address = options.address ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.maxSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.admit = options.admit;
    this.idleMs = options.idleTimeoutMs ?? 300_000;
    this.maxConnections = options.maxConnections ?? 1024;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.maxWriteBuffer = options.maxWriteBuffer ?? 1 << 20;
  }

  listen(): Promise<void> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.address, () => {
        server.off('error', reject);
        server.on('error', () => this.counters.socketErrors++);
        resolve();
      });
    });
  }

  local(): { address: string; port: number } {
    const bound = this.server?.address();
    if (bound && typeof bound === 'object') return { address: bound.address, port: bound.port };
    return { address: this.address, port: this.port };
  }

  send(message: SipMessage, target: SipTarget): Promise<void> {
    let data: Buffer;
    try {
      data = serializeSipMessage(message);
    } catch (err) {
      this.counters.sendErrors++;
      return Promise.reject(asError(err));
    }
    // Written synchronously when a connection is open, so that an answer emitted just before the
    // connection closes (after a framing error) still goes out on it.
    const open = this.openConnection(target);
    const sent = open ? this.write(open, data) : this.connectionFor(target).then((c) => this.write(c, data));
    return sent.then(
      () => {
        this.counters.sent++;
      },
      (err: unknown) => {
        this.counters.sendErrors++;
        throw err;
      },
    );
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const conn of this.connections.values()) conn.socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Open connections. */
  get size(): number {
    return this.connections.size;
  }

  private accept(socket: Socket): void {
    const source = this.sourceOf(socket, '');
    if (this.connections.size >= this.maxConnections || (this.admit && !this.admit(source))) {
      this.counters.refused++;
      socket.on('error', () => undefined);
      socket.destroy();
      return;
    }
    this.adopt(socket);
  }

  private adopt(socket: Socket): Connection {
    const id = `tcp-${this.nextId++}`;
    const source = this.sourceOf(socket, id);
    const conn: Connection = {
      id,
      socket,
      framer: new SipStreamFramer({ maxMessageSize: this.maxSize }),
      remoteKey: `${source.address}|${source.port}`,
      source,
      closing: false,
    };
    this.connections.set(id, conn);
    this.byRemote.set(conn.remoteKey, conn);
    this.counters.connections = this.connections.size;
    socket.setNoDelay(true);
    socket.setTimeout(this.idleMs, () => socket.destroy());
    socket.on('error', () => this.counters.socketErrors++);
    socket.on('close', () => {
      this.connections.delete(id);
      if (this.byRemote.get(conn.remoteKey) === conn) this.byRemote.delete(conn.remoteKey);
      this.counters.connections = this.connections.size;
    });
    socket.on('data', (chunk: Buffer) => this.receive(conn, chunk));
    return conn;
  }

  private receive(conn: Connection, chunk: Buffer): void {
    if (conn.closing) return;
    if (this.admit && !this.admit(conn.source)) {
      // A source banned mid-connection has no business holding one.
      this.counters.refused++;
      conn.socket.destroy();
      return;
    }
    const out = conn.framer.push(chunk);
    for (const message of out.messages) {
      this.counters.received++;
      this.emit(
        'message',
        parseSipMessage(message, { transport: 'stream', maxMessageSize: this.maxSize }),
        conn.source,
      );
    }
    // RFC 5626 4.4.1: each CRLFCRLF ping is answered with a CRLF pong.
    for (let i = 0; i < out.keepAlives; i++) conn.socket.write(CRLF);
    if (out.error) {
      this.counters.framingErrors++;
      // Whatever follows cannot be framed: let the endpoint answer, then close once it is sent.
      this.emit('message', framingFailure(out.error), conn.source);
      this.shut(conn);
    }
  }

  private shut(conn: Connection): void {
    conn.closing = true;
    conn.socket.end();
    setTimeout(() => conn.socket.destroy(), 2000).unref();
  }

  private openConnection(target: SipTarget): Connection | undefined {
    const byId = target.connectionId === undefined ? undefined : this.connections.get(target.connectionId);
    if (byId && !byId.closing) return byId;
    const reused = this.byRemote.get(`${target.address}|${target.port}`);
    return reused && !reused.closing ? reused : undefined;
  }

  private connectionFor(target: SipTarget): Promise<Connection> {
    const key = `${target.address}|${target.port}`;
    let pending = this.connecting.get(key);
    if (pending === undefined) {
      pending = this.open(target).finally(() => this.connecting.delete(key));
      this.connecting.set(key, pending);
    }
    return pending;
  }

  private open(target: SipTarget): Promise<Connection> {
    if (this.server === undefined) return Promise.reject(new Error('TCP transport is closed'));
    if (this.connections.size >= this.maxConnections)
      return Promise.reject(new Error('too many connections'));
    return new Promise((resolve, reject) => {
      const socket = connect({ host: target.address, port: target.port, localAddress: this.address });
      const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), this.connectTimeoutMs);
      timer.unref();
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        if (this.server === undefined) {
          // Closed while connecting: nobody would ever close this one.
          socket.destroy();
          reject(new Error('TCP transport is closed'));
        } else resolve(this.adopt(socket));
      });
    });
  }

  private write(conn: Connection, data: Buffer): Promise<void> {
    if (conn.socket.writableLength + data.length > this.maxWriteBuffer) {
      conn.socket.destroy();
      return Promise.reject(new Error('peer does not read: connection closed'));
    }
    return new Promise((resolve, reject) => {
      conn.socket.write(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  private sourceOf(socket: Socket, id: string): SipSource {
    const source: SipSource = {
      protocol: 'tcp',
      address: socket.remoteAddress ?? '',
      port: socket.remotePort ?? 0,
    };
    if (id !== '') source.connectionId = id;
    return source;
  }
}

/**
 * A parse result for a message the framer could not cut out: the framer's status, and the header
 * lines the parser could read from its head so that the answer can be addressed.
 */
function framingFailure(err: FramerError): ParseResult {
  const error = { code: err.code, reason: err.reason };
  if (err.head === undefined) return { ok: false, error, action: 'drop' };
  const head = parseSipMessage(err.head, { transport: 'stream' });
  if (!head.ok) {
    return head.partial
      ? { ok: false, error, action: head.action, partial: head.partial }
      : { ok: false, error, action: 'drop' };
  }
  const m = head.message;
  if (m.kind !== 'request' || m.method === 'ACK') return { ok: false, error, action: 'drop' };
  const headers = m.headers.filter((h) => RESPONSE_HEADERS.has(h.name));
  return { ok: false, error, action: 'respond', partial: { isRequest: true, method: m.method, headers } };
}
