// HTTP digest authentication for SIP (RFC 2617, RFC 7616, RFC 8760): the server's challenge and
// verification, and the client's answer for outbound trunks. Nonces are stateless: a timestamp and
// salt sealed with an HMAC under the server secret, so any process holding the secret can check
// one and none has to be stored until it is first used. Only nonce-counts are remembered, in
// bounded memory, to refuse replays.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { quote, scanQuoted, splitList, trimWsp, unquote } from './syntax.js';

/** Digest algorithms this stack computes. */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

/** What verification tells: ok with the authenticated user, stale (re-challenge with stale=true), or fail. */
export type DigestVerdict = { result: 'ok'; username: string } | { result: 'stale' } | { result: 'fail' };

/** Looks up the stored HA1 of a user for an algorithm; undefined when there is none. */
export type Ha1Lookup = (username: string, algorithm: DigestAlgorithm) => Promise<string | undefined>;

/** Options of DigestServer. */
export interface DigestServerOptions {
  realm: string;
  /** Key of the nonce HMAC; at least 16 bytes. Processes sharing it accept each other's nonces. */
  secret: Buffer;
  /** Wall or monotonic clock in ms; nonces carry its value. */
  now: () => number;
  /** How long a nonce is accepted; older ones answer stale. Default 5 minutes. */
  nonceTtlMs?: number;
  /** Offered in this order of preference (RFC 8760: strongest first). Default SHA-256, MD5. */
  algorithms?: DigestAlgorithm[];
  /** Nonces whose highest nonce-count is remembered at most. Default 10000. */
  maxTrackedNonces?: number;
}

/** A parsed Authorization, Proxy-Authorization or WWW-Authenticate value. */
export interface DigestParams {
  scheme: string;
  params: Map<string, string>;
}

const HASH: Record<DigestAlgorithm, string> = { MD5: 'md5', 'SHA-256': 'sha256' };
const HEX_LENGTH: Record<DigestAlgorithm, number> = { MD5: 32, 'SHA-256': 64 };
const MAC_BYTES = 16;
const NONCE_BYTES = 8 + 8 + MAC_BYTES;

function hash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(HASH[algorithm]).update(text, 'utf8').digest('hex');
}

/** Normalizes an algorithm token; undefined for one not supported (the -sess variants included). */
export function digestAlgorithm(token: string | undefined): DigestAlgorithm | undefined {
  const upper = (token ?? 'MD5').toUpperCase();
  return upper === 'MD5' || upper === 'SHA-256' ? upper : undefined;
}

/** HA1 = H(username:realm:password), what a user store keeps instead of the password. */
export function ha1(
  username: string,
  realm: string,
  password: string,
  algorithm: DigestAlgorithm = 'MD5',
): string {
  return hash(algorithm, `${username}:${realm}:${password}`);
}

/** Inputs of one digest response computation. */
export interface DigestInput {
  algorithm: DigestAlgorithm;
  ha1: string;
  nonce: string;
  method: string;
  uri: string;
  /** 'auth', or undefined for the RFC 2069 form without nc and cnonce. */
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}

/** The request-digest (RFC 7616 3.4.1) for qop=auth, or RFC 2069 without qop. */
export function digestResponse(input: DigestInput): string {
  const ha2 = hash(input.algorithm, `${input.method}:${input.uri}`);
  if (input.qop === undefined) return hash(input.algorithm, `${input.ha1}:${input.nonce}:${ha2}`);
  const { nc = '', cnonce = '' } = input;
  return hash(input.algorithm, `${input.ha1}:${input.nonce}:${nc}:${cnonce}:${input.qop}:${ha2}`);
}

/**
 * Parses `Digest name=value, ...`; names lowercased, quoted values unquoted. Undefined when it is
 * not a credentials/challenge value at all.
 */
export function parseDigest(value: string): DigestParams | undefined {
  const text = trimWsp(value);
  const space = text.search(/[ \t]/);
  if (space <= 0) return undefined;
  const scheme = text.slice(0, space);
  const params = new Map<string, string>();
  for (const item of splitList(text.slice(space + 1))) {
    const eq = item.indexOf('=');
    if (eq <= 0) return undefined;
    const name = trimWsp(item.slice(0, eq)).toLowerCase();
    const raw = trimWsp(item.slice(eq + 1));
    let v = raw;
    if (raw.startsWith('"')) {
      if (scanQuoted(raw, 0) !== raw.length) return undefined;
      v = unquote(raw);
    }
    // A repeated parameter is ambiguous; the first one wins, as with SIP header parameters.
    if (!params.has(name)) params.set(name, v);
  }
  return { scheme, params };
}

