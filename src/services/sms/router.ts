// The SmsGateway the dispatcher sees, over several routes (SMSC connections). Each submit goes to
// the best route allowed for its destination and type that is up; a route found down (or that
// says it is down) hands the submit to the next candidate. When none is up the submit comes back
// 'retry', so the message waits queued and is tried again — never lost.
import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  SmsGateway,
  SmsInboundPart,
  SmsReceipt,
  SmsRouteGateway,
  SmsSubmission,
  SmsSubmitResult,
} from '../ports.js';
import { selectRoutes, type RouteRule } from '../../domain/sms/route-selection.js';
import { segmentStatusForReceipt } from '../../domain/sms/lifecycle.js';
import { DomainError } from '../../domain/errors.js';
import type { SmsMonitor } from './monitor.js';

/** One route: its selection rules and its connection. */
export interface SmsRoute extends RouteRule {
  driver: 'smpp' | 'kannel';
  gateway: SmsRouteGateway;
  /** Secret that delivery-report callbacks for this route must carry (HTTP gateways). */
  callbackToken?: string;
}

/** A route as the monitor and health show it. */
export interface SmsRouteState {
  name: string;
  driver: 'smpp' | 'kannel';
  up: boolean;
  detail: string;
  prefixes: readonly string[];
  types: readonly string[];
  inFlight: number;
  waiting: number;
  window: number;
  rate: number;
  lastError: { at: Date; reason: string } | null;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Chooses a route per submit, fails over, and tags results and receipts with the route. */
export class SmsRouter implements SmsGateway {
  private readonly routes: Map<string, SmsRoute>;
  private readonly lastErrors = new Map<string, { at: Date; reason: string }>();
  private readonly handlers: ((r: SmsReceipt) => void)[] = [];

  constructor(
    routes: readonly SmsRoute[],
    private readonly monitor: SmsMonitor,
    private readonly now: () => number,
    /** How long a submit waits for one of its routes to come up before it goes back to the queue. */
    private readonly upWaitMs = 2000,
  ) {
    this.routes = new Map(routes.map((r) => [r.name, r]));
    for (const route of routes) {
      route.gateway.onReceipt((r) => this.onRouteReceipt(route.name, r));
    }
  }

  /** Tries the candidate routes in order; see the file comment. */
  async submit(s: SmsSubmission): Promise<SmsSubmitResult> {
    const candidates = selectRoutes([...this.routes.values()], s.destination, s.type ?? 'notification');
    if (candidates.length === 0) {
      this.monitor.count('retried');
      return { status: 'retry', reason: 'no route for this destination and type', down: true };
    }
    // A bind being (re)established is usually up in a moment: worth a short wait, not a retry.
    // Real time, not the clock: this waits on sockets (and a test's manual clock never moves).
    const until = Date.now() + this.upWaitMs;
    while (!candidates.some((n) => this.routes.get(n)!.gateway.state().bound) && Date.now() < until) {
      await sleep(25);
    }
    for (const [i, name] of candidates.entries()) {
      const route = this.routes.get(name)!;
      if (!route.gateway.state().bound) continue;
      const result = await route.gateway.submit(s);
      if (result.status === 'retry' && result.down) {
        this.noteError(name, result.reason);
        continue;
      }
      if (i > 0) this.monitor.count('failover', name);
      return this.tally(name, s.reference, result);
    }
    this.monitor.count('retried');
    return { status: 'retry', reason: `no route up (${candidates.join(', ')})`, down: true };
  }

  onReceipt(handler: (r: SmsReceipt) => void): void {
    this.handlers.push(handler);
  }

  /** Mobile-originated messages from every route that delivers them (SMPP binds). */
  onInbound(handler: (m: SmsInboundPart) => void): void {
    for (const r of this.routes.values()) r.gateway.onInbound?.(handler);
  }

  /** Bound when at least one route is up. */
  state(): { bound: boolean; detail: string } {
    const states = this.routeStates();
    const up = states.filter((s) => s.up).length;
    const each = states.map((s) => `${s.name} ${s.up ? 'up' : `down (${s.detail})`}`).join(', ');
    return { bound: up > 0, detail: `${up}/${states.length} routes up: ${each}` };
  }

  /** Every route with its connection state and numbers, in configuration order. */
  routeStates(): SmsRouteState[] {
    return [...this.routes.values()].map((r) => {
      const g = r.gateway.state();
      return {
        name: r.name,
        driver: r.driver,
        up: g.bound,
        detail: g.detail,
        prefixes: r.prefixes,
        types: r.types,
        ...r.gateway.stats(),
        lastError: this.lastErrors.get(r.name) ?? null,
      };
    });
  }

  start(): void {
    for (const r of this.routes.values()) r.gateway.start();
  }

  async close(): Promise<void> {
    await Promise.all([...this.routes.values()].map((r) => r.gateway.close()));
  }

  /**
   * A delivery report that reached Hotline over HTTP for `routeName`; `token` must be the route's
   * secret. Throws SMS_DLR_REJECTED (unknown route or wrong token) or SMS_DLR_INVALID.
   */
  callback(routeName: string, token: string, params: Readonly<Record<string, string>>): void {
    const route = this.routes.get(routeName);
    const expected = route?.callbackToken;
    if (
      !route?.gateway.callback ||
      expected === undefined ||
      !timingSafeEqual(digest(token), digest(expected))
    ) {
      throw new DomainError('SMS_DLR_REJECTED', 'No such delivery-report callback.');
    }
    if (!route.gateway.callback(params)) {
      throw new DomainError('SMS_DLR_INVALID', 'Not a readable delivery report.');
    }
  }

  private tally(route: string, reference: string, result: SmsSubmitResult): SmsSubmitResult {
    switch (result.status) {
      case 'accepted':
        this.monitor.count('submitted', route);
        // SMSC ids are only unique per SMSC: the route name keeps two SMSCs' ids apart.
        return { ...result, smscMessageKey: `${route}:${result.smscMessageKey}`, route };
      case 'failed':
        this.monitor.failure({ route, reference, errorCode: result.errorCode, reason: 'refused' });
        this.noteError(route, `refused with ${result.errorCode}`);
        return { ...result, route };
      case 'timeout':
        this.monitor.count('uncertain', route);
        this.noteError(route, result.reason);
        return { ...result, route };
      case 'retry':
        this.monitor.count('retried', route);
        return { ...result, route };
    }
  }

  private onRouteReceipt(route: string, r: SmsReceipt): void {
    const status = r.final ? segmentStatusForReceipt(r.state) : undefined;
    if (status === 'delivered') this.monitor.count('delivered', route);
    else if (status) {
      this.monitor.failure({
        route,
        reference: r.reference ?? null,
        errorCode: r.errorCode,
        reason: r.state,
      });
    }
    const tagged =
      r.smscMessageKey === undefined ? r : { ...r, smscMessageKey: `${route}:${r.smscMessageKey}` };
    for (const h of this.handlers) h(tagged);
  }

  private noteError(route: string, reason: string): void {
    this.lastErrors.set(route, { at: new Date(this.now()), reason });
  }
}
