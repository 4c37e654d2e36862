/**
 * When a message may go: its schedule (sendAt), its validity (validUntil) and the send window of
 * its type in the recipient's local time. The outbox asks for the first attempt time; the
 * dispatcher asks again when it takes a message (hold, expire and refund, or go); cancelling runs
 * here too.
 */
import type { Clock, Store } from '../ports.js';
import type { Principal } from '../auth/principal.js';
import type { EventHub } from '../events/event-hub.js';
import type { SmsMessageRecord } from '../records.js';
import type { SmsBilling } from './billing.js';
import { memberOf } from './billing.js';
import { DomainError } from '../../domain/errors.js';
import type { SmsType } from '../../domain/sms/lifecycle.js';
import { nextAllowedInstant, type SendWindow } from '../../domain/sms/send-window.js';
import { recipientZone } from '../../domain/sms/recipient-zone.js';

export interface ScheduleOptions {
  /** Allowed local hours per message type; a type not listed may be sent any time. */
  windows: Partial<Record<SmsType, SendWindow>>;
  /** Zone for numbers whose country has several zones (or none known). */
  defaultZone: string;
  /** Country (ISO alpha-2) → zone, overriding the built-in table. */
  zoneOverrides: Record<string, string>;
}

/** Runs `fn` while the dispatcher will not take message `id` (refuses when it is being submitted). */
export type Exclusive = <T>(id: string, fn: () => Promise<T>) => Promise<T>;

export class SmsSchedule {
  private exclusive: Exclusive = (_id, fn) => fn();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hub: EventHub,
    private readonly billing: SmsBilling,
    private readonly options: ScheduleOptions,
  ) {}

  /** Lets the dispatcher keep a message it is taking from being cancelled under it. */
  useExclusive(fn: Exclusive): void {
    this.exclusive = fn;
  }

  /** The zone whose clock the send window of this number follows. */
  zoneOf(recipient: string): string {
    return recipientZone(recipient, this.options.zoneOverrides, this.options.defaultZone);
  }

  /** The earliest instant at or after `from` that the window of `type` allows for this number. */
  allowedFrom(type: SmsType, recipient: string, from: number): number {
    const window = this.options.windows[type] ?? null;
    // No window, no zone: finding a number's country means parsing it again (libphonenumber).
    if (window === null) return from;
    return nextAllowedInstant(from, window, this.zoneOf(recipient));
  }

  /**
   * When the dispatcher should first look at a new message: null for now; else the schedule or
   * window opening — capped at validUntil, when a message that cannot go in time expires.
   */
  firstAttempt(
    type: SmsType,
    recipient: string,
    sendAt: Date | null,
    validUntil: Date | null,
    now: number,
  ): Date | null {
    const from = Math.max(now, sendAt?.getTime() ?? now);
    let at = this.allowedFrom(type, recipient, from);
    if (validUntil && at > validUntil.getTime()) at = validUntil.getTime();
    return at > now ? new Date(at) : null;
  }

  /**
   * Asked by the dispatcher as it takes a message: true to send now; false when it was expired
   * (and refunded), is held to a later instant, or is no longer queued.
   */
  async gate(id: string): Promise<boolean> {
    return (await this.gateMany([id])).has(id);
  }

  /**
   * `gate` for a batch the dispatcher took: the messages are read once, the held ones are written
   * in one transaction; answers the ids that may go now.
   */
  async gateMany(ids: readonly string[]): Promise<Set<string>> {
    const now = this.clock.now();
    const go = new Set<string>();
    const holds: { m: SmsMessageRecord; until: number }[] = [];
    for (const m of await this.store.sms.byIds(ids)) {
      if (m.status !== 'queued') continue;
      if (m.validUntil && now >= m.validUntil.getTime()) {
        await this.end(m, 'expired', { reason: 'validity ended before it was sent' });
        continue;
      }
      if (m.sendAt && now < m.sendAt.getTime()) {
        holds.push({ m, until: m.sendAt.getTime() });
        continue;
      }
      const allowed = this.allowedFrom(m.type, m.recipient, now);
      if (allowed > now) holds.push({ m, until: allowed });
      else go.add(m.id);
    }
    if (holds.length) await this.hold(holds);
    return go;
  }

  private async hold(holds: readonly { m: SmsMessageRecord; until: number }[]): Promise<void> {
    const now = new Date(this.clock.now());
    await this.store.transaction(async (tx) => {
      const events = [];
      for (const { m, until } of holds) {
        const at = m.validUntil && until > m.validUntil.getTime() ? m.validUntil : new Date(until);
        await tx.sms.update(m.id, { nextAttemptAt: at, updatedAt: now });
        events.push({ messageId: m.id, at: now, type: 'held', details: { until: at.toISOString() } });
      }
      await tx.sms.appendEvents(events);
    });
  }

  /**
   * Cancels a message not yet submitted (refunding it). Refused with SMS_NOT_CANCELLABLE once any
   * part went to the SMSC; an API key may cancel only its own account's messages.
   */
  async cancel(actor: Principal, id: string): Promise<SmsMessageRecord> {
    const m = await this.store.sms.byId(id);
    if (!m) throw new DomainError('SMS_NOT_FOUND', 'No such message.');
    if (actor.kind === 'api_key') {
      const own = await this.store.smsBilling.accountOf(memberOf(actor));
      if (!own || own.id !== m.accountId) throw new DomainError('SMS_NOT_FOUND', 'No such message.');
    }
    return this.exclusive(id, async () => {
      const fresh = await this.store.sms.byId(id);
      const parts = await this.store.sms.segments(id);
      if (!fresh || fresh.status !== 'queued' || parts.some((p) => p.status !== 'queued')) {
        throw new DomainError('SMS_NOT_CANCELLABLE', 'The message was already submitted (or has ended).', {
          status: fresh?.status,
        });
      }
      const who = actor.kind === 'user' ? actor.username : `api-key:${actor.name}`;
      return this.end(fresh, 'cancelled', { by: who });
    });
  }

  /** Ends a message that never left the outbox: expired or cancelled, its queued parts too, refunded. */
  private async end(
    m: SmsMessageRecord,
    status: 'expired' | 'cancelled',
    details: Record<string, unknown>,
  ): Promise<SmsMessageRecord> {
    const now = new Date(this.clock.now());
    const changed = await this.store.transaction(async (tx) => {
      for (const p of await tx.sms.segments(m.id)) {
        if (p.status === 'queued')
          await tx.sms.updateSegment(m.id, p.seq, { status: 'expired', doneAt: now }, ['queued']);
      }
      await tx.sms.update(m.id, { status, doneAt: now, updatedAt: now, nextAttemptAt: null });
      await tx.sms.appendEvents([{ messageId: m.id, at: now, type: status, details }]);
      const refunded = await this.billing.settle(tx, m.id);
      if (refunded) {
        await tx.sms.appendEvents([
          { messageId: m.id, at: now, type: 'refunded', details: { amount: refunded } },
        ]);
      }
      return { ...m, status, doneAt: now, updatedAt: now, nextAttemptAt: null };
    });
    this.hub.publish(
      'sms.updated',
      { id: m.id, status, errorCode: m.errorCode, segments: m.segments },
      { staff: true },
      now.getTime(),
    );
    return changed;
  }
}
