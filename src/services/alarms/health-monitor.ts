// Runs the health checks on a timer, turns what they find into alarms (domain/alarms), texts the
// on-call list as alarm SMS (the highest priority in the outbox) and keeps what happened for the
// API. One SMS per problem until it clears, a reminder every re-notify interval, an all clear.
import type { Clock, Logger, Timer } from '../ports.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import type { EventHub } from '../events/event-hub.js';
import type { SmsOutbox } from '../sms/outbox.js';
import type { HealthCheck } from './checks.js';
import {
  alarmText,
  decideAlarms,
  type AlarmNotice,
  type CheckResult,
  type OpenAlarm,
} from '../../domain/alarms/alarms.js';

export interface MonitorOptions {
  intervalMs: number;
  /** 0 = no reminders. */
  reNotifyMs: number;
  /** Numbers texted on every notice. */
  onCall: readonly string[];
}

/** What the monitor knows now. */
export interface AlarmsView {
  open: (OpenAlarm & { since: Date })[];
  recent: (AlarmNotice & { at: Date; text: string })[];
  checks: CheckResult[];
  lastRunAt: Date | null;
}

// Alarm texts are sent as the system (SYSTEM_ACTOR): unbilled, created by 'system'.
const KEEP_RECENT = 100;

/** The timer-driven health monitor. */
export class HealthMonitor {
  private open = new Map<string, OpenAlarm>();
  private recent: AlarmsView['recent'] = [];
  private checks: CheckResult[] = [];
  private lastRunAt: number | null = null;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly probes: readonly HealthCheck[],
    private readonly sms: Pick<SmsOutbox, 'send'>,
    private readonly clock: Clock,
    private readonly timer: Timer,
    private readonly hub: EventHub,
    private readonly log: Logger,
    private readonly options: MonitorOptions,
  ) {}

  start(): void {
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer.clear();
    await this.running;
  }

  /** One round of checks and notices (the timer calls it; tests may too). */
  async runOnce(): Promise<void> {
    const rounds = await Promise.all(
      this.probes.map((p) =>
        p.run().catch((err: unknown) => {
          this.log.warn({ err }, 'a health check could not run');
          return [];
        }),
      ),
    );
    const results = rounds.flat();
    const now = this.clock.now();
    const { open, notices } = decideAlarms(this.open, results, now, this.options.reNotifyMs);
    this.open = open;
    this.checks = results;
    this.lastRunAt = now;
    for (const n of notices) await this.notify(n, now);
  }

  view(): AlarmsView {
    return {
      open: [...this.open.values()].map((a) => ({ ...a, since: new Date(a.sinceMs) })),
      recent: [...this.recent].reverse(),
      checks: this.checks,
      lastRunAt: this.lastRunAt === null ? null : new Date(this.lastRunAt),
    };
  }

  private async notify(n: AlarmNotice, now: number): Promise<void> {
    const text = alarmText(n, now);
    this.recent.push({ ...n, at: new Date(now), text });
    if (this.recent.length > KEEP_RECENT) this.recent.shift();
    this.log.warn({ alarm: n.key, kind: n.kind, detail: n.detail }, 'system alarm');
    this.hub.publish(
      n.kind === 'clear' ? 'alarm.cleared' : 'alarm.raised',
      { ...n, text },
      { staff: true },
      now,
    );
    for (const to of this.options.onCall) {
      try {
        await this.sms.send(SYSTEM_ACTOR, { to, body: text, type: 'alarm' });
      } catch (err) {
        this.log.error({ err, alarm: n.key }, 'alarm sms could not be queued');
      }
    }
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer.set(this.clock.now() + this.options.intervalMs, () => {
      this.running = this.runOnce()
        .catch((err: unknown) => this.log.error({ err }, 'health monitor failed'))
        .finally(() => {
          this.running = undefined;
          this.arm();
        });
    });
  }
}
