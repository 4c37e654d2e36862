// The SmsGateway port over Kannel's smsbox sendsms HTTP interface. Kannel cannot push its state,
// so the route counts as up while its HTTP port answers (a TCP probe, and every request); a
// refused connection means nothing was sent, so another route may take the segment.
import { connect } from 'node:net';
import type {
  SmsReceipt,
  SmsRouteGateway,
  SmsRouteStats,
  SmsSubmission,
  SmsSubmitResult,
} from '../../services/ports.js';
import { readDeliveryReport, readSendsmsAnswer, sendsmsQuery } from './sendsms.js';

/** Settings of one Kannel route. Times in ms. */
export interface KannelGatewayOptions {
  /** http://host:13013/cgi-bin/sendsms */
  sendsmsUrl: string;
  username: string;
  password: string;
  smsc: string | null;
  /** Requests in flight at once. */
  window: number;
  /** Requests per second. */
  rate: number;
  responseTimeoutMs: number;
  /** The dlr-url for a segment's reference; null when Hotline's own address is not known yet. */
  dlrUrl: (reference: string) => string | null;
  /** How often the HTTP port is probed; default 5 s. */
  probeIntervalMs?: number;
}

// Errors of a connection that never opened: the request was certainly not received.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** An SmsGateway sending through Kannel's sendsms. */
export class KannelGateway implements SmsRouteGateway {
  private up = false;
  private detail = 'not started';
  private started = false;
  private closed = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private nextSlotAt = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly handlers: ((r: SmsReceipt) => void)[] = [];
  private readonly requests = new Set<Promise<unknown>>();

  constructor(private readonly options: KannelGatewayOptions) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.probe();
    this.probeTimer = setInterval(() => void this.probe(), this.options.probeIntervalMs ?? 5000);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.probeTimer);
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.allSettled([...this.requests]);
  }

  state(): { bound: boolean; detail: string } {
    return { bound: this.up && !this.closed, detail: this.up ? 'reachable' : this.detail };
  }

  stats(): SmsRouteStats {
    return {
      inFlight: this.inFlight,
      waiting: this.waiting.length,
      window: this.options.window,
      rate: this.options.rate,
    };
  }

  onReceipt(handler: (r: SmsReceipt) => void): void {
    this.handlers.push(handler);
  }

  callback(params: Readonly<Record<string, string>>): boolean {
    const receipt = readDeliveryReport(params);
    if (!receipt) return false;
    for (const h of this.handlers) h(receipt);
    return true;
  }

  async submit(s: SmsSubmission): Promise<SmsSubmitResult> {
    if (!this.up || this.closed) return { status: 'retry', reason: 'kannel unreachable', down: true };
    await this.slot();
    if (this.closed) return { status: 'retry', reason: 'closed', down: true };
    this.inFlight++;
    const request = this.send(s);
    this.requests.add(request);
    try {
      return await request;
    } finally {
      this.requests.delete(request);
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  /** Waits for room in the window, then for the next paced slot. */
  private async slot(): Promise<void> {
    while (this.inFlight >= this.options.window && !this.closed) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    const now = Date.now();
    const at = Math.max(now, this.nextSlotAt);
    this.nextSlotAt = at + 1000 / this.options.rate;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }

  private async send(s: SmsSubmission): Promise<SmsSubmitResult> {
    const query = sendsmsQuery(s, this.options, this.options.dlrUrl(s.reference));
    const url = `${this.options.sendsmsUrl}${this.options.sendsmsUrl.includes('?') ? '&' : '?'}${query}`;
    let status: number;
    let body: string;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.options.responseTimeoutMs) });
      status = res.status;
      body = await res.text();
    } catch (err) {
      const code = errorCode(err);
      if (code && NOT_SENT.has(code)) {
        this.markDown(code);
        return { status: 'retry', reason: `kannel unreachable (${code})`, down: true };
      }
      // Kannel may have taken it before the answer was lost: never send it again.
      return { status: 'timeout', reason: code ?? 'no answer from kannel' };
    }
    const answer = readSendsmsAnswer(status, body);
    switch (answer.kind) {
      case 'accepted':
        this.up = true;
        // Kannel 1.4 answers no message id; our reference is what its delivery reports carry back.
        return { status: 'accepted', smscMessageId: s.reference, smscMessageKey: s.reference };
      case 'down':
        this.markDown(answer.reason);
        return { status: 'retry', reason: answer.reason, down: true };
      case 'refused':
        this.up = true;
        return { status: 'failed', errorCode: answer.status };
    }
  }

  private markDown(reason: string): void {
    this.up = false;
    this.detail = reason;
  }

  /** Up while the HTTP port accepts connections; a 'down' answer waits for the next probe. */
  private async probe(): Promise<void> {
    const url = new URL(this.options.sendsmsUrl);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const reachable = await new Promise<string | true>((resolve) => {
      const socket = connect({ host: url.hostname, port });
      socket.setTimeout(2000, () => socket.destroy(new Error('ETIMEDOUT')));
      socket.once('connect', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    if (this.closed) return;
    if (reachable === true) {
      if (!this.up) this.detail = 'reachable';
      this.up = true;
    } else this.markDown(`unreachable (${reachable})`);
  }
}

function errorCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout';
  const cause = (err as Error & { cause?: { code?: string } }).cause;
  return cause?.code ?? (err as NodeJS.ErrnoException).code;
}
