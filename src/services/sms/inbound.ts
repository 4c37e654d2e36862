// Mobile-originated SMS: decoded, reassembled (parts wait durably in sms_inbound_parts), stored
// once (a re-delivery within the duplicate window is dropped), attached to the customer by number,
// pushed to the webhook, published to staff, and handed to whatever its keyword asks for.
// Every message runs through one SerialRunner, so parts and follow-ups never race each other.
import { createHash, randomUUID } from 'node:crypto';
import type { Clock, Logger, SmsInboundPart } from '../ports.js';
import { SYSTEM_ACTOR } from '../auth/principal.js';
import type { EventHub } from '../events/event-hub.js';
import type { CustomerBook } from '../customers.js';
import { SerialRunner } from '../routing/serial.js';
import type { InboundSmsRecord, MoStore } from './mo-ports.js';
import type { SmsOutbox } from './outbox.js';
import type { SmsOptOuts } from './opt-outs.js';
import type { SmsTopics } from './topics.js';
import type { WorkOrders } from './work-orders.js';
import type { SmsConversations } from './conversations.js';
import type { SmsWebhooks } from './webhooks.js';
import { DomainError } from '../../domain/errors.js';
import { tryE164 } from '../../domain/customers/phone.js';
import {
  autoReplyText,
  decodeMoText,
  isChinese,
  moConcatenation,
  reassemble,
  routeKeyword,
  type AutoReply,
  type MoIntent,
} from '../../domain/sms/index.js';

export interface InboundOptions {
  defaultCountry: string;
  duplicateWindowMs: number;
  partTimeoutMs: number;
}

export interface InboundDeps {
  customers: CustomerBook;
  outbox: SmsOutbox;
  optOuts: SmsOptOuts;
  topics: SmsTopics;
  workOrders: WorkOrders;
  conversations: SmsConversations;
  webhooks: SmsWebhooks;
}

/** The receiving side of the SMS platform. */
export class SmsInbound {
  private readonly serial = new SerialRunner();

  constructor(
    private readonly store: MoStore,
    private readonly clock: Clock,
    private readonly hub: EventHub,
    private readonly log: Logger,
    private readonly deps: InboundDeps,
    private readonly options: InboundOptions,
  ) {}

  /**
   * Takes one received part; resolves with the stored message once it is complete and new, or
   * undefined (a part still waiting for siblings, or a re-delivery).
   */
  receive(part: SmsInboundPart): Promise<InboundSmsRecord | undefined> {
    return this.serial.run(() => this.process(part));
  }

  /** Waits for messages being handled (shutdown). */
  idle(): Promise<void> {
    return this.serial.idle();
  }

  async get(id: string): Promise<InboundSmsRecord> {
    const m = await this.store.inbound.byId(id);
    if (!m) throw new DomainError('SMS_NOT_FOUND', 'No such message.');
    return m;
  }

  /** Received messages newest first; `from` in any spelling. */
  list(q: { from?: string; limit: number; offset: number }): Promise<InboundSmsRecord[]> {
    const sender =
      q.from === undefined ? undefined : (tryE164(q.from, this.options.defaultCountry) ?? q.from);
    return this.store.inbound.list({ ...(sender ? { sender } : {}), limit: q.limit, offset: q.offset });
  }

