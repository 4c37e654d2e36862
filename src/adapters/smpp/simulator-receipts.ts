// The simulator's delivery receipts: built like a real SMSC's (receipt text plus TLVs), sent as
// deliver_sm to a receiving session of the submitter's system_id, and kept for the next bind when
// none is bound or the ESME does not answer, so a reconnecting ESME still gets every receipt.
import type { SmppConnection } from './connection.js';
import type { Fault } from './fault-plan.js';
import type { PduValue } from './pdu.js';
import { formatReceiptText, stateNumber, type MessageState, type ReceiptDate } from './receipt.js';
import { EsmClass } from './status.js';

/** One submit_sm as the simulator received it. */
export interface SimulatedSubmit {
  systemId: string;
  source: string;
  sourceTon: number;
  sourceNpi: number;
  destination: string;
  destinationTon: number;
  destinationNpi: number;
  esmClass: number;
  dataCoding: number;
  registeredDelivery: number;
  shortMessage: Buffer;
  messagePayload?: Buffer;
  validityPeriod: string;
  /** The id it was accepted with (absent when refused or unanswered). */
  messageId?: string;
  /** performance.now() at arrival. */
  atMs: number;
}

interface Pending {
  systemId: string;
  fields: Record<string, PduValue | undefined>;
}

/** Settings that shape receipts. */
export interface ReceiptStyle {
  messageIdFormat: 'hex' | 'decimal';
  receiptIdFormat: 'same' | 'decimal';
  receiptTlvs: boolean;
  wallClock: () => number;
}

const DELIVER_TIMEOUT_MS = 5000;

function dateOf(ms: number): ReceiptDate {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Whether registered_delivery asks for a receipt of this outcome (bits 1..0, section 5.2.17). */
function wanted(registeredDelivery: number, success: boolean): boolean {
  const mode = registeredDelivery & 0x03;
  return mode === 1 || (mode === 2 && !success) || (mode === 3 && success);
}

/** Schedules, sends and re-sends the simulator's receipts. */
export class SimulatedReceipts {
  private readonly pending: Pending[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly style: ReceiptStyle,
    private readonly receiverFor: (systemId: string) => { conn: SmppConnection } | undefined,
    private readonly counted: { sent: () => void; answered: () => void },
  ) {}

  /** Receipts waiting for a receiving bind. */
  get waiting(): number {
    return this.pending.length;
  }

  /** Plans the receipt of an accepted submit, if it asked for one and the fault gives one; 0 sends it now. */
  schedule(submit: SimulatedSubmit, fault: Fault, delayMs: number): void {
    if (fault.kind === 'no-receipt' || submit.messageId === undefined) return;
    const outcome: { state: MessageState; stat: string; error: string } =
      fault.kind === 'receipt' ? fault : { state: 'delivered', stat: 'DELIVRD', error: '000' };
    if (!wanted(submit.registeredDelivery, outcome.state === 'delivered')) return;
    const fields = this.receiptFields(submit, outcome);
    if (delayMs <= 0) {
      this.deliver({ systemId: submit.systemId, fields });
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.deliver({ systemId: submit.systemId, fields });
    }, delayMs);
    this.timers.add(t);
  }

  /** Sends every waiting receipt of this system_id (called when it binds). */
  flush(systemId: string): void {
    const mine = this.pending.filter((p) => p.systemId === systemId);
    for (const p of mine) this.pending.splice(this.pending.indexOf(p), 1);
    for (const p of mine) this.deliver(p);
  }

  /** Cancels scheduled receipts. */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private deliver(p: Pending): void {
    const session = this.receiverFor(p.systemId);
    if (!session) {
      this.pending.push(p);
      return;
    }
    this.counted.sent();
    void session.conn.request('deliver_sm', p.fields, DELIVER_TIMEOUT_MS).then((o) => {
      if (o.kind === 'response') this.counted.answered();
      else this.pending.push(p);
    });
  }

  private receiptFields(
    submit: SimulatedSubmit,
    outcome: { state: MessageState; stat: string; error: string },
  ): Record<string, PduValue | undefined> {
    const id = submit.messageId ?? '';
    const textId =
      this.style.receiptIdFormat === 'decimal' && this.style.messageIdFormat === 'hex'
        ? BigInt(`0x${id}`).toString(10).padStart(10, '0')
        : id;
    const now = dateOf(this.style.wallClock());
    const original = submit.shortMessage.subarray(0, 20).toString('latin1');
    const text = formatReceiptText({
      id: textId,
      stat: outcome.stat,
      err: outcome.error,
      submitDate: now,
      doneDate: now,
      text: /^[\x20-\x7e]*$/.test(original) ? original : '',
    });
    const failed = outcome.state !== 'delivered';
    return {
      source_addr_ton: submit.destinationTon,
      source_addr_npi: submit.destinationNpi,
      source_addr: submit.destination,
      dest_addr_ton: submit.sourceTon,
      dest_addr_npi: submit.sourceNpi,
      destination_addr: submit.source,
      esm_class: EsmClass.DELIVERY_RECEIPT,
      data_coding: 0,
      short_message: Buffer.from(text, 'latin1'),
      receipted_message_id: this.style.receiptTlvs ? id : undefined,
      message_state: this.style.receiptTlvs ? stateNumber(outcome.state) : undefined,
      // GSM network type (3) with the err code, as many SMSCs report it.
      network_error_code:
        this.style.receiptTlvs && failed ? Buffer.from([3, 0, Number(outcome.error) || 0]) : undefined,
    };
  }
}
