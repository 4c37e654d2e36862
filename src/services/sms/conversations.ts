// SMS conversations in the ACD: free text from a number becomes an interaction with channel 'sms'
// in the configured queue; further texts while it is open are appended to it; agents answer with
// POST /api/interactions/{id}/sms, which goes through the outbox and is recorded on the interaction.
import type { Clock, Logger, Store } from '../ports.js';
import { SYSTEM_ACTOR, type Principal } from '../auth/principal.js';
import type { EventHub } from '../events/event-hub.js';
import type { InteractionDesk } from '../interactions.js';
import type { SmsMessageRecord } from '../records.js';
import type { InboundSmsRecord, MoStore } from './mo-ports.js';
import type { SmsOutbox } from './outbox.js';
import { DomainError } from '../../domain/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Interactions carried by SMS. */
export class SmsConversations {
  constructor(
    private readonly store: MoStore,
    private readonly mainStore: Store,
    private readonly clock: Clock,
    private readonly hub: EventHub,
    private readonly desk: InteractionDesk,
    private readonly outbox: SmsOutbox,
    private readonly log: Logger,
    /** Queue id or name for new conversations; null = MO is stored and published only. */
    private readonly queue: string | null,
  ) {}

  /** Appends the message to the number's open SMS interaction, or opens one; answers the outcome. */
  async receive(m: InboundSmsRecord): Promise<Record<string, unknown>> {
    const open = await this.store.openSmsInteraction(m.sender);
    if (open) {
      await this.record(open.id, open.agentId, m);
      return { interactionId: open.id, appended: true };
    }
    const queueId = await this.queueId();
    if (!queueId) return { interactionId: null, reason: 'no_queue' };
    try {
      const { interaction } = await this.desk.create(SYSTEM_ACTOR, {
        channel: 'sms',
        queueId,
        from: m.sender,
        subject: m.body.slice(0, 80),
        metadata: { inboundId: m.id, to: m.recipient },
      });
      await this.record(interaction.id, interaction.agentId, m);
      return { interactionId: interaction.id, appended: false };
    } catch (err) {
      // A blacklisted number or a closed queue: the message stays stored, nobody is offered it.
      if (err instanceof DomainError) return { interactionId: null, refused: err.code };
      throw err;
    }
  }

  /** An agent's (or supervisor's) SMS answer on an SMS interaction. */
  async reply(actor: Principal, interactionId: string, body: string): Promise<SmsMessageRecord> {
    const i = await this.desk.get(actor, interactionId);
    if (i.channel !== 'sms' || !i.fromAddress) {
      throw new DomainError('INTERACTION_CHANNEL_INVALID', 'This interaction is not an SMS conversation.');
    }
    const to = typeof i.metadata.to === 'string' && i.metadata.to !== '' ? i.metadata.to : undefined;
    const { message } = await this.outbox.send(actor, {
      to: i.fromAddress,
      body,
      type: 'notification',
      ...(to && to.length <= 20 ? { from: to } : {}),
    });
    const at = new Date(this.clock.now());
    const agentId = actor.kind === 'user' ? actor.agentId : null;
    await this.mainStore.interactions.appendEvents([
      { interactionId, at, type: 'sms_sent', agentId, details: { smsId: message.id, text: body } },
    ]);
    this.publish(interactionId, i.agentId, { direction: 'outbound', smsId: message.id, text: body });
    return message;
  }

  private async record(interactionId: string, agentId: string | null, m: InboundSmsRecord): Promise<void> {
    await this.mainStore.interactions.appendEvents([
      {
        interactionId,
        at: m.receivedAt,
        type: 'sms_received',
        agentId: null,
        details: { inboundId: m.id, text: m.body },
      },
    ]);
    this.publish(interactionId, agentId, {
      direction: 'inbound',
      inboundId: m.id,
      from: m.sender,
      text: m.body,
    });
  }

  private publish(interactionId: string, agentId: string | null, data: Record<string, unknown>): void {
    this.hub.publish(
      'interaction.sms',
      { interactionId, ...data },
      { staff: true, ...(agentId ? { agentIds: [agentId] } : {}) },
      this.clock.now(),
    );
  }

  private async queueId(): Promise<string | undefined> {
    if (!this.queue) return undefined;
    if (UUID.test(this.queue)) return (await this.mainStore.queues.byId(this.queue))?.id;
    const found = (await this.mainStore.queues.list()).find((q) => q.name === this.queue);
    if (!found) this.log.warn({ queue: this.queue }, 'sms.inbound.queue names no queue');
    return found?.id;
  }
}