  private async process(part: SmsInboundPart): Promise<InboundSmsRecord | undefined> {
    const now = new Date(this.clock.now());
    const sender = tryE164(part.source, this.options.defaultCountry) ?? part.source;
    const recipient = part.destination;
    let text = decodeMoText(part.dataCoding, part.shortMessage);
    let parts = 1;
    const c = moConcatenation(part.udh ?? undefined, part.sar ?? undefined);
    if (c) {
      const groupKey = JSON.stringify([sender, recipient, c.bits, c.reference, c.total]);
      await this.store.parts.deleteBefore(new Date(now.getTime() - this.options.partTimeoutMs));
      const fresh = await this.store.parts.insert({
        groupKey,
        seq: c.sequence,
        sender,
        recipient,
        route: part.route,
        body: text,
        bits: c.bits,
        reference: c.reference,
        total: c.total,
        receivedAt: now,
      });
      if (!fresh) return undefined; // the same part again
      const stored = await this.store.parts.group(groupKey);
      const r = reassemble(
        stored.map((p) => ({
          sender,
          text: p.body,
          concatenation: { bits: p.bits as 8 | 16, reference: p.reference, total: p.total, sequence: p.seq },
        })),
      );
      const whole = r.messages[0];
      if (!whole) return undefined;
      text = whole.text;
      parts = whole.parts;
      await this.store.parts.deleteGroup(groupKey);
    }
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([sender, recipient, c ? [c.bits, c.reference, c.total] : null, text]))
      .digest('hex');
    const since = new Date(now.getTime() - this.options.duplicateWindowMs);
    if (this.options.duplicateWindowMs > 0 && (await this.store.inbound.seenSince(fingerprint, since))) {
      this.log.debug({ sender }, 'mo re-delivery dropped');
      return undefined;
    }
    const customer = await this.deps.customers.byNumber(sender);
    const intent = routeKeyword(text, await this.deps.topics.keywords());
    const record: InboundSmsRecord = {
      id: randomUUID(),
      sender,
      recipient,
      body: text,
      parts,
      route: part.route,
      fingerprint,
      customerId: customer?.id ?? null,
      intent: intent.kind,
      outcome: {},
      receivedAt: now,
    };
    await this.store.transaction(async (tx) => {
      await tx.inbound.insert(record);
      await this.deps.webhooks.enqueue(tx, 'sms.received', {
        id: record.id,
        from: sender,
        to: recipient,
        text,
        parts,
        route: part.route,
        customerId: record.customerId,
        intent: intent.kind,
        receivedAt: now.toISOString(),
      });
    });
    this.deps.webhooks.wake();
    let outcome: Record<string, unknown>;
    try {
      outcome = await this.act(record, intent);
    } catch (err) {
      // The message is stored; what it asked for failed and is noted on it.
      this.log.error({ err, inbound: record.id }, 'handling an inbound sms failed');
      outcome = { error: err instanceof DomainError ? err.code : 'INTERNAL' };
    }
    record.outcome = outcome;
    await this.store.inbound.setOutcome(record.id, outcome);
    this.hub.publish(
      'sms.received',
      {
        id: record.id,
        from: sender,
        to: recipient,
        text,
        customerId: record.customerId,
        intent: intent.kind,
        outcome,
      },
      { staff: true },
      now.getTime(),
    );
    this.log.info({ inbound: record.id, intent: intent.kind }, 'sms received');
    return record;
  }

  private async act(m: InboundSmsRecord, intent: MoIntent): Promise<Record<string, unknown>> {
    const chinese = isChinese(m.body);
    switch (intent.kind) {
      case 'opt_out':
        await this.deps.optOuts.optOut(m.sender, 'keyword', intent.keyword);
        return { optedOut: true, ...(await this.reply(m, { kind: 'opted_out' }, chinese)) };
      case 'opt_in':
        return {
          optedIn: await this.deps.optOuts.optIn(m.sender),
          ...(await this.reply(m, { kind: 'opted_in' }, chinese)),
        };
      case 'subscribe':
      case 'unsubscribe': {
        const topic = await this.deps.topics.byKeyword(intent.topic);
        if (!topic) {
          return {
            topic: null,
            ...(await this.reply(m, { kind: 'unknown_topic', topic: intent.topic }, chinese)),
          };
        }
        const changed =
          intent.kind === 'subscribe'
            ? (await this.deps.topics.subscribe(topic.id, m.sender, 'sms')).created
            : await this.deps.topics.unsubscribe(topic.id, m.sender);
        const kind = intent.kind === 'subscribe' ? 'subscribed' : 'unsubscribed';
        return {
          topicId: topic.id,
          changed,
          ...(await this.reply(m, { kind, topic: topic.keyword }, chinese)),
        };
      }
      case 'work_order':
        return {
          ...(await this.deps.workOrders.reply(m.sender, intent.action, intent.reference, intent.note, m.id)),
        };
      case 'conversation':
        return this.deps.conversations.receive(m);
    }
  }

  /** Sends an automatic answer from the number the customer wrote to; a failure is noted, not thrown. */
  private async reply(
    m: InboundSmsRecord,
    reply: AutoReply,
    chinese: boolean,
  ): Promise<Record<string, unknown>> {
    try {
      const { message } = await this.deps.outbox.send(SYSTEM_ACTOR, {
        to: m.sender,
        body: autoReplyText(reply, chinese),
        type: 'notification',
        ...(m.recipient && m.recipient.length <= 20 ? { from: m.recipient } : {}),
      });
      return { replySmsId: message.id };
    } catch (err) {
      return { replyError: err instanceof DomainError ? err.code : 'INTERNAL' };
    }
  }
}
