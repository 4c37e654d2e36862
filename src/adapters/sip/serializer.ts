// Builds wire bytes from a SipMessage. Content-Length is always written from the body actually
// sent (stream transports frame by it), in place of the first Content-Length line or at the end.
import type { SipMessage } from './message.js';
import { TOKEN, isAll } from './syntax.js';

/** A message that cannot be written: a method or header name that is not a token, a bad URI. */
export class SipSerializeError extends Error {
  readonly code = 'SIP_UNSERIALIZABLE';
  constructor(message: string) {
    super(message);
    this.name = 'SipSerializeError';
  }
}

const URI_BREAKERS = /[\s<>"]/;

// Values often carry text from outside (display names, subjects from the CRM): a CR or LF in them
// would start a forged header line, so line breaks collapse into one space, as folding means.
const LINE_BREAKS = /[\r\n]+/g;

/**
 * Serializes a message to the bytes to send; parseSipMessage of the result gives the message back
 * when its headers are already in canonical form and its Content-Length (if any) is right.
 * @example socket.send(serializeSipMessage(response))
 */
export function serializeSipMessage(msg: SipMessage): Buffer {
  let head: string;
  if (msg.kind === 'request') {
    if (!isAll(msg.method, TOKEN))
      throw new SipSerializeError(`method is not a token: ${JSON.stringify(msg.method)}`);
    if (msg.uri === '' || URI_BREAKERS.test(msg.uri))
      throw new SipSerializeError(`bad Request-URI: ${JSON.stringify(msg.uri)}`);
    head = `${msg.method} ${msg.uri} ${msg.version}\r\n`;
  } else {
    if (!Number.isInteger(msg.status) || msg.status < 100 || msg.status > 699) {
      throw new SipSerializeError(`bad status code: ${msg.status}`);
    }
    head = `${msg.version} ${msg.status} ${msg.reason.replace(LINE_BREAKS, ' ')}\r\n`;
  }
  let lengthWritten = false;
  for (const h of msg.headers) {
    if (!isAll(h.name, TOKEN))
      throw new SipSerializeError(`header name is not a token: ${JSON.stringify(h.name)}`);
    if (h.name.length === 14 || h.name === 'l') {
      if (h.name === 'l' || h.name.toLowerCase() === 'content-length') {
        if (!lengthWritten) head += `${h.name}: ${msg.body.length}\r\n`;
        lengthWritten = true;
        continue;
      }
    }
    const value =
      h.value.indexOf('\r') < 0 && h.value.indexOf('\n') < 0 ? h.value : h.value.replace(LINE_BREAKS, ' ');
    head += `${h.name}: ${value}\r\n`;
  }
  if (!lengthWritten) head += `Content-Length: ${msg.body.length}\r\n`;
  head += '\r\n';
  const headLength = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLength + msg.body.length);
  out.write(head, 0, 'utf8');
  msg.body.copy(out, headLength);
  return out;
}