/**
 * The server half: challenges and verification against stored HA1 values.
 * @example const auth = new DigestServer({ realm: 'hotline', secret, now: Date.now });
 */
export class DigestServer {
  readonly realm: string;
  private readonly secret: Buffer;
  private readonly now: () => number;
  private readonly ttl: number;
  private readonly algorithms: DigestAlgorithm[];
  private readonly maxTracked: number;
  private readonly opaque: string;
  /** Highest nonce-count seen per nonce, oldest first use first. */
  private readonly counts = new Map<string, { issued: number; nc: number }>();
  /** Nonces issued at or before this time may have lost their count record: they answer stale. */
  private forgottenUpTo = -Infinity;

  constructor(options: DigestServerOptions) {
    if (options.secret.length < 16) throw new RangeError('digest secret must be at least 16 bytes');
    this.realm = options.realm;
    this.secret = options.secret;
    this.now = options.now;
    this.ttl = options.nonceTtlMs ?? 300_000;
    this.algorithms = options.algorithms ?? ['SHA-256', 'MD5'];
    this.maxTracked = options.maxTrackedNonces ?? 10_000;
    // Fixed per secret and realm: clients echo it; it carries no state of its own.
    this.opaque = this.mac(Buffer.from(`opaque:${this.realm}`)).toString('base64url');
  }

  /** Challenge header values (one per algorithm) for WWW-Authenticate or Proxy-Authenticate. */
  challenge(stale = false): string[] {
    const nonce = this.newNonce();
    return this.algorithms.map(
      (algorithm) =>
        `Digest realm=${quote(this.realm)}, nonce="${nonce}", opaque="${this.opaque}", ` +
        `algorithm=${algorithm}, qop="auth"${stale ? ', stale=true' : ''}`,
    );
  }

  /**
   * Verifies an Authorization value for a request. An unknown user, a wrong password and a
   * malformed header all give the same 'fail', after the same work, so answers reveal no accounts.
   */
  async verify(
    authorization: string,
    method: string,
    uri: string,
    lookupHa1: Ha1Lookup,
  ): Promise<DigestVerdict> {
    const fail = { result: 'fail' } as const;
    const parsed = parseDigest(authorization);
    if (parsed === undefined || parsed.scheme.toLowerCase() !== 'digest') return fail;
    const p = parsed.params;
    const username = p.get('username');
    const nonce = p.get('nonce');
    const response = p.get('response')?.toLowerCase();
    const nc = p.get('nc');
    const cnonce = p.get('cnonce');
    const algorithm = digestAlgorithm(p.get('algorithm'));
    if (username === undefined || nonce === undefined || response === undefined) return fail;
    if (algorithm === undefined || !this.algorithms.includes(algorithm)) return fail;
    if (p.get('realm') !== this.realm || p.get('uri') !== uri) return fail;
    if (p.has('opaque') && p.get('opaque') !== this.opaque) return fail;
    // Only qop=auth: without nc there is no replay protection within a nonce's lifetime.
    if (p.get('qop') !== 'auth' || nc === undefined || !/^[0-9a-fA-F]{8}$/.test(nc) || !cnonce) return fail;
    const issued = this.openNonce(nonce);
    if (issued === undefined) return fail;
    const stored = await lookupHa1(username, algorithm);
    // An unknown user is checked against a dummy HA1, so that it costs what a wrong password costs.
    const key = stored ?? '0'.repeat(HEX_LENGTH[algorithm]);
    const expected = digestResponse({ algorithm, ha1: key, nonce, method, uri, qop: 'auth', nc, cnonce });
    const matches =
      expected.length === response.length && timingSafeEqual(Buffer.from(expected), Buffer.from(response));
    if (!matches || stored === undefined) return fail;
    // Stale only once the password proved right: a stale answer must not help guess one.
    if (this.now() - issued > this.ttl) return { result: 'stale' };
    return this.countUse(nonce, issued, parseInt(nc, 16)) ? { result: 'ok', username } : { result: 'stale' };
  }

  private mac(data: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(data).digest().subarray(0, MAC_BYTES);
  }

  private newNonce(): string {
    const head = Buffer.alloc(16);
    head.writeDoubleBE(this.now(), 0);
    randomBytes(8).copy(head, 8);
    return Buffer.concat([head, this.mac(Buffer.concat([head, Buffer.from(this.realm)]))]).toString(
      'base64url',
    );
  }

