// Trunk reachability: an OPTIONS to each trunk's outbound proxy every so often. Any answer, even a
// challenge or an error status, means the carrier's SIP side is there; silence (or a transport
// failure) within the timeout means it is not. The HealthMonitor reads the last verdicts.
import { randomBytes } from 'node:crypto';
import type { TrunkReachability } from '../../services/calls/trunk-ports.js';
import type { SipEndpoint } from './endpoint.js';
import type { SipRequest } from './message.js';
import { newTag } from './transactions/messages.js';
import type { SipTarget } from './transport.js';

/** A trunk to ping. */
export interface PingedTrunk {
  name: string;
  target: SipTarget;
  domain: string;
}

/**
 * Pings trunks on an interval; `states()` is what the health check reports.
 * @example const pinger = new TrunkPinger(endpoint, trunks, { intervalMs: 30_000 }); pinger.start();
 */
export class TrunkPinger {
  private readonly last = new Map<string, TrunkReachability>();
  /** Trunks removed since the health check last read: reported fine once, so their alarm closes. */
  private readonly retired = new Map<string, TrunkReachability>();
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;
  private stopped = false;

  constructor(
    private readonly endpoint: SipEndpoint,
    private trunks: readonly PingedTrunk[],
    private readonly options: { intervalMs: number; timeoutMs?: number },
  ) {
    for (const t of trunks) this.last.set(t.name, { trunk: t.name, up: null, detail: 'not pinged yet' });
  }

  /** Runs the pings on the interval (also once trunks are added later, while there are none). */
  start(): void {
    if (this.timer !== null) return;
    this.stopped = false;
    void this.pingAll();
    this.timer = setInterval(() => void this.pingAll(), this.options.intervalMs);
    this.timer.unref();
  }

  /**
   * Takes a new set of trunks (edited in the console): removed ones are forgotten (their alarm
   * clears), new or moved ones are pinged at once when the pings run.
   */
  replace(trunks: readonly PingedTrunk[]): void {
    const before = new Map(this.trunks.map((t) => [t.name, JSON.stringify(t)]));
    this.trunks = trunks;
    const fresh: PingedTrunk[] = [];
    for (const name of [...this.last.keys()]) {
      if (trunks.some((t) => t.name === name)) continue;
      this.last.delete(name);
      this.retired.set(name, { trunk: name, up: true, detail: `SIP trunk ${name} removed` });
    }
    for (const t of trunks) {
      if (before.get(t.name) === JSON.stringify(t)) continue;
      this.last.set(t.name, { trunk: t.name, up: null, detail: 'not pinged yet' });
      fresh.push(t);
    }
    if (this.timer !== null) void Promise.all(fresh.map((t) => this.ping(t)));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** The last verdict for each trunk (the health check's read: removed trunks once more as fine). */
  states(): TrunkReachability[] {
    const retired = [...this.retired.values()].filter((r) => !this.last.has(r.trunk));
    this.retired.clear();
    return [...this.last.values(), ...retired];
  }

  /** The last verdict for one trunk, if it is pinged. */
  stateOf(name: string): TrunkReachability | undefined {
    return this.last.get(name);
  }

  /** Pings every trunk once; resolves when each answered or timed out. */
  async pingAll(): Promise<void> {
    await Promise.all(this.trunks.map((t) => this.ping(t)));
  }

  private async ping(t: PingedTrunk): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? Math.min(5000, this.options.intervalMs);
    let timer: NodeJS.Timeout | undefined;
    const silence = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const answer = this.endpoint.request(this.options_(t), t.target).then(
      (res) => res.status,
      () => 503,
    );
    const status = await Promise.race([answer, silence]);
    clearTimeout(timer);
    // A trunk removed or changed while its ping was out: the verdict is about what is gone.
    if (this.stopped || !this.trunks.includes(t)) return;
    // 408 and 503 here are the transaction's own: timeout or transport failure.
    const up = status !== null && status !== 408 && status !== 503;
    this.last.set(t.name, {
      trunk: t.name,
      up,
      detail: up
        ? `SIP trunk ${t.name} answers OPTIONS (${status})`
        : `SIP trunk ${t.name} unreachable: no answer to OPTIONS within ${timeoutMs} ms`,
    });
  }

  private options_(t: PingedTrunk): SipRequest {
    this.seq++;
    const uri = `sip:${t.domain}`;
    return {
      kind: 'request',
      method: 'OPTIONS',
      uri,
      version: 'SIP/2.0',
      headers: [
        { name: 'From', value: `<sip:hotline@${t.domain}>;tag=${newTag()}` },
        { name: 'To', value: `<${uri}>` },
        { name: 'Call-ID', value: randomBytes(12).toString('hex') },
        { name: 'CSeq', value: `${this.seq} OPTIONS` },
        { name: 'Accept', value: 'application/sdp' },
      ],
      body: Buffer.alloc(0),
    };
  }
}
