// Outbound SIP trunks to a carrier or PBX: requests that answer a 401/407 digest challenge once,
// and a registration kept alive (RFC 3261 10.2) on a scheduler, so that the carrier knows where to
// send our inbound calls.
import { authorize, pickChallenge, type DigestCredentials } from './digest.js';
import type { SipEndpoint } from './endpoint.js';
import { headerValue, headerValues, readContacts, type SipRequest, type SipResponse } from './message.js';
import type { SipTarget } from './transport.js';
import { newTag } from './transactions/messages.js';
import type { Scheduler } from './transactions/timers.js';
import { formatUri } from './uri.js';
import { randomBytes } from 'node:crypto';

/** One trunk as configured. */
export interface TrunkConfig {
  name: string;
  /** The carrier's proxy or registrar. */
  target: SipTarget;
  /** The carrier's domain: host of our AOR and of the REGISTER Request-URI. */
  domain: string;
  /** Digest user, and the user part of our AOR. */
  username: string;
  /** Password or HA1; an HA1 keeps the plaintext out of the configuration. */
  password?: string;
  ha1?: string;
  /** Registration interval asked for, in seconds; 0 for a trunk authenticated by IP. Default 3600. */
  registerExpires?: number;
}

/** The final response of an authenticated exchange, and the request that got it. */
export interface AuthenticatedResult {
  request: SipRequest;
  response: SipResponse;
}

/**
 * Sends req; on 401 or 407 sends it once more with credentials and CSeq plus one (a second
 * challenge means the credentials are wrong and is returned as is). For an INVITE, the request
 * returned is the one its dialog is made from.
 */
