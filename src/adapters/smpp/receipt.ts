// Delivery receipts (SMPP 3.4 appendix B), pure: no I/O, no clock. A receipt arrives as deliver_sm
// with the receipt bit in esm_class; its facts are in TLVs (receipted_message_id, message_state,
// network_error_code) and/or in the de-facto text
//   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...
// TLVs win over the text when both are present: they are typed and cannot be truncated.

/** Where a message stands (SMPP message_state, section 5.2.28, plus SMPP 5's SKIPPED). */
export type MessageState =
  | 'scheduled'
  | 'enroute'
  | 'delivered'
  | 'expired'
  | 'deleted'
  | 'undeliverable'
  | 'accepted'
  | 'unknown'
  | 'rejected'
  | 'skipped';

/** A receipt timestamp as written (SMSC local time; the zone is the operator's to know). */
export interface ReceiptDate {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The fields of a receipt text, each as found (missing ones undefined). */
export interface ReceiptText {
  id?: string;
  sub?: string;
  dlvrd?: string;
  submitDate?: ReceiptDate;
  doneDate?: ReceiptDate;
  stat?: string;
  err?: string;
  text?: string;
}

/** The TLVs of a receipt deliver_sm that matter here. */
export interface ReceiptTlvs {
  receiptedMessageId?: string;
  messageState?: number;
  /** network_error_code: 1 octet network type, 2 octets error code. */
  networkErrorCode?: Buffer;
}

/** One parsed delivery receipt. */
export interface DeliveryReceipt {
  /** The SMSC's id of the original message, as written (TLV first, else text); match with normaliseMessageId. */
  messageId?: string;
  state: MessageState;
  /** False for enroute/scheduled and intermediate notifications: more receipts may follow. */
  final: boolean;
  /** stat as written, e.g. DELIVRD. */
  stat?: string;
  /** err as written, e.g. 000. */
  error?: string;
  networkError?: { type: number; code: number };
  submitted?: number;
  delivered?: number;
  submitDate?: ReceiptDate;
  doneDate?: ReceiptDate;
  /** The receipt's `text:` (often the start of the original message: never log it). */
  text?: string;
}

const STATE_BY_NUMBER: readonly MessageState[] = [
  'scheduled',
  'enroute',
  'delivered',
  'expired',
  'deleted',
  'undeliverable',
  'accepted',
  'unknown',
  'rejected',
  'skipped',
];

const STATE_BY_STAT: Readonly<Record<string, MessageState>> = {
  DELIVRD: 'delivered',
  DELIVERED: 'delivered',
  EXPIRED: 'expired',
  DELETED: 'deleted',
  UNDELIV: 'undeliverable',
  UNDELIVERABLE: 'undeliverable',
  UNDELIVERED: 'undeliverable',
  FAILED: 'undeliverable',
  ACCEPTD: 'accepted',
  ACCEPTED: 'accepted',
  UNKNOWN: 'unknown',
  REJECTD: 'rejected',
  REJECTED: 'rejected',
  ENROUTE: 'enroute',
  SCHEDULED: 'scheduled',
  SKIPPED: 'skipped',
};

const NOT_FINAL: ReadonlySet<MessageState> = new Set(['scheduled', 'enroute']);

/** The state named by a message_state TLV value, or undefined for values outside the spec. */
export function stateFromNumber(n: number): MessageState | undefined {
  return STATE_BY_NUMBER[n];
}

/** The state named by a receipt `stat:` word (7-letter spec forms and common long forms). */
export function stateFromStat(stat: string): MessageState | undefined {
  return STATE_BY_STAT[stat.trim().toUpperCase()];
}

/** The message_state number of a state, for building receipts. */
export function stateNumber(state: MessageState): number {
  return STATE_BY_NUMBER.indexOf(state);
}

/** True when no further receipt is expected after this state. */
export function isFinalState(state: MessageState): boolean {
  return !NOT_FINAL.has(state);
}

/**
 * Reads YYMMDDhhmm, YYMMDDhhmmss or YYYYMMDDhhmmss; undefined for anything else or impossible
 * values. Two-digit years are 20YY.
 */
export function parseReceiptDate(raw: string): ReceiptDate | undefined {
  const s = raw.trim();
  if (!/^(\d{10}|\d{12}|\d{14})$/.test(s)) return undefined;
  const long = s.length === 14;
  const digits = long ? s.slice(2) : s;
  const part = (i: number) => Number(digits.slice(i, i + 2));
  const date: ReceiptDate = {
    year: long ? Number(s.slice(0, 4)) : 2000 + part(0),
    month: part(2),
    day: part(4),
    hour: part(6),
    minute: part(8),
    second: digits.length >= 12 ? part(10) : 0,
  };
  const daysInMonth = new Date(Date.UTC(date.year, date.month, 0)).getUTCDate();
  const valid =
    date.month >= 1 &&
    date.month <= 12 &&
    date.day >= 1 &&
    date.day <= daysInMonth &&
    date.hour <= 23 &&
    date.minute <= 59 &&
    date.second <= 59;
  return valid ? date : undefined;
}

/** Epoch ms of a receipt date written at the given UTC offset (minutes east of UTC). */
export function receiptDateToEpochMs(d: ReceiptDate, utcOffsetMinutes = 0): number {
  return Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second) - utcOffsetMinutes * 60_000;
}

