// The SmsGateway port on one SmppBind: translates submit results and receipts into the outbox's
// terms, including the normalised message id that receipts are matched on.
import type {
  SmsGateway,
  SmsInboundPart,
  SmsReceipt,
  SmsRouteGateway,
  SmsRouteStats,
  SmsSubmitResult,
} from '../../services/ports.js';
import { SmppBind, type SmppBindOptions } from './bind.js';
import { normaliseMessageId } from './message-id.js';

// Retry reasons that mean the bind is not up: the submit never left, another route may take it.
const DOWN_REASONS = new Set(['not-bound', 'closed', 'queue-wait']);

/** An SmsGateway over one transceiver bind. */
export class SmppGateway implements SmsRouteGateway {
  private readonly bind: SmppBind;
  private lastReason = 'not started';

  constructor(private readonly options: SmppBindOptions) {
    this.bind = new SmppBind(options);
    this.bind.on('state', (change) => {
      this.lastReason = change.reason ?? change.state;
    });
  }

  start(): void {
    this.bind.start();
  }

  close(): Promise<void> {
    return this.bind.close();
  }

  stats(): SmsRouteStats {
    const s = this.bind.stats;
    return {
      inFlight: s.inFlight,
      waiting: s.queued,
      window: this.options.windowSize ?? 10,
      rate: this.options.submitsPerSecond,
    };
  }

  state(): { bound: boolean; detail: string } {
    const bound = this.bind.state === 'bound';
    return { bound, detail: bound ? 'bound' : `${this.bind.state}: ${this.lastReason}` };
  }

  async submit(s: Parameters<SmsGateway['submit']>[0]): Promise<SmsSubmitResult> {
    const result = await this.bind.submit({
      source: s.source,
      destination: s.destination,
      dataCoding: s.dataCoding,
      ...(s.udh ? { udh: s.udh } : {}),
      shortMessage: s.shortMessage,
      registeredDelivery: 1,
      reference: s.reference,
    });
    switch (result.status) {
      case 'accepted':
        return {
          status: 'accepted',
          smscMessageId: result.messageId,
          smscMessageKey: normaliseMessageId(result.messageId),
        };
      case 'retry':
        return DOWN_REASONS.has(result.reason)
          ? { status: 'retry', reason: result.reason, down: true }
          : { status: 'retry', reason: result.reason };
      case 'failed':
        return { status: 'failed', errorCode: result.smppStatus };
      case 'timeout':
        return { status: 'timeout', reason: result.reason };
    }
  }

  onReceipt(handler: (r: SmsReceipt) => void): void {
    this.bind.on('deliver', (event) => {
      if (event.kind !== 'receipt') return; // mobile-originated messages go to onInbound
      const { receipt } = event;
      const err = receipt.error === undefined ? NaN : Number.parseInt(receipt.error, 10);
      handler({
        ...(event.reference === undefined ? {} : { reference: event.reference }),
        ...(receipt.messageId === undefined ? {} : { smscMessageKey: normaliseMessageId(receipt.messageId) }),
        state: receipt.state,
        final: receipt.final,
        errorCode: Number.isFinite(err) ? err : null,
      });
    });
  }

  onInbound(handler: (m: SmsInboundPart) => void): void {
    this.bind.on('deliver', (event) => {
      if (event.kind !== 'mo') return;
      const { message } = event;
      handler({
        route: this.options.systemId,
        // An international number (TON 1) comes without its "+"; it is added so it reads as E.164.
        source:
          message.source.ton === 1 && /^\d+$/.test(message.source.address)
            ? `+${message.source.address}`
            : message.source.address,
        destination: message.destination.address,
        dataCoding: message.dataCoding,
        udh: message.udh ?? null,
        sar: message.sar ?? null,
        shortMessage: message.shortMessage,
      });
    });
  }
}
