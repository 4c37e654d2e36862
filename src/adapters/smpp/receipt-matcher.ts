// Ties receipts to the caller's reference for each submit. A receipt can overtake its own
// submit_sm_resp (the SMSC answered late, or answered on another bind), so a receipt whose id is
// not known yet waits — but only for the submits that were in flight when it arrived: when the
// last of those settles without its id, it is released without a reference, and the caller falls
// back to a lookup by message id. It never waits for submits sent after it arrived.
import { normaliseMessageId, type MessageIdBase } from './message-id.js';

/** A receipt released to the caller, with the submit's reference when known. */
export interface MatchedReceipt<R> {
  receipt: R;
  reference?: string;
}

/** Options of ReceiptMatcher. */
export interface ReceiptMatcherOptions {
  /** How long an accepted id stays remembered for matching; default 10 minutes. */
  rememberMs?: number;
  /** At most this many accepted ids remembered (oldest dropped first); default 100,000. */
  maxRemembered?: number;
  /** How submit_sm_resp ids are written; default 'auto'. */
  submitIdBase?: MessageIdBase;
  /** How receipt ids are written; default 'auto'. */
  receiptIdBase?: MessageIdBase;
}

interface Held<R> {
  receipt: R;
  key: string;
  waitingFor: Set<number>;
}

/** Matches receipts to submits in either arrival order; share one between the binds of one SMSC. */
export class ReceiptMatcher<R> {
  private readonly remembered = new Map<string, { reference: string | undefined; atMs: number }>();
  private readonly inFlight = new Set<number>();
  private held: Held<R>[] = [];
  private nextToken = 1;
  private readonly rememberMs: number;
  private readonly maxRemembered: number;
  private readonly submitIdBase: MessageIdBase;
  private readonly receiptIdBase: MessageIdBase;

  constructor(options: ReceiptMatcherOptions = {}) {
    this.rememberMs = options.rememberMs ?? 600_000;
    this.maxRemembered = options.maxRemembered ?? 100_000;
    this.submitIdBase = options.submitIdBase ?? 'auto';
    this.receiptIdBase = options.receiptIdBase ?? 'auto';
  }

  /** Receipts waiting for an in-flight submit. */
  get waiting(): number {
    return this.held.length;
  }

  /** Marks a submit as sent and returns its token. */
  begin(): number {
    const token = this.nextToken++;
    this.inFlight.add(token);
    return token;
  }

  /** The submit was accepted with this id; returns receipts that can now be released. */
  accepted(
    token: number,
    messageId: string,
    reference: string | undefined,
    nowMs: number,
  ): MatchedReceipt<R>[] {
    const key = normaliseMessageId(messageId, this.submitIdBase);
    this.remember(key, reference, nowMs);
    return this.settle(token, key, reference);
  }

  /** The submit ended without an id (failed, retry, timeout); returns receipts it was holding back. */
  settled(token: number): MatchedReceipt<R>[] {
    return this.settle(token, undefined, undefined);
  }

  /**
   * A receipt for `messageId` arrived: returns it matched (or known unmatchable) at once, or undefined when it
   * is held until the submits now in flight settle.
   */
  receipt(messageId: string | undefined, receipt: R, nowMs: number): MatchedReceipt<R> | undefined {
    this.forget(nowMs);
    if (messageId === undefined) return { receipt };
    const key = normaliseMessageId(messageId, this.receiptIdBase);
    const known = this.remembered.get(key);
    if (known) return known.reference === undefined ? { receipt } : { receipt, reference: known.reference };
    if (this.inFlight.size === 0) return { receipt };
    this.held.push({ receipt, key, waitingFor: new Set(this.inFlight) });
    return undefined;
  }

  private settle(token: number, key: string | undefined, reference: string | undefined): MatchedReceipt<R>[] {
    this.inFlight.delete(token);
    const released: MatchedReceipt<R>[] = [];
    this.held = this.held.filter((h) => {
      if (key !== undefined && h.key === key) {
        released.push(reference === undefined ? { receipt: h.receipt } : { receipt: h.receipt, reference });
        return false;
      }
      h.waitingFor.delete(token);
      if (h.waitingFor.size > 0) return true;
      released.push({ receipt: h.receipt });
      return false;
    });
    return released;
  }

  private remember(key: string, reference: string | undefined, nowMs: number): void {
    this.remembered.delete(key);
    this.remembered.set(key, { reference, atMs: nowMs });
    this.forget(nowMs);
  }

  private forget(nowMs: number): void {
    // Map iteration is insertion order, so the oldest come first.
    for (const [key, entry] of this.remembered) {
      if (this.remembered.size <= this.maxRemembered && nowMs - entry.atMs <= this.rememberMs) break;
      this.remembered.delete(key);
    }
  }
}