/** Formats a date as YYMMDDhhmm (the spec's receipt form). */
export function formatReceiptDate(d: ReceiptDate): string {
  const two = (n: number) => String(n % 100).padStart(2, '0');
  return `${two(d.year)}${two(d.month)}${two(d.day)}${two(d.hour)}${two(d.minute)}`;
}

// A key starts the text or follows whitespace; "submit date" is also seen as submit_date.
const KEY = /(?:^|\s)(id|sub|dlvrd|submit[ _]date|done[ _]date|stat|err|text)\s*:/gi;

/**
 * Reads the receipt text fields. Keys are case-insensitive and may come in any order; `text:` is
 * taken to the end (it is last by convention and may itself contain colons). Every other value is
 * the first word after its key. Missing fields stay undefined; the first occurrence of a key wins.
 */
export function parseReceiptText(input: string): ReceiptText {
  const found = new Map<string, string>();
  const matches = [...input.matchAll(KEY)];
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i]!;
    const key = m[1]!.toLowerCase().replace('_', ' ');
    const start = m.index + m[0].length;
    if (key === 'text') {
      if (!found.has(key)) found.set(key, input.slice(start).trimEnd());
      break;
    }
    const end = matches[i + 1]?.index ?? input.length;
    const word = input.slice(start, end).trim().split(/\s+/)[0] ?? '';
    if (!found.has(key)) found.set(key, word);
  }
  const date = (k: string) => {
    const v = found.get(k);
    return v === undefined ? undefined : parseReceiptDate(v);
  };
  return prune({
    id: found.get('id') || undefined,
    sub: found.get('sub'),
    dlvrd: found.get('dlvrd'),
    submitDate: date('submit date'),
    doneDate: date('done date'),
    stat: found.get('stat') || undefined,
    err: found.get('err'),
    text: found.get('text'),
  });
}

/**
 * Builds a receipt from its TLVs and text. `intermediate` (esm_class intermediate notification)
 * makes it non-final whatever its state.
 */
export function buildReceipt(tlvs: ReceiptTlvs, text: string, intermediate = false): DeliveryReceipt {
  const t = parseReceiptText(text);
  const tlvState = tlvs.messageState === undefined ? undefined : stateFromNumber(tlvs.messageState);
  const state = tlvState ?? (t.stat === undefined ? undefined : stateFromStat(t.stat)) ?? 'unknown';
  const net = tlvs.networkErrorCode;
  return prune({
    messageId: tlvs.receiptedMessageId?.trim() || t.id,
    state,
    final: !intermediate && isFinalState(state),
    stat: t.stat,
    error: t.err,
    networkError: net && net.length >= 3 ? { type: net.readUInt8(0), code: net.readUInt16BE(1) } : undefined,
    submitted: count(t.sub),
    delivered: count(t.dlvrd),
    submitDate: t.submitDate,
    doneDate: t.doneDate,
    text: t.text,
  });
}

function count(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

// Leaves optional properties absent rather than present-and-undefined, so deepEqual reads well.
function prune<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Writes a receipt text in the spec's layout (the simulator's and tests' side). */
export function formatReceiptText(r: {
  id: string;
  stat: string;
  err?: string;
  submitDate: ReceiptDate;
  doneDate: ReceiptDate;
  text?: string;
}): string {
  const delivered = r.stat === 'DELIVRD' ? '001' : '000';
  return (
    `id:${r.id} sub:001 dlvrd:${delivered} submit date:${formatReceiptDate(r.submitDate)} ` +
    `done date:${formatReceiptDate(r.doneDate)} stat:${r.stat} err:${r.err ?? '000'} text:${r.text ?? ''}`
  );
}