export async function requestWithAuth(
  endpoint: SipEndpoint,
  req: SipRequest,
  target: SipTarget,
  credentials: DigestCredentials,
): Promise<AuthenticatedResult> {
  const response = await endpoint.request(req, target);
  if (response.status !== 401 && response.status !== 407) return { request: req, response };
  const proxy = response.status === 407;
  const challenge = pickChallenge(headerValues(response, proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate'));
  if (challenge === undefined) return { request: req, response };
  const value = authorize(challenge, credentials, { method: req.method, uri: req.uri });
  const retry: SipRequest = {
    ...req,
    headers: [
      ...req.headers.map((h) => (h.name === 'CSeq' ? { name: 'CSeq', value: bumpCSeq(h.value) } : h)),
      { name: proxy ? 'Proxy-Authorization' : 'Authorization', value },
    ],
  };
  return { request: retry, response: await endpoint.request(retry, target) };
}

/** Where a registration stands. */
export type RegistrationState = 'idle' | 'registered' | 'failed';

/** Options of TrunkRegistration. */
export interface TrunkRegistrationOptions {
  scheduler: Scheduler;
  /** Told of every state a REGISTER exchange ends in. */
  onState?: (state: RegistrationState, response: SipResponse) => void;
  /** Wait before trying again after a failure, in ms. Default 30000. */
  retryMs?: number;
}

/**
 * A registration with a trunk's registrar, refreshed before it lapses.
 * @example const reg = new TrunkRegistration(sip, trunk, { scheduler: realScheduler }); await reg.refresh();
 */
export class TrunkRegistration {
  private readonly callId = randomBytes(12).toString('hex');
  private readonly fromTag = newTag();
  private seq = 0;
  private expires: number;
  private cancelTimer: () => void = () => undefined;
  private stopped = false;
  private current: RegistrationState = 'idle';

  constructor(
    private readonly endpoint: SipEndpoint,
    private readonly trunk: TrunkConfig,
    private readonly options: TrunkRegistrationOptions,
  ) {
    this.expires = trunk.registerExpires ?? 3600;
  }

  /** Where the registration stands. */
  get state(): RegistrationState {
    return this.current;
  }

  /** Our Contact URI at the trunk. */
  get contact(): string {
    const local = this.endpoint.local(this.trunk.target.protocol);
    const host = local.address.includes(':') ? `[${local.address}]` : local.address;
    const transport = this.trunk.target.protocol === 'tcp' ? ';transport=tcp' : '';
    return `sip:${this.trunk.username}@${host}:${local.port}${transport}`;
  }

  /** Registers now and schedules the next refresh (or retry); resolves with the final response. */
  async refresh(): Promise<SipResponse> {
    this.cancelTimer();
    let { response } = await requestWithAuth(
      this.endpoint,
      this.build(this.expires),
      this.trunk.target,
      this.credentials(),
    );
    if (response.status === 423) {
      // The registrar wants a longer interval: take its minimum and try once more.
      const min = Number(headerValue(response, 'Min-Expires'));
      if (Number.isInteger(min) && min > this.expires) {
        this.expires = min;
        ({ response } = await requestWithAuth(
          this.endpoint,
          this.build(min),
          this.trunk.target,
          this.credentials(),
        ));
      }
    }
    if (this.stopped) return response;
    const now = this.options.scheduler.now();
    if (response.status >= 200 && response.status < 300) {
      this.current = 'registered';
      // Refresh at 80% of what the registrar granted, which may be less than we asked for.
      const granted = this.granted(response);
      this.schedule(now + granted * 800);
    } else {
      this.current = 'failed';
      this.schedule(now + (this.options.retryMs ?? 30_000));
    }
    this.options.onState?.(this.current, response);
    return response;
  }

  /** Stops refreshing and removes our binding at the registrar. */
  async stop(): Promise<SipResponse> {
    this.stopped = true;
    this.cancelTimer();
    const { response } = await requestWithAuth(
      this.endpoint,
      this.build(0),
      this.trunk.target,
      this.credentials(),
    );
    this.current = 'idle';
    return response;
  }

  private schedule(at: number): void {
    this.cancelTimer = this.options.scheduler.at(at, () => void this.refresh().catch(() => undefined));
  }

  private credentials(): DigestCredentials {
    const { username, password, ha1 } = this.trunk;
    return {
      username,
      ...(password === undefined ? {} : { password }),
      ...(ha1 === undefined ? {} : { ha1 }),
    };
  }

  /** The REGISTER: same Call-ID for the registration's life, CSeq rising (RFC 3261 10.2.4). */
  private build(expires: number): SipRequest {
    // Two numbers per exchange: requestWithAuth may use the next one for its retry.
    this.seq += 2;
    const aor = `<sip:${this.trunk.username}@${this.trunk.domain}>`;
    return {
      kind: 'request',
      method: 'REGISTER',
      uri: `sip:${this.trunk.domain}`,
      version: 'SIP/2.0',
      headers: [
        { name: 'From', value: `${aor};tag=${this.fromTag}` },
        { name: 'To', value: aor },
        { name: 'Call-ID', value: this.callId },
        { name: 'CSeq', value: `${this.seq} REGISTER` },
        { name: 'Contact', value: `<${this.contact}>` },
        { name: 'Expires', value: String(expires) },
      ],
      body: Buffer.alloc(0),
    };
  }

  private granted(response: SipResponse): number {
    const contacts = readContacts(response);
    const mine = this.contact;
    if (contacts.ok && contacts.value !== '*') {
      for (const c of contacts.value) {
        const expires = Number(c.params.get('expires'));
        // Registrars echo every binding of the AOR; ours is the one with our Contact.
        if (formatUri(c.uri).toLowerCase() === mine.toLowerCase() && Number.isFinite(expires)) return expires;
      }
    }
    const header = Number(headerValue(response, 'Expires'));
    return Number.isFinite(header) && header > 0 ? header : this.expires;
  }
}

function bumpCSeq(value: string): string {
  const [seq, method] = value.trim().split(/\s+/);
  return `${Number(seq) + 1} ${method ?? ''}`;
}