  /** The issue time of a nonce this server made, or undefined for a forged or foreign one. */
  private openNonce(nonce: string): number | undefined {
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== NONCE_BYTES || raw.toString('base64url') !== nonce) return undefined;
    const head = raw.subarray(0, 16);
    const mac = this.mac(Buffer.concat([head, Buffer.from(this.realm)]));
    if (!timingSafeEqual(mac, raw.subarray(16))) return undefined;
    const issued = head.readDoubleBE(0);
    return Number.isFinite(issued) ? issued : undefined;
  }

  /** Records nc for nonce; false when it is not above the highest seen (a replay) or unknowable. */
  private countUse(nonce: string, issued: number, nc: number): boolean {
    const seen = this.counts.get(nonce);
    if (seen !== undefined) {
      if (nc <= seen.nc) return false;
      seen.nc = nc;
      return true;
    }
    if (issued <= this.forgottenUpTo) return false;
    this.counts.set(nonce, { issued, nc });
    if (this.counts.size > this.maxTracked) this.forget();
    return true;
  }

  private forget(): void {
    const now = this.now();
    // Expired nonces answer stale anyway: dropping them loses nothing.
    for (const [nonce, entry] of this.counts) if (now - entry.issued > this.ttl) this.counts.delete(nonce);
    for (const [nonce, entry] of this.counts) {
      if (this.counts.size <= this.maxTracked) break;
      this.counts.delete(nonce);
      this.forgottenUpTo = Math.max(this.forgottenUpTo, entry.issued);
    }
  }
}

/** Credentials a client answers challenges with; ha1 instead of password keeps it out of memory. */
export interface DigestCredentials {
  username: string;
  password?: string;
  ha1?: string;
}

/** Options of authorize beyond the challenge and credentials. */
export interface AuthorizeRequest {
  method: string;
  uri: string;
  /** Nonce-count for this nonce; 1 on first use. */
  nc?: number;
  /** Client nonce; random when absent. */
  cnonce?: string;
}

/** Among challenge values, the one with the strongest algorithm this stack speaks. */
export function pickChallenge(values: readonly string[]): DigestParams | undefined {
  let best: { params: DigestParams; rank: number } | undefined;
  for (const value of values) {
    const c = parseDigest(value);
    const algorithm =
      c && c.scheme.toLowerCase() === 'digest' ? digestAlgorithm(c.params.get('algorithm')) : undefined;
    if (c === undefined || algorithm === undefined || !c.params.has('nonce')) continue;
    const rank = algorithm === 'SHA-256' ? 2 : 1;
    if (best === undefined || rank > best.rank) best = { params: c, rank };
  }
  return best?.params;
}

/**
 * An Authorization (or Proxy-Authorization) value answering a challenge.
 * @example authorize(pickChallenge(values)!, { username: 'trunk', password }, { method: 'INVITE', uri })
 */
export function authorize(
  challenge: DigestParams,
  credentials: DigestCredentials,
  request: AuthorizeRequest,
): string {
  const p = challenge.params;
  const algorithm = digestAlgorithm(p.get('algorithm'));
  if (algorithm === undefined) throw new Error(`unsupported digest algorithm ${p.get('algorithm')}`);
  const realm = p.get('realm') ?? '';
  const nonce = p.get('nonce') ?? '';
  const key =
    credentials.ha1 ??
    (credentials.password === undefined
      ? undefined
      : ha1(credentials.username, realm, credentials.password, algorithm));
  if (key === undefined) throw new Error('digest credentials need a password or an HA1');
  const offered = (p.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
  const qop = offered.includes('auth') ? 'auth' : undefined;
  const nc = (request.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = request.cnonce ?? randomBytes(12).toString('base64url');
  const response = digestResponse(
    qop === undefined
      ? { algorithm, ha1: key, nonce, method: request.method, uri: request.uri }
      : { algorithm, ha1: key, nonce, method: request.method, uri: request.uri, qop, nc, cnonce },
  );
  const parts = [
    `username=${quote(credentials.username)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(nonce)}`,
    `uri=${quote(request.uri)}`,
    `response="${response}"`,
    `algorithm=${algorithm}`,
  ];
  if (p.has('opaque')) parts.push(`opaque=${quote(p.get('opaque') ?? '')}`);
  if (qop !== undefined) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  return `Digest ${parts.join(', ')}`;
}
