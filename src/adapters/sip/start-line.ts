// The first line of a SIP message (RFC 3261 7.1, 7.2): Request-Line or Status-Line.
import { TOKEN, isAll, parseDecimal } from './syntax.js';
import { isSipUri, parseUri } from './uri.js';

/** A start line read, or why it is refused (with what could still be told about the message). */
export type StartLine =
  | { kind: 'request'; method: string; uri: string }
  | { kind: 'response'; status: number; reason: string }
  | { kind: 'refused'; isRequest: boolean; method?: string; code: number; reason: string };

const DIGITS = new Uint8Array(128).fill(1, 48, 58);

/** True for `SIP/1*DIGIT.1*DIGIT`, "SIP" in any case. */
function isVersionSyntax(v: string): boolean {
  if (v.length < 7 || v.slice(0, 4).toUpperCase() !== 'SIP/') return false;
  const dot = v.indexOf('.', 4);
  return dot > 4 && isAll(v, DIGITS, 4, dot) && isAll(v, DIGITS, dot + 1);
}

/** The status a bad SIP-Version earns (400 malformed, 505 another version), or 0 for SIP/2.0. */
function versionCode(version: string): number {
  if (!isVersionSyntax(version)) return 400;
  return version.toUpperCase() === 'SIP/2.0' ? 0 : 505;
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) return true;
  }
  return false;
}

/** Parses a start line (without its line terminator). */
export function parseStartLine(line: string): StartLine {
  if (line.length >= 4 && line.slice(0, 4).toUpperCase() === 'SIP/') return parseStatusLine(line);
  // Request-Line = Method SP Request-URI SP SIP-Version: exactly two single spaces, so extra or
  // trailing whitespace (RFC 4475 lwsstart, trws, lwsruri) is a syntax error.
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
  const method = sp1 < 0 ? line : line.slice(0, sp1);
  const refuse = (code: number, reason: string): StartLine =>
    isAll(method, TOKEN)
      ? { kind: 'refused', isRequest: true, method, code, reason }
      : { kind: 'refused', isRequest: true, code, reason };
  if (!isAll(method, TOKEN) || sp2 < 0 || sp2 === sp1 + 1) return refuse(400, 'Malformed Request-Line');
  const uri = line.slice(sp1 + 1, sp2);
  const version = line.slice(sp2 + 1);
  if (version.indexOf(' ') >= 0) return refuse(400, 'Malformed Request-Line: stray whitespace');
  const code = versionCode(version);
  if (code !== 0) return refuse(code, code === 505 ? 'Version Not Supported' : 'Malformed SIP version');
  const parsedUri = parseUri(uri);
  if (!parsedUri.ok) return refuse(400, `Invalid Request-URI: ${parsedUri.reason}`);
  // RFC 3261 19.1.1: header components are not allowed in a Request-URI (RFC 4475 escruri).
  if (isSipUri(parsedUri.value) && parsedUri.value.headers.length > 0) {
    return refuse(400, 'Request-URI must not carry headers');
  }
  return { kind: 'request', method, uri };
}

// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase. The reason may be empty, and a
// missing final SP is tolerated (RFC 4475 noreason).
function parseStatusLine(line: string): StartLine {
  const refuse = (code: number, reason: string): StartLine => ({
    kind: 'refused',
    isRequest: false,
    code,
    reason,
  });
  const sp1 = line.indexOf(' ');
  if (sp1 < 0) return refuse(400, 'Malformed Status-Line');
  const code = versionCode(line.slice(0, sp1));
  if (code !== 0) return refuse(code, code === 505 ? 'Version Not Supported' : 'Malformed SIP version');
  const sp2 = line.indexOf(' ', sp1 + 1);
  const codeText = sp2 < 0 ? line.slice(sp1 + 1) : line.slice(sp1 + 1, sp2);
  const status = codeText.length === 3 ? parseDecimal(codeText, 699) : undefined;
  if (status === undefined || status < 100) return refuse(400, 'Status code is not three digits in 100..699');
  const reason = sp2 < 0 ? '' : line.slice(sp2 + 1);
  if (hasControl(reason)) return refuse(400, 'Control character in Reason-Phrase');
  return { kind: 'response', status, reason };
}
