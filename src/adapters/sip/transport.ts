// What the transaction layer needs of a SIP transport (RFC 3261 18): send a message towards a
// target, and report every message received, already parsed, with where it came from. Transports
// never throw at their users and never let a socket error escape: a bad peer costs a counter.
import type { EventEmitter } from 'node:events';
import type { Via } from './headers.js';
import type { SipMessage } from './message.js';
import type { ParseResult } from './parser.js';

/** Transport protocols this stack speaks. */
export type SipProtocol = 'udp' | 'tcp';

/** Where a message came from. */
export interface SipSource {
  protocol: SipProtocol;
  address: string;
  port: number;
  /** The connection a stream message arrived on; responses go back over it while it lives. */
  connectionId?: string;
}

/** Where to send: over connectionId while that connection is open, else to address:port. */
export type SipTarget = SipSource;

/** Events of a transport. */
export interface SipTransportEvents {
  /** One message, parsed (or refused by the parser) with its source. */
  message: [result: ParseResult, source: SipSource];
}

/** Counters a transport keeps; monotonic except `connections`. */
export interface TransportCounters {
  received: number;
  sent: number;
  /** Messages refused before parsing by the admit gate (banned sources). */
  refused: number;
  sendErrors: number;
  socketErrors: number;
  /** Stream framing failures (each closes its connection). */
  framingErrors: number;
  /** Open connections (streams only). */
  connections: number;
}

/** Options common to every transport. */
export interface TransportOptions {
  /** Local address to bind; default 127.0.0.1. */
  address?: string;
  /** Local port; 0 (default) picks a free one. */
  port?: number;
  /** Largest message accepted; larger ones are refused (513) or dropped. Default 64 KiB. */
  maxMessageSize?: number;
  /** Called before a message is parsed; false drops it unread (used for banned sources). */
  admit?: (source: SipSource) => boolean;
}

/** A SIP transport: UDP or TCP. */
export interface SipTransport extends EventEmitter<SipTransportEvents> {
  readonly protocol: SipProtocol;
  /** Reliable transports get no retransmissions (RFC 3261 17.1.1.2). */
  readonly reliable: boolean;
  readonly counters: TransportCounters;
  /** Starts listening; resolves once bound. */
  listen(): Promise<void>;
  /** The bound address and port (after listen). */
  local(): { address: string; port: number };
  /** Sends one message; rejects when it cannot be sent (the transaction reports a transport error). */
  send(message: SipMessage, target: SipTarget): Promise<void>;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** err as an Error, for rejecting promises with what a catch clause caught. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** A fresh set of zeroed counters. */
export function emptyCounters(): TransportCounters {
  return {
    received: 0,
    sent: 0,
    refused: 0,
    sendErrors: 0,
    socketErrors: 0,
    framingErrors: 0,
    connections: 0,
  };
}

/**
 * Where the responses to a request go (RFC 3261 18.2.2, RFC 3581). Over a stream: back over the
 * request's connection, else a new one to the source address at the sent-by port. Over UDP: to the
 * source address (the `received` we stamp; a `received` the sender wrote itself would let it aim
 * our answers at a third party) at the source port when it asked for rport, or the sent-by port;
 * `symmetric` answers the source port always, as phones behind NAT need.
 */
export function responseTarget(via: Via | undefined, source: SipSource, symmetric: boolean): SipTarget {
  const sentByPort = via?.port ?? 5060;
  if (source.protocol !== 'udp') return { ...source, port: via ? sentByPort : source.port };
  const rport = via === undefined || symmetric || via.params.has('rport');
  return { protocol: 'udp', address: source.address, port: rport ? source.port : sentByPort };
}
