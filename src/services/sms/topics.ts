// Information on demand: topics people subscribe to by SMS keyword, by API or through an agent,
// and sends to every current subscriber (marketing topics skip numbers that opted out).
import { randomUUID } from 'node:crypto';
import type { Clock, Logger, Timer } from '../ports.js';
import { SYSTEM_ACTOR, type Actor, type Principal } from '../auth/principal.js';
import type { AuditTrail } from '../audit.js';
import type { Store } from '../ports.js';
import type { MoStore, SubscriptionRecord, TopicRecord, TopicSchedule } from './mo-ports.js';
import type { SmsOutbox } from './outbox.js';
import type { SmsOptOuts } from './opt-outs.js';
import { DomainError } from '../../domain/errors.js';
import { toE164 } from '../../domain/customers/phone.js';
import {
  clockMinutes,
  dailySendDue,
  isTimeZone,
  localDateMinute,
  normaliseKeyword,
  RESERVED_WORDS,
  routeKeyword,
} from '../../domain/sms/index.js';

/** Schedules are looked at once a minute. */
const SCHEDULE_TICK_MS = 60_000;

function checkSchedule(schedule: TopicSchedule | null | undefined): void {
  if (!schedule) return;
  if (clockMinutes(schedule.at) === undefined)
    throw new DomainError('VALIDATION_FAILED', 'schedule.at must be HH:MM (00:00–23:59).', {
      path: '/schedule/at',
    });
  if (!isTimeZone(schedule.timeZone))
    throw new DomainError('VALIDATION_FAILED', `Unknown time zone "${schedule.timeZone}".`, {
      path: '/schedule/timeZone',
    });
}

export interface TopicPatch {
  description?: string;
  type?: TopicRecord['type'];
  schedule?: TopicSchedule | null;
}

export interface TopicInput {
  name: string;
  keyword: string;
  description?: string;
  type?: TopicRecord['type'];
  schedule?: TopicSchedule | null;
}

/** What a send to a topic did. */
export interface TopicSendResult {
  sendId: string;
  /** Messages queued in the outbox. */
  queued: number;
  /** Subscribers skipped because they opted out of marketing. */
  suppressed: number;
  messageIds: string[];
}

