// First line of defence for a SIP port exposed to the internet, where scanners and password
// crackers arrive within minutes: a per-source request rate limit with a temporary ban (after
// Kamailio's pike module: over 16 requests in 2 s ignores the source for 5 minutes), a drop list
// of scanner User-Agents (answering them only confirms a target), and a message size bound.
// Pure: every decision takes `now`.
import { BlockList, isIP } from 'node:net';
import { headerValue, type SipRequest } from './message.js';
import { DEFAULT_MAX_MESSAGE_SIZE } from './parser.js';
import type { SipSource } from './transport.js';

/** Options of SipProtection; every number is configurable. */
export interface ProtectionOptions {
  /** Requests allowed per window from one source; the next one bans it. Default 16; false disables. */
  maxRequests?: number | false;
  /** Length of the sliding window, ms. Default 2000. */
  windowMs?: number;
  /** How long a banned source is ignored, ms. Default 300000 (5 minutes). */
  banMs?: number;
  /** What a source is: its IP address (default, as pike does) or address and port. */
  sourceKey?: 'address' | 'address-port';
  /** Addresses or CIDR ranges never rate limited (a carrier's trunk, the own proxy). */
  trusted?: readonly string[];
  /** Case-insensitive User-Agent substrings whose requests are dropped. Default SCANNER_USER_AGENTS. */
  scannerUserAgents?: readonly string[];
  /** Largest message accepted, bytes. Default 64 KiB. */
  maxMessageSize?: number;
  /** Sources tracked at most; beyond, new sources pass untracked (memory stays bounded). Default 100000. */
  maxTrackedSources?: number;
  /** Called when a source gets banned. */
  onBan?: (source: string, until: number) => void;
}

/** User-Agents of the common SIP scanners (sipvicious and friends). */
export const SCANNER_USER_AGENTS: readonly string[] = [
  'friendly-scanner',
  'sipvicious',
  'sipcli',
  'VaxSIPUserAgent',
  'sundayddr',
  'iWar',
  'SIPscan',
];

/** What inspect() decided. */
export type ProtectionVerdict = 'pass' | 'banned' | 'rate-limited' | 'scanner';

/** Counters of SipProtection. */
export interface ProtectionCounters {
  /** Requests dropped because the source is banned. */
  banned: number;
  /** Requests that crossed the limit (each starts a ban). */
  rateLimited: number;
  /** Requests dropped for a scanner User-Agent. */
  scanners: number;
  /** Bans imposed. */
  bans: number;
  /** Sources admitted without tracking because the table was full. */
  untracked: number;
}

interface SourceState {
  /** The last maxRequests arrival times, as a ring. */
  times: number[];
  next: number;
  bannedUntil: number;
  lastSeen: number;
}

/**
 * Per-source rate limit, temporary bans and the scanner drop list.
 * @example if (protection.inspect(req, source, now) !== 'pass') return; // drop silently
 */
export class SipProtection {
  readonly counters: ProtectionCounters = { banned: 0, rateLimited: 0, scanners: 0, bans: 0, untracked: 0 };
  /** Largest message accepted, for the transports and the parser. */
  readonly maxMessageSize: number;
  private readonly limit: number | false;
  private readonly windowMs: number;
  private readonly banMs: number;
  private readonly perPort: boolean;
  private trusted = new BlockList();
  private readonly scanners: string[];
  private readonly maxTracked: number;
  private readonly onBan: ((source: string, until: number) => void) | undefined;
  private readonly sources = new Map<string, SourceState>();
  private lastSweep = -Infinity;

  constructor(options: ProtectionOptions = {}) {
    this.limit = options.maxRequests ?? 16;
    this.windowMs = options.windowMs ?? 2000;
    this.banMs = options.banMs ?? 300_000;
    this.perPort = options.sourceKey === 'address-port';
    this.trust(options.trusted ?? []);
    this.scanners = (options.scannerUserAgents ?? SCANNER_USER_AGENTS).map((s) => s.toLowerCase());
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.maxTracked = options.maxTrackedSources ?? 100_000;
    this.onBan = options.onBan;
    if (this.limit !== false && (!Number.isInteger(this.limit) || this.limit < 1)) {
      throw new RangeError('maxRequests must be a positive integer or false');
    }
  }

