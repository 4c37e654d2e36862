// SIP over UDP (RFC 3261 18): one datagram, one message. Datagrams are parsed here so that the
// layers above see parse results; socket errors (ICMP unreachable surfacing on send, a full
// buffer) cost a counter, never the process.
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { isIPv6 } from 'node:net';
import type { SipMessage } from './message.js';
import { DEFAULT_MAX_MESSAGE_SIZE, parseSipMessage } from './parser.js';
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

/**
 * A UDP listening point.
 * @example const udp = new UdpTransport({ address: '127.0.0.1', port: 5060 }); await udp.listen();
 */
export class UdpTransport extends EventEmitter<SipTransportEvents> implements SipTransport {
  readonly protocol = 'udp' as const;
  readonly reliable = false;
  readonly counters: TransportCounters = emptyCounters();
  private readonly address: string;
  private readonly port: number;
  private readonly maxSize: number;
  private readonly admit: ((source: SipSource) => boolean) | undefined;
  private socket: Socket | undefined;

  constructor(options: TransportOptions = {}) {
    super();
    this.address = options.address ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.maxSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.admit = options.admit;
  }

  listen(): Promise<void> {
    const socket = createSocket({ type: isIPv6(this.address) ? 'udp6' : 'udp4' });
    this.socket = socket;
    socket.on('message', (data, rinfo) => this.receive(data, rinfo.address, rinfo.port));
    return new Promise((resolve, reject) => {
      const failed = (err: Error) => reject(err);
      socket.once('error', failed);
      socket.bind(this.port, this.address, () => {
        socket.off('error', failed);
        // After binding, an error is one bad datagram or peer, not a reason to stop listening.
        socket.on('error', () => this.counters.socketErrors++);
        resolve();
      });
    });
  }

  local(): { address: string; port: number } {
    const bound = this.socket?.address();
    return { address: bound?.address ?? this.address, port: bound?.port ?? this.port };
  }

  send(message: SipMessage, target: SipTarget): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) return Promise.reject(new Error('UDP transport is not listening'));
    let data: Buffer;
    try {
      data = serializeSipMessage(message);
    } catch (err) {
      this.counters.sendErrors++;
      return Promise.reject(asError(err));
    }
    return new Promise((resolve, reject) => {
      try {
        socket.send(data, target.port, target.address, (err) => {
          if (err) {
            this.counters.sendErrors++;
            reject(err);
          } else {
            this.counters.sent++;
            resolve();
          }
        });
      } catch (err) {
        // A closed socket or a bad port throws synchronously.
        this.counters.sendErrors++;
        reject(asError(err));
      }
    });
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }

  private receive(data: Buffer, address: string, port: number): void {
    const source: SipSource = { protocol: 'udp', address, port };
    if (this.admit && !this.admit(source)) {
      this.counters.refused++;
      return;
    }
    this.counters.received++;
    this.emit(
      'message',
      parseSipMessage(data, { transport: 'datagram', maxMessageSize: this.maxSize }),
      source,
    );
  }
}
