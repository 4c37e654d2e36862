// The SMS platform as operators see it: route states, throughput, queue depth and recent failures
// (GET /api/sms/monitor), and the door for delivery reports that gateways post back over HTTP.
import type { Store } from '../ports.js';
import {
  errorRate,
  perSecond,
  SMS_COUNTERS,
  type SmsCounts,
  type SmsFailure,
  type SmsMonitor,
} from './monitor.js';
import type { SmsRouter, SmsRouteState } from './router.js';
import { SMS_PRIORITY } from '../../domain/sms/lifecycle.js';
import { DomainError } from '../../domain/errors.js';

/** What GET /api/sms/monitor answers. */
export interface SmsMonitorReport {
  at: Date;
  /** Events per second over the last minute (segments, except `accepted` = messages taken in). */
  throughput: SmsCounts;
  /** The same minute as totals. */
  lastMinute: SmsCounts;
  /** failed / (submitted + failed) over the last minute; null without traffic. */
  errorRate: number | null;
  /** Queued messages per priority, highest first, with the message types of that priority. */
  queue: { priority: number; types: string[]; queued: number }[];
  routes: (SmsRouteState & { lastMinute: SmsCounts; errorRate: number | null })[];
  recentFailures: SmsFailure[];
}

const zero = (): SmsCounts => Object.fromEntries(SMS_COUNTERS.map((k) => [k, 0])) as SmsCounts;

/** Monitor report and delivery-report callbacks over the router (null = no route configured). */
export class SmsOperations {
  constructor(
    private readonly store: Store,
    private readonly router: SmsRouter | null,
    private readonly monitor: SmsMonitor,
    private readonly now: () => number,
  ) {}

  /** The platform now: see SmsMonitorReport. */
  async report(failures = 20): Promise<SmsMonitorReport> {
    const minute = this.monitor.lastMinute();
    const depth = await this.store.sms.queuedByPriority();
    const priorities = new Set([...Object.values(SMS_PRIORITY), ...depth.map((d) => d.priority)]);
    const queue = [...priorities]
      .sort((a, b) => b - a)
      .map((priority) => ({
        priority,
        types: Object.entries(SMS_PRIORITY)
          .filter(([, p]) => p === priority)
          .map(([t]) => t),
        queued: depth.find((d) => d.priority === priority)?.count ?? 0,
      }));
    return {
      at: new Date(this.now()),
      throughput: perSecond(minute.get('')),
      lastMinute: minute.get('') ?? zero(),
      errorRate: errorRate(minute.get('')),
      queue,
      routes: (this.router?.routeStates() ?? []).map((r) => ({
        ...r,
        lastMinute: minute.get(r.name) ?? zero(),
        errorRate: errorRate(minute.get(r.name)),
      })),
      recentFailures: this.monitor.recentFailures(failures),
    };
  }

  /** Route states for health; empty without routes. */
  routeStates(): SmsRouteState[] {
    return this.router?.routeStates() ?? [];
  }

  /** A delivery report posted back by an HTTP gateway; see SmsRouter.callback. */
  deliveryReport(route: string, token: string, params: Readonly<Record<string, string>>): void {
    // Without routes: the same answer as a wrong token, so a caller learns nothing of the setup.
    if (!this.router) throw new DomainError('SMS_DLR_REJECTED', 'No such delivery-report callback.');
    this.router.callback(route, token, params);
  }
}
