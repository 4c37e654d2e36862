// Kannel's smsbox HTTP interface, pure: the sendsms query for one segment, the reading of its
// answer, and the reading of a delivery report that Kannel calls back through dlr-url.
import { septetsToText } from '../../domain/sms/gsm7.js';
import type { SmsReceipt, SmsSubmission } from '../../services/ports.js';

/** DLR types Kannel reports (%d), and the dlr-mask that asks for the final ones. */
export const KannelDlr = {
  DELIVERED: 1,
  UNDELIVERED: 2,
  BUFFERED: 4,
  SMSC_ACCEPTED: 8,
  SMSC_REJECTED: 16,
} as const;

/** Delivered, undelivered, refused by the SMSC: the reports that settle a segment. */
export const DLR_MASK = KannelDlr.DELIVERED | KannelDlr.UNDELIVERED | KannelDlr.SMSC_REJECTED;

/** Settings that go into every sendsms request. */
export interface SendsmsAccount {
  username: string;
  password: string;
  /** Kannel smsc-id to route through; null = Kannel's own routing. */
  smsc: string | null;
}

const percentBytes = (bytes: Uint8Array) =>
  [...bytes].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');

/**
 * The query string of a sendsms request for one segment. GSM-7 text goes as UTF-8 (`coding=0`,
 * Kannel converts it back to the GSM alphabet); UCS-2 and 8-bit data go as their raw octets.
 * The UDH (length octet first) goes as is, so Kannel sends exactly our segment.
 */
export function sendsmsQuery(s: SmsSubmission, account: SendsmsAccount, dlrUrl: string | null): string {
  const parts: string[] = [];
  const add = (key: string, value: string) => parts.push(`${key}=${encodeURIComponent(value)}`);
  add('username', account.username);
  add('password', account.password);
  add('from', s.source);
  add('to', s.destination);
  if (s.dataCoding === 0) {
    add('coding', '0');
    add('charset', 'UTF-8');
    add('text', septetsToText(s.shortMessage));
  } else {
    add('coding', s.dataCoding === 8 ? '2' : '1');
    if (s.dataCoding === 8) add('charset', 'UTF-16BE');
    parts.push(`text=${percentBytes(s.shortMessage)}`);
  }
  if (s.udh) parts.push(`udh=${percentBytes(s.udh)}`);
  if (account.smsc) add('smsc', account.smsc);
  if (dlrUrl) {
    add('dlr-mask', String(DLR_MASK));
    add('dlr-url', dlrUrl);
  }
  return parts.join('&');
}

/** How Kannel answered a sendsms request. */
export type SendsmsAnswer =
  | { kind: 'accepted'; queued: boolean }
  /** Kannel cannot take messages now (no bearerbox, wrong account): the route is down. */
  | { kind: 'down'; reason: string }
  /** Refused for good; the HTTP status is kept as the error code. */
  | { kind: 'refused'; status: number; reason: string };

/**
 * Reads Kannel's answer: "0: Accepted for delivery" and "3: Queued for later delivery" (202) mean
 * Kannel has the message; 403 (authorization) and 5xx mean this route cannot send; other codes
 * refuse this message.
 */
export function readSendsmsAnswer(httpStatus: number, body: string): SendsmsAnswer {
  const text = body.trim();
  if (httpStatus >= 200 && httpStatus < 300 && /^[03]:/.test(text)) {
    return { kind: 'accepted', queued: text.startsWith('3:') };
  }
  if (httpStatus === 401 || httpStatus === 403 || httpStatus >= 500) {
    return { kind: 'down', reason: `kannel ${httpStatus}: ${text.slice(0, 100)}` };
  }
  return { kind: 'refused', status: httpStatus, reason: text.slice(0, 100) };
}

/**
 * A delivery report from the query Kannel called: `ref` (ours), `status` (%d) and `answer`
 * (%A, the SMSC's receipt text or refusal). Undefined when it is not readable.
 */
export function readDeliveryReport(params: Readonly<Record<string, string>>): SmsReceipt | undefined {
  const reference = params.ref;
  const type = Number(params.status);
  if (!reference || !/^[^:]+:\d+$/.test(reference) || !Number.isInteger(type)) return undefined;
  const answer = params.answer ?? '';
  const err = /\berr:(\d+)/i.exec(answer)?.[1] ?? /NACK\/(0x[0-9a-f]+|\d+)/i.exec(answer)?.[1];
  const errorCode = err === undefined ? null : Number(err);
  const base = { reference, errorCode: Number.isFinite(errorCode) ? errorCode : null };
  if (type & KannelDlr.DELIVERED) return { ...base, state: 'delivered', final: true, errorCode: null };
  if (type & KannelDlr.UNDELIVERED) return { ...base, state: 'undeliverable', final: true };
  if (type & KannelDlr.SMSC_REJECTED) return { ...base, state: 'rejected', final: true };
  if (type & KannelDlr.SMSC_ACCEPTED) return { ...base, state: 'accepted', final: false };
  return { ...base, state: 'enroute', final: false };
}
