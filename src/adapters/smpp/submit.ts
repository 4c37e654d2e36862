// submit_sm: the typed request, its encoding into PDU fields, and the reading of the answer. Pure.
import { isValidSmppAddress, toSmppAddress, type SmppAddress } from './address.js';
import type { RequestOutcome } from './connection.js';
import { textField, type PduValue } from './pdu.js';
import { EsmClass, SmppStatus } from './status.js';

/** One message (or one segment of one) to submit. */
export interface SubmitRequest {
  /** "+E.164", digits, or an alphanumeric sender; or an explicit address with TON/NPI. */
  source: string | SmppAddress;
  destination: string | SmppAddress;
  /** data_coding as the domain chose it (0 GSM default alphabet, 8 UCS-2, …). */
  dataCoding: number;
  /** esm_class; UDHI is added when `udh` is given. Default 0. */
  esmClass?: number;
  /** User data header including its length octet (concatenation, ports). */
  udh?: Uint8Array;
  /** Message octets, already encoded. With the UDH at most 254 octets go in short_message; longer go in message_payload. */
  shortMessage: Uint8Array;
  /** registered_delivery: 1 = receipt on final state, 2 = on failure only, 0 = none. Default 1. */
  registeredDelivery?: number;
  /** Seconds from submission (sent in relative form), or an SMPP time string as is. */
  validityPeriod?: number | string;
  priorityFlag?: number;
  protocolId?: number;
  serviceType?: string;
  /** The caller's key (e.g. outbox id), handed back with this message's receipt. */
  reference?: string;
}

/** How a submit ended. */
export type SubmitResult =
  | { status: 'accepted'; messageId: string }
  /** Not accepted now, safe to send again later (throttled, queue full, not bound, local queue). */
  | { status: 'retry'; reason: RetryReason; smppStatus?: number }
  /** Refused for good; smppStatus says why. */
  | { status: 'failed'; smppStatus: number }
  /** Sent but unanswered (timeout or connection lost): the SMSC may have it. Never resend blindly. */
  | { status: 'timeout'; reason: 'no-response' | 'connection-lost' };

/** Why a submit may be retried. */
export type RetryReason =
  'throttled' | 'queue-full' | 'smsc-status' | 'not-bound' | 'local-queue-full' | 'queue-wait' | 'closed';

/** Largest short_message (section 5.2.21). */
export const MAX_SHORT_MESSAGE = 254;

/** SMPP relative time "YYMMDDhhmmss000R" for a number of seconds (days capped at 99). */
export function relativeTime(seconds: number): string {
  let s = Math.max(0, Math.floor(seconds));
  const days = Math.min(99, Math.floor(s / 86_400));
  s = days === 99 ? Math.min(s - days * 86_400, 86_399) : s % 86_400;
  const two = (n: number) => String(n).padStart(2, '0');
  return `0000${two(days)}${two(Math.floor(s / 3600))}${two(Math.floor((s % 3600) / 60))}${two(s % 60)}000R`;
}

const SMPP_TIME = /^\d{12}[0-9][0-4][0-9][-+R]$/;

/** submit_sm fields for a request, or the SMPP status it is refused with before sending. */
export function submitFields(
  req: SubmitRequest,
): { fields: Record<string, PduValue | undefined> } | { refused: number } {
  const source = toSmppAddress(req.source);
  const destination = toSmppAddress(req.destination);
  if (!isValidSmppAddress(source)) return { refused: SmppStatus.INVALID_SOURCE_ADDRESS };
  if (!isValidSmppAddress(destination) || destination.address === '') {
    return { refused: SmppStatus.INVALID_DESTINATION_ADDRESS };
  }
  let validity: string | undefined;
  if (typeof req.validityPeriod === 'number') validity = relativeTime(req.validityPeriod);
  else if (req.validityPeriod !== undefined) {
    if (req.validityPeriod !== '' && !SMPP_TIME.test(req.validityPeriod))
      return { refused: SmppStatus.INVALID_EXPIRY };
    validity = req.validityPeriod;
  }
  for (const [value, status] of [
    [req.esmClass, SmppStatus.INVALID_ESM_CLASS],
    [req.priorityFlag, SmppStatus.INVALID_PRIORITY_FLAG],
    [req.registeredDelivery, SmppStatus.INVALID_REGISTERED_DELIVERY],
    [req.dataCoding, SmppStatus.INVALID_DATA_CODING],
    [req.protocolId, SmppStatus.SYSTEM_ERROR],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= 0xff))
      return { refused: status };
  }
  const udh = req.udh && req.udh.length > 0 ? Buffer.from(req.udh) : undefined;
  const userData = udh ? Buffer.concat([udh, req.shortMessage]) : Buffer.from(req.shortMessage);
  const esmClass = (req.esmClass ?? 0) | (udh ? EsmClass.UDH_INDICATOR : 0);
  const inPayload = userData.length > MAX_SHORT_MESSAGE;
  if (userData.length > 0xffff) return { refused: SmppStatus.INVALID_MESSAGE_LENGTH };
  return {
    fields: {
      service_type: req.serviceType ?? '',
      source_addr_ton: source.ton,
      source_addr_npi: source.npi,
      source_addr: source.address,
      dest_addr_ton: destination.ton,
      dest_addr_npi: destination.npi,
      destination_addr: destination.address,
      esm_class: esmClass,
      protocol_id: req.protocolId ?? 0,
      priority_flag: req.priorityFlag ?? 0,
      validity_period: validity,
      registered_delivery: req.registeredDelivery ?? 1,
      data_coding: req.dataCoding,
      short_message: inPayload ? Buffer.alloc(0) : userData,
      message_payload: inPayload ? userData : undefined,
    },
  };
}

/** Statuses that pause the bind before the next submit. */
export interface PauseRule {
  status: number;
  reason: 'throttled' | 'queue-full';
  pauseMs: number;
}

/** Reads a submit_sm outcome; `pause` tells the bind to hold all submits for that long. */
export function readSubmitOutcome(
  outcome: RequestOutcome,
  pauseRules: readonly PauseRule[],
  retryStatuses: ReadonlySet<number>,
): { result: SubmitResult; pause?: PauseRule } {
  switch (outcome.kind) {
    case 'not-sent':
      return { result: { status: 'retry', reason: 'not-bound' } };
    case 'timeout':
      return { result: { status: 'timeout', reason: 'no-response' } };
    case 'closed':
      return { result: { status: 'timeout', reason: 'connection-lost' } };
    case 'response':
      break;
  }
  const { status } = outcome.pdu;
  if (status === SmppStatus.OK && outcome.pdu.command === 'submit_sm_resp') {
    return { result: { status: 'accepted', messageId: textField(outcome.pdu, 'message_id') ?? '' } };
  }
  const rule = pauseRules.find((r) => r.status === status);
  if (rule) return { result: { status: 'retry', reason: rule.reason, smppStatus: status }, pause: rule };
  if (retryStatuses.has(status))
    return { result: { status: 'retry', reason: 'smsc-status', smppStatus: status } };
  // generic_nack with status 0 makes no sense; keep it as a system error rather than "accepted".
  return {
    result: { status: 'failed', smppStatus: status === SmppStatus.OK ? SmppStatus.SYSTEM_ERROR : status },
  };
}
