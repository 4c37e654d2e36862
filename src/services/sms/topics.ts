// Information on demand: topics people subscribe to by SMS keyword, by API or through an agent,
// and sends to every current subscriber (marketing topics skip numbers that opted out).
import { randomUUID } from 'node:crypto';
import type { Clock, Logger } from '../ports.js';
import type { Actor, Principal } from '../auth/principal.js';
import type { AuditTrail } from '../audit.js';
import type { Store } from '../ports.js';
import type { MoStore, SubscriptionRecord, TopicRecord, TopicSchedule } from './mo-ports.js';
import type { SmsOutbox } from './outbox.js';
import type { SmsOptOuts } from './opt-outs.js';
import { DomainError } from '../../domain/errors.js';
import { toE164 } from '../../domain/customers/phone.js';
import { normaliseKeyword, routeKeyword } from '../../domain/sms/index.js';

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
    // A topic keyword must not read as another command ("STOP", "OK 1", "SUB X").
    const alone = routeKeyword(keyword, []);
    if (alone.kind !== 'conversation' || keyword.includes(' ')) {
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
    return topic;
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
