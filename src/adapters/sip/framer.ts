// Cuts a TCP/TLS byte stream into SIP messages (RFC 3261 18.3): the header section ends at the
// first empty line, the body is Content-Length bytes long. CRLFs between messages are skipped and
// each CRLFCRLF among them is counted as an RFC 5626 keep-alive ping (the transport answers CRLF).
// A framing error cannot be recovered from on a stream, so the framer stops and the transport
// answers if it can and closes the connection.
import { parseContentLength } from './headers.js';
import { DEFAULT_MAX_MESSAGE_SIZE } from './parser.js';
import { TOKEN, scanClass, skipWsp } from './syntax.js';

/** A framing failure: the status to answer with (400 or 513) and, when known, the header bytes. */
export interface FramerError {
  code: 400 | 513;
  reason: string;
  /** The offending message's header section, to build an answer with parseSipMessage. */
  head?: Buffer;
}

/** What one push produced. */
export interface FramerOutput {
  /** Whole messages, each a fresh Buffer, to hand to parseSipMessage with transport 'stream'. */
  messages: Buffer[];
  /** CRLFCRLF keep-alive pings seen between messages. */
  keepAlives: number;
  /** Set once framing failed; every later push returns it again. */
  error?: FramerError;
}

/** Options of SipStreamFramer. */
export interface FramerOptions {
  /** Largest message accepted, header section plus body; default 64 KiB. */
  maxMessageSize?: number;
}

/**
 * Reassembles SIP messages from stream chunks.
 * @example
 * const framer = new SipStreamFramer();
 * socket.on('data', (chunk) => { const out = framer.push(chunk); ... });
 */
export class SipStreamFramer {
  private store = Buffer.allocUnsafe(4096);
  private start = 0;
  private end = 0;
  /** Where the search for the end of the current header section resumes. */
  private scanFrom = 0;
  /** End of the current message once its header section was read; -1 before. */
  private bodyEnd = -1;
  /** LFs seen since the last message, for counting keep-alives split across chunks. */
  private lfRun = 0;
  private failure: FramerError | undefined;
  private readonly maxSize: number;

  constructor(options: FramerOptions = {}) {
    this.maxSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  }

  /** Bytes held while waiting for the rest of a message. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Feeds the next chunk of the stream. */
  push(chunk: Buffer): FramerOutput {
    const messages: Buffer[] = [];
    let keepAlives = 0;
    if (this.failure) return { messages, keepAlives, error: this.failure };
    this.append(chunk);
    const store = this.store.subarray(0, this.end);
    for (;;) {
      if (this.bodyEnd < 0) {
        while (this.start < this.end && (store[this.start] === 13 || store[this.start] === 10)) {
          if (store[this.start] === 10 && ++this.lfRun === 2) {
            keepAlives++;
            this.lfRun = 0;
          }
          this.start++;
        }
        if (this.start === this.end) break;
        this.lfRun = 0;
        if (this.scanFrom < this.start) this.scanFrom = this.start;
        const bodyStart = this.findBodyStart(store);
        if (bodyStart < 0) {
          if (this.end - this.start > this.maxSize) this.fail(513, 'Header section too large');
          break;
        }
        const head = store.subarray(this.start, bodyStart);
        const length = contentLengthOf(head);
        if (typeof length === 'string') {
          this.fail(400, length, Buffer.from(head));
          break;
        }
        if (bodyStart - this.start + length > this.maxSize) {
          this.fail(513, 'Message Too Large', Buffer.from(head));
          break;
        }
        this.bodyEnd = bodyStart + length;
      }
      if (this.end < this.bodyEnd) break;
      // A copy: the store is reused for the bytes that follow.
      messages.push(Buffer.from(store.subarray(this.start, this.bodyEnd)));
      this.start = this.scanFrom = this.bodyEnd;
      this.bodyEnd = -1;
    }
    if (this.start === this.end) {
      this.start = this.end = this.scanFrom = 0;
      // Give back the memory a large message needed once the connection is idle again.
      if (this.store.length > 2 * DEFAULT_MAX_MESSAGE_SIZE) this.store = Buffer.allocUnsafe(4096);
    }
    return this.failure ? { messages, keepAlives, error: this.failure } : { messages, keepAlives };
  }

  private fail(code: 400 | 513, reason: string, head?: Buffer): void {
    this.failure = head ? { code, reason, head } : { code, reason };
    this.start = this.end = 0;
  }

  /** Index after the empty line closing the header section, or -1 while it has not arrived. */
  private findBodyStart(store: Buffer): number {
    for (;;) {
      const lf = store.indexOf(10, this.scanFrom);
      if (lf < 0) {
        this.scanFrom = this.end;
        return -1;
      }
      const next = store[lf + 1];
      if (next === 10) return lf + 2;
      if (next === 13 && store[lf + 2] === 10) return lf + 3;
      if (lf + 1 >= this.end || (next === 13 && lf + 2 >= this.end)) {
        // What follows this LF has not all arrived: look at it again next time.
        this.scanFrom = lf;
        return -1;
      }
      this.scanFrom = lf + 1;
    }
  }

  private append(chunk: Buffer): void {
    const needed = this.end - this.start + chunk.length;
    if (this.end + chunk.length > this.store.length) {
      const target =
        needed > this.store.length ? Buffer.allocUnsafe(Math.max(needed, this.store.length * 2)) : this.store;
      this.store.copy(target, 0, this.start, this.end);
      const shift = this.start;
      this.store = target;
      this.end -= shift;
      this.start = 0;
      this.scanFrom = Math.max(0, this.scanFrom - shift);
      if (this.bodyEnd >= 0) this.bodyEnd -= shift;
    }
    chunk.copy(this.store, this.end);
    this.end += chunk.length;
  }
}

/**
 * The Content-Length of a header section (0 when absent, as RFC 3261 requires it on streams and
 * the parser rejects its absence), or the reason it cannot frame the message.
 */
function contentLengthOf(head: Buffer): number | string {
  // latin1 maps bytes 1:1, which is all a search for an ASCII header name needs.
  const lines = head.toString('latin1').split(/\r?\n/);
  let found: number | undefined;
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k]!;
    const nameEnd = scanClass(line, 0, TOKEN);
    const colon = skipWsp(line, nameEnd);
    if (line.charCodeAt(colon) !== 58) continue;
    const name = line.slice(0, nameEnd).toLowerCase();
    if (name !== 'content-length' && name !== 'l') continue;
    let value = line.slice(colon + 1);
    while (k + 1 < lines.length && (lines[k + 1]!.startsWith(' ') || lines[k + 1]!.startsWith('\t'))) {
      value += ' ' + lines[++k]!;
    }
    const n = parseContentLength(value);
    if (!n.ok) return 'Invalid Content-Length';
    if (found !== undefined && found !== n.value) return 'Conflicting Content-Length values';
    found = n.value;
  }
  return found ?? 0;
}
