/**
 * Monthly statements of an SMS account, computed from its ledger. Pure: ledger rows in, totals
 * out. Months are calendar months in UTC.
 */

export type LedgerKind = 'charge' | 'refund' | 'topup';

/** One ledger row as a statement needs it; `amount` is signed (charges negative), minor units. */
export interface LedgerLine {
  kind: LedgerKind;
  amount: number;
  segments: number;
  messageType: string | null;
}

export interface TypeTotals {
  type: string;
  /** Messages charged. */
  messages: number;
  segments: number;
  /** Positive sums in minor units. */
  charged: number;
  refunded: number;
  refundedSegments: number;
}

export interface Statement {
  month: string;
  openingBalance: number;
  charges: number;
  refunds: number;
  topUps: number;
  closingBalance: number;
  byType: TypeTotals[];
}

/** [start, end) of a "yyyy-mm" month in UTC; throws RangeError on a malformed month. */
export function monthRange(month: string): { start: Date; end: Date } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError(`"${month}" is not a month yyyy-mm`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  return { start: new Date(Date.UTC(y, mo, 1)), end: new Date(Date.UTC(y, mo + 1, 1)) };
}

/** The "yyyy-mm" (UTC) of an instant. */
export function monthOf(at: number): string {
  return new Date(at).toISOString().slice(0, 7);
}

/**
 * Totals of one month: `opening` is the sum of all earlier ledger amounts; charges, refunds and
 * top-ups are positive sums; closing = opening − charges + refunds + top-ups.
 */
export function buildStatement(month: string, opening: number, lines: readonly LedgerLine[]): Statement {
  let charges = 0;
  let refunds = 0;
  let topUps = 0;
  const types = new Map<string, TypeTotals>();
  const typeOf = (t: string | null) => {
    const key = t ?? 'other';
    let v = types.get(key);
    if (!v) {
      v = { type: key, messages: 0, segments: 0, charged: 0, refunded: 0, refundedSegments: 0 };
      types.set(key, v);
    }
    return v;
  };
  for (const l of lines) {
    if (l.kind === 'charge') {
      charges += -l.amount;
      const t = typeOf(l.messageType);
      t.messages += 1;
      t.segments += l.segments;
      t.charged += -l.amount;
    } else if (l.kind === 'refund') {
      refunds += l.amount;
      const t = typeOf(l.messageType);
      t.refunded += l.amount;
      t.refundedSegments += l.segments;
    } else {
      topUps += l.amount;
    }
  }
  return {
    month,
    openingBalance: opening,
    charges,
    refunds,
    topUps,
    closingBalance: opening - charges + refunds + topUps,
    byType: [...types.values()].sort((a, b) => a.type.localeCompare(b.type)),
  };
}
