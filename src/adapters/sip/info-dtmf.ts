// DTMF carried in SIP INFO (the pre-RFC 4733 way some phones and gateways still use):
// `application/dtmf-relay` bodies hold "Signal=5\r\nDuration=160", `application/dtmf` bodies the
// digit alone. Both map to the same digits RFC 4733 events give (0-9 * # A-D; 10 and 11 are * and #).

const DIGIT = /^[0-9*#A-D]$/;

/** The outcome of reading an INFO: a digit, or why it is not one (not DTMF at all, or a bad body). */
export type InfoDtmf = { kind: 'digit'; digit: string } | { kind: 'not_dtmf' } | { kind: 'malformed' };

/**
 * Reads the digit of an INFO from its Content-Type and body.
 * @example infoDtmf('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n') // { kind: 'digit', digit: '5' }
 */
export function infoDtmf(contentType: string | undefined, body: string): InfoDtmf {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/dtmf-relay') {
    const line = body.split(/\r?\n/).find((l) => /^\s*signal\s*=/i.test(l));
    if (line === undefined) return { kind: 'malformed' };
    return digit(line.slice(line.indexOf('=') + 1).trim());
  }
  if (type === 'application/dtmf') return digit(body.trim());
  return { kind: 'not_dtmf' };
}

function digit(raw: string): InfoDtmf {
  const d = raw === '10' ? '*' : raw === '11' ? '#' : raw.toUpperCase();
  return DIGIT.test(d) ? { kind: 'digit', digit: d } : { kind: 'malformed' };
}