  /** Replaces the trusted addresses and ranges (trunk sources, edited in the console). */
  trust(entries: readonly string[]): void {
    const trusted = new BlockList();
    for (const entry of entries) {
      const [address = '', prefix] = entry.split('/');
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) trusted.addAddress(address, type);
      else trusted.addSubnet(address, Number(prefix), type);
    }
    this.trusted = trusted;
  }

  /** True while the source is banned: its messages are dropped before parsing. */
  isBanned(source: SipSource, now: number): boolean {
    const state = this.sources.get(this.keyOf(source));
    if (state === undefined || state.bannedUntil <= now) return false;
    this.counters.banned++;
    return true;
  }

  /**
   * Counts a request (parsed or refused by the parser; pass null for the latter) against its
   * source's rate and checks its User-Agent.
   */
  inspect(req: SipRequest | null, source: SipSource, now: number): ProtectionVerdict {
    if (req !== null && this.isScanner(req)) {
      this.counters.scanners++;
      return 'scanner';
    }
    if (this.limit === false || this.isTrusted(source.address)) return 'pass';
    this.sweep(now);
    const key = this.keyOf(source);
    let state = this.sources.get(key);
    if (state === undefined) {
      if (this.sources.size >= this.maxTracked) {
        this.counters.untracked++;
        return 'pass';
      }
      state = { times: [], next: 0, bannedUntil: 0, lastSeen: now };
      this.sources.set(key, state);
    }
    state.lastSeen = now;
    if (state.bannedUntil > now) {
      this.counters.banned++;
      return 'banned';
    }
    // The ring holds the last `limit` arrivals: if the oldest is inside the window, this request
    // is one too many for it.
    const oldest = state.times.length < this.limit ? undefined : state.times[state.next];
    if (oldest !== undefined && now - oldest < this.windowMs) {
      state.bannedUntil = now + this.banMs;
      state.times = [];
      state.next = 0;
      this.counters.rateLimited++;
      this.counters.bans++;
      this.onBan?.(key, state.bannedUntil);
      return 'rate-limited';
    }
    if (state.times.length < this.limit) state.times.push(now);
    else state.times[state.next] = now;
    state.next = (state.next + 1) % this.limit;
    return 'pass';
  }

  /** Lifts a ban early (an operator's action). */
  unban(source: SipSource): void {
    this.sources.delete(this.keyOf(source));
  }

  /** Sources currently banned, with when each ban ends. */
  bans(now: number): { source: string; until: number }[] {
    const out: { source: string; until: number }[] = [];
    for (const [source, state] of this.sources) {
      if (state.bannedUntil > now) out.push({ source, until: state.bannedUntil });
    }
    return out;
  }

  /** Sources being tracked. */
  get tracked(): number {
    return this.sources.size;
  }

  private isTrusted(address: string): boolean {
    // IPv4 on a dual-stack socket arrives as ::ffff:a.b.c.d.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const plain = mapped ? mapped[1]! : address;
    const type = isIP(plain);
    return type !== 0 && this.trusted.check(plain, type === 6 ? 'ipv6' : 'ipv4');
  }

  private isScanner(req: SipRequest): boolean {
    if (this.scanners.length === 0) return false;
    const agent = headerValue(req, 'User-Agent')?.toLowerCase();
    return agent !== undefined && this.scanners.some((s) => agent.includes(s));
  }

  private keyOf(source: SipSource): string {
    return this.perPort ? `${source.address}|${source.port}` : source.address;
  }

  /** Forgets quiet, unbanned sources, at most once per window (amortised O(1) per request). */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, state] of this.sources) {
      if (state.bannedUntil <= now && now - state.lastSeen >= this.windowMs) this.sources.delete(key);
    }
  }
}
