/**
 * The small UDP socket an RtpSession needs, so the session does not care whether its datagrams go
 * through node:dgram (below) or the batched native addon (udp-batch.ts).
 */
import { createSocket } from 'node:dgram';

/**
 * One received datagram. `receivedAt` is the kernel's receive time on the performance.now() clock,
 * only for native sockets opened after receive timestamps were turned on (a measuring tool's choice).
 * `relayed`: the socket already sent it on (see RtpSocket.relayTo).
 */
export type RtpSocketMessageHandler = (
  bytes: Uint8Array,
  address: string,
  port: number,
  receivedAt: number | undefined,
  relayed: boolean,
) => void;

/** Where RtpSocket.relayTo sends, and the stream the relayed packets are rewritten into. */
export interface RtpRelayTarget {
  socket: RtpSocket;
  ssrc: number;
  payloadType: number;
  /** The target stream's next sequence number and timestamp: relayed packets continue from there. */
  nextSeq: number;
  nextTimestamp: number;
}

/** Where the target stream stands after a relay, for its own sender to continue from. */
export interface RtpRelayState {
  nextSeq: number;
  nextTimestamp: number;
}

/** One bound IPv4 UDP socket. */
export interface RtpSocket {
  /** The bound local port. */
  readonly port: number;
  /**
   * Receives each datagram. `bytes` may be a view into a buffer that is reused after the handler
   * returns: copy what must outlive the call (parseRtp copies the payload).
   */
  onMessage(handler: RtpSocketMessageHandler): void;
  /** Socket errors, e.g. a failed send; ECONNREFUSED for a connected peer that went away included. */
  onError(handler: (err: NodeJS.ErrnoException) => void): void;
  /** Sends to `address:port`, or to the connected peer when both are left out. */
  send(bytes: Uint8Array, port?: number, address?: string): void;
  /** Connects to one peer (sends then skip the per-packet address); `done` runs asynchronously. */
  connect(port: number, address: string, done: (err?: Error) => void): void;
  /** Sets SO_RCVBUF (a peer that answers in bursts). */
  setReceiveBufferSize(bytes: number): void;
  /** Undoes connect(). */
  disconnect(): void;
  close(): void;
  /**
   * Native sockets only: from now on received packets of `target.payloadType` are sent on through
   * `target.socket` at once, below JavaScript, while both sockets are connected, and still handed to
   * onMessage flagged `relayed`. False when the target cannot be relayed to.
   */
  relayTo?(target: RtpRelayTarget): boolean;
  /** Stops relayTo(); the target stream's state if anything was relayed, else null. */
  stopRelay?(): RtpRelayState | null;
}

/** Binds a socket on `host:port`; null when the port cannot be bound (e.g. another process holds it). */
export type RtpSocketOpener = (port: number, host: string) => Promise<RtpSocket | null>;

/** Sockets on node:dgram: one Buffer and one callback per datagram, no native code. */
export const openDgramSocket: RtpSocketOpener = (port, host) =>
  new Promise((resolve) => {
    const socket = createSocket('udp4');
    let onError: (err: NodeJS.ErrnoException) => void = () => undefined;
    let bound = false;
    // Listening from creation on: an unhandled 'error' on a UDP socket kills the process.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (bound) onError(err);
      else {
        socket.close();
        resolve(null);
      }
    });
    socket.bind(port, host, () => {
      bound = true;
      resolve({
        port: socket.address().port,
        onMessage: (handler) =>
          socket.on('message', (msg, rinfo) => handler(msg, rinfo.address, rinfo.port, undefined, false)),
        onError: (handler) => void (onError = handler),
        send: (bytes, toPort, toAddress) =>
          toPort === undefined ? socket.send(bytes) : socket.send(bytes, toPort, toAddress),
        connect: (toPort, toAddress, done) => socket.connect(toPort, toAddress, done),
        setReceiveBufferSize: (bytes) => socket.setRecvBufferSize(bytes),
        disconnect: () => socket.disconnect(),
        close: () => socket.close(),
      });
    });
  });