/** Topics, subscriptions and sends to subscribers. */
export class SmsTopics {
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: MoStore,
    private readonly mainStore: Store,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly outbox: SmsOutbox,
    private readonly optOuts: SmsOptOuts,
    private readonly log: Logger,
    private readonly defaultCountry: string,
  ) {}

  async create(actor: Principal, input: TopicInput): Promise<TopicRecord> {
    const keyword = normaliseKeyword(input.keyword);
    checkSchedule(input.schedule);
    // A topic keyword must not read as another command ("STOP", "OK 1", "SUB X").
    const alone = routeKeyword(keyword, []);
    if (alone.kind !== 'conversation' || RESERVED_WORDS.has(keyword) || keyword.includes(' ')) {
      throw new DomainError('SMS_TOPIC_TAKEN', `"${keyword}" is a reserved word or not one word.`, {
        path: '/keyword',
      });
    }
    const topic: TopicRecord = {
      id: randomUUID(),
      name: input.name,
      keyword,
      description: input.description ?? '',
      type: input.type ?? 'notification',
      schedule: input.schedule ?? null,
      lastScheduledAt: null,
      createdAt: new Date(this.clock.now()),
    };
    const clash = (await this.store.topics.list()).find(
      (t) => t.name === topic.name || t.keyword === keyword,
    );
    if (clash) throw new DomainError('SMS_TOPIC_TAKEN', 'Another topic has this name or keyword.');
    try {
      await this.store.topics.insert(topic);
    } catch (err) {
      // Two creates racing: the unique indexes decide.
      if (await this.store.topics.byKeyword(keyword))
        throw new DomainError('SMS_TOPIC_TAKEN', 'Another topic has this name or keyword.');
      throw err;
    }
    await this.audit.record(this.mainStore, actor, 'sms.topic.create', { type: 'sms_topic', id: topic.id });
    if (topic.schedule) this.tick();
    return topic;
  }

  /** Changes description, type or schedule (null removes it); a due schedule sends at once. */
  async update(actor: Principal, id: string, patch: TopicPatch): Promise<TopicRecord> {
    await this.get(id);
    checkSchedule(patch.schedule);
    const change = {
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.type === undefined ? {} : { type: patch.type }),
      ...(patch.schedule === undefined ? {} : { schedule: patch.schedule }),
    };
    await this.store.topics.update(id, change);
    await this.audit.record(this.mainStore, actor, 'sms.topic.update', { type: 'sms_topic', id });
    if (patch.schedule) this.tick();
    return this.get(id);
  }

  /** Starts looking at schedules every minute (the timer is this service's own). */
  startSchedules(timer: Timer): void {
    this.timer = timer;
    this.tick();
  }

  async stopSchedules(): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    timer?.clear();
    await this.running;
  }

  /** Runs every due daily send; each date's send has its own id, so a repeat sends nothing twice. */
  async runSchedules(): Promise<number> {
    const now = this.clock.now();
    let sent = 0;
    for (const topic of await this.store.topics.list()) {
      const s = topic.schedule;
      if (!s || !dailySendDue(s, topic.lastScheduledAt?.getTime() ?? null, now)) continue;
      await this.store.topics.update(topic.id, { lastScheduledAt: new Date(now) });
      const date = localDateMinute(now, s.timeZone).date;
      await this.send(SYSTEM_ACTOR, topic.id, s.body, `schedule:${date}`);
      sent++;
    }
    return sent;
  }

  private tick(): void {
    if (!this.timer || this.running) return;
    this.running = this.runSchedules()
      .then(() => undefined)
      .catch((err: unknown) => this.log.error({ err }, 'scheduled topic send failed'))
      .finally(() => {
        this.running = undefined;
        this.timer?.set(this.clock.now() + SCHEDULE_TICK_MS, () => this.tick());
      });
  }

  list(): Promise<TopicRecord[]> {
    return this.store.topics.list();
  }

  async get(id: string): Promise<TopicRecord> {
    const t = await this.store.topics.byId(id);
    if (!t) throw new DomainError('SMS_TOPIC_NOT_FOUND', 'No such topic.');
    return t;
  }

  /** The topic with this keyword (any case or width), if any. */
  byKeyword(keyword: string): Promise<TopicRecord | undefined> {
    return this.store.topics.byKeyword(normaliseKeyword(keyword));
  }

  async keywords(): Promise<string[]> {
    return (await this.store.topics.list()).map((t) => t.keyword);
  }

  async remove(actor: Principal, id: string): Promise<void> {
    if (!(await this.store.topics.delete(id))) throw new DomainError('SMS_TOPIC_NOT_FOUND', 'No such topic.');
    await this.audit.record(this.mainStore, actor, 'sms.topic.delete', { type: 'sms_topic', id });
  }

  /** Subscribes a number; `created` is false when it was subscribed already. */
  async subscribe(
    topicId: string,
    phone: string,
    source: string,
  ): Promise<{ subscription: SubscriptionRecord; created: boolean }> {
    await this.get(topicId);
    const subscription: SubscriptionRecord = {
      topicId,
      phone: toE164(phone, this.defaultCountry),
      source,
      createdAt: new Date(this.clock.now()),
    };
    const created = await this.store.topics.subscribe(subscription);
    return { subscription, created };
  }

  /** True when the number was subscribed. */
  async unsubscribe(topicId: string, phone: string): Promise<boolean> {
    await this.get(topicId);
    return this.store.topics.unsubscribe(topicId, toE164(phone, this.defaultCountry));
  }

  async subscribers(topicId: string): Promise<SubscriptionRecord[]> {
    await this.get(topicId);
    return this.store.topics.subscribers(topicId);
  }

  /** A number's subscriptions (customer view, agent actions). */
  subscriptionsOf(phone: string): Promise<SubscriptionRecord[]> {
    return this.store.topics.subscriptionsOf(toE164(phone, this.defaultCountry));
  }

  /**
   * Queues `body` to every subscriber, typed as the topic says. Marketing skips opted-out numbers
   * (counted as suppressed). Each message has an idempotency key of send id and number, so one
   * subscriber never gets the same send twice.
   */
  async send(
    actor: Actor,
    topicId: string,
    body: string,
    sendId: string = randomUUID(),
  ): Promise<TopicSendResult> {
    const topic = await this.get(topicId);
    const subs = await this.store.topics.subscribers(topicId);
    const result: TopicSendResult = { sendId, queued: 0, suppressed: 0, messageIds: [] };
    for (const s of subs) {
      if (topic.type === 'marketing' && (await this.optOuts.isOptedOut(s.phone))) {
        result.suppressed++;
        continue;
      }
      try {
        const r = await this.outbox.send(actor, {
          to: s.phone,
          body,
          type: topic.type,
          idempotencyKey: `topic:${topicId}:${sendId}:${s.phone}`,
        });
        result.messageIds.push(r.message.id);
        result.queued++;
      } catch (err) {
        // Opted out between the check and the send, or a text the outbox refuses for everyone.
        if (err instanceof DomainError && err.code === 'SMS_RECIPIENT_OPTED_OUT') result.suppressed++;
        else throw err;
      }
    }
    this.log.info({ topic: topicId, queued: result.queued, suppressed: result.suppressed }, 'topic send');
    return result;
  }
}
