// One SMPP connection over a TCP socket, used by both the ESME (bind.ts) and the simulator.
// Framing is ours rather than the `smpp` package's Session: that Session stops reading for good
// after one undecodable PDU and waits forever on a command_length below 16, and a peer's bad
// bytes must cost at most this connection. The package still encodes and decodes each PDU.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { PduFramer } from './framer.js';
import {
  decodePdu,
  encodePdu,
  headerCommandId,
  headerSequence,
  isResponseId,
  type Pdu,
  type PduValue,
} from './pdu.js';
import { RESPONSE_BIT, SmppStatus } from './status.js';

/** How a request ended. */
export type RequestOutcome =
  | { kind: 'response'; pdu: Pdu }
  /** No response within the timeout: the peer may or may not have acted on it. */
  | { kind: 'timeout' }
  /** The connection closed while waiting: as uncertain as a timeout. */
  | { kind: 'closed' }
  /** Never written: the socket was not writable. Safe to send again elsewhere. */
  | { kind: 'not-sent' };

/** A peer protocol violation, for health and tests; carries no message content. A response that
 * arrives after its request timed out also counts (as 'unexpected-response'). */
export interface ProtocolViolation {
  reason: 'bad-command-length' | 'undecodable' | 'unknown-command' | 'unexpected-response';
  commandId: number;
  sequence: number;
}

/** Events of SmppConnection. */
export interface ConnectionEvents {
  /** A request PDU from the peer; the listener must answer it (respond / genericNack). */
  request: [Pdu];
  violation: [ProtocolViolation];
  close: [];
}

interface Pending {
  expects: number;
  timer: NodeJS.Timeout;
  resolve: (o: RequestOutcome) => void;
}

// After a fatal framing error the socket is ended; a peer that never closes its side is cut off.
const LINGER_MS = 500;

/** Request/response matching, sequence numbers and malformed-input handling on one socket. */
export class SmppConnection extends EventEmitter<ConnectionEvents> {
  private readonly framer: PduFramer;
  private readonly pending = new Map<number, Pending>();
  private sequence = 0;
  private closed = false;
  /** Writes of this turn of the event loop are held back to go out together (see `put`). */
  private corked = false;
  private markClosed: () => void = () => {};
  /** Settles once the socket has closed (at once if it already has). */
  readonly whenClosed: Promise<void> = new Promise((resolve) => (this.markClosed = resolve));

  constructor(
    readonly socket: Socket,
    maxPduLength: number,
  ) {
    super();
    this.framer = new PduFramer(maxPduLength);
    socket.setNoDelay(true);
    // Without a listener a socket error would be thrown as an uncaught exception; 'close' follows.
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.onClose());
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** True until the socket closes. */
  get isOpen(): boolean {
    return !this.closed && this.socket.writable;
  }

  /** Sends a request and waits for its response (or generic_nack) up to timeoutMs. */
  request(
    command: string,
    fields: Readonly<Record<string, PduValue | undefined>>,
    timeoutMs: number,
  ): Promise<RequestOutcome> {
    if (!this.isOpen) return Promise.resolve({ kind: 'not-sent' });
    const sequence = this.nextSequence();
    const bytes = encodePdu({ command, sequence, fields });
    const expects = (bytes.readUInt32BE(4) | RESPONSE_BIT) >>> 0;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(sequence);
        resolve({ kind: 'timeout' });
      }, timeoutMs);
      this.pending.set(sequence, { expects, timer, resolve });
      this.put(bytes);
    });
  }

  /** Answers a request with its `_resp`. */
  respond(
    to: Pdu,
    status: number = SmppStatus.OK,
    fields?: Readonly<Record<string, PduValue | undefined>>,
  ): void {
    this.write({ command: `${to.command}_resp`, sequence: to.sequence, status, fields });
  }

  /** Sends generic_nack for a PDU that cannot be answered otherwise. */
  genericNack(sequence: number, status: number): void {
    this.write({ command: 'generic_nack', sequence, status });
  }

  /** Sends a request without waiting for its response (the simulator's deliver_sm, enquire_link). */
  send(command: string, fields: Readonly<Record<string, PduValue | undefined>>): number {
    const sequence = this.nextSequence();
    this.write({ command, sequence, fields });
    return sequence;
  }

  /** Writes bytes as they are: for tests of a peer's handling of malformed input. */
  writeRaw(bytes: Buffer): void {
    if (this.isOpen) this.put(bytes);
  }

  /** Half-closes after pending writes; the peer's close completes it. */
  end(): void {
    if (this.closed) return;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }

  /** Closes at once. */
  destroy(): void {
    this.socket.destroy();
  }

  private write(pdu: Parameters<typeof encodePdu>[0]): void {
    if (this.isOpen) this.put(encodePdu(pdu));
  }

  /**
   * Writes in order, the PDUs of one turn of the event loop in one system call: a wide window
   * sends and answers tens of PDUs at a time, and a write each cost more than encoding them.
   * (`end` flushes what is held.)
   */
  private put(bytes: Buffer): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(bytes);
  }

  private nextSequence(): number {
    // 1..0x7FFFFFFF (section 5.1.4), skipping numbers still awaiting a response.
    do {
      this.sequence = this.sequence >= 0x7fffffff ? 1 : this.sequence + 1;
    } while (this.pending.has(this.sequence));
    return this.sequence;
  }

  private onData(chunk: Buffer): void {
    const out = this.framer.push(chunk);
    for (const frame of out.frames) this.onFrame(frame);
    if (out.error && !this.closed) {
      const { sequence } = out.error;
      this.emit('violation', { reason: 'bad-command-length', commandId: 0, sequence });
      this.genericNack(sequence, SmppStatus.INVALID_COMMAND_LENGTH);
      this.end();
    }
  }

  private onFrame(frame: Buffer): void {
    if (this.closed) return;
    const commandId = headerCommandId(frame);
    const sequence = headerSequence(frame);
    let pdu: Pdu;
    try {
      pdu = decodePdu(frame);
    } catch {
      this.emit('violation', { reason: 'undecodable', commandId, sequence });
      // A broken response is left to time out: its request's fate stays uncertain.
      if (!isResponseId(commandId)) this.genericNack(sequence, SmppStatus.INVALID_COMMAND_LENGTH);
      return;
    }
    if (pdu.command === 'unknown') {
      this.emit('violation', { reason: 'unknown-command', commandId, sequence });
      if (!isResponseId(commandId)) this.genericNack(sequence, SmppStatus.INVALID_COMMAND_ID);
      return;
    }
    if (isResponseId(commandId)) {
      this.onResponse(pdu);
      return;
    }
    this.emit('request', pdu);
  }

  private onResponse(pdu: Pdu): void {
    const waiting = this.pending.get(pdu.sequence);
    const matches = waiting && (pdu.commandId === waiting.expects || pdu.command === 'generic_nack');
    if (!waiting || !matches) {
      this.emit('violation', {
        reason: 'unexpected-response',
        commandId: pdu.commandId,
        sequence: pdu.sequence,
      });
      return;
    }
    this.pending.delete(pdu.sequence);
    clearTimeout(waiting.timer);
    waiting.resolve({ kind: 'response', pdu });
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.resolve({ kind: 'closed' });
    }
    this.pending.clear();
    this.markClosed();
    this.emit('close');
  }
}
