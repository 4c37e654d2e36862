// SMPP 3.4 command_status values this adapter acts on (section 5.1.3). The full table lives in
// the spec; every status travels on as a number, so unlisted ones are never lost.

/** command_status codes with a meaning in this adapter. */
export const SmppStatus = {
  OK: 0x00,
  INVALID_MESSAGE_LENGTH: 0x01,
  INVALID_COMMAND_LENGTH: 0x02,
  INVALID_COMMAND_ID: 0x03,
  INVALID_BIND_STATUS: 0x04,
  ALREADY_BOUND: 0x05,
  INVALID_PRIORITY_FLAG: 0x06,
  INVALID_REGISTERED_DELIVERY: 0x07,
  SYSTEM_ERROR: 0x08,
  INVALID_SOURCE_ADDRESS: 0x0a,
  INVALID_DESTINATION_ADDRESS: 0x0b,
  BIND_FAILED: 0x0d,
  INVALID_PASSWORD: 0x0e,
  INVALID_SYSTEM_ID: 0x0f,
  MESSAGE_QUEUE_FULL: 0x14,
  INVALID_ESM_CLASS: 0x43,
  SUBMIT_FAILED: 0x45,
  THROTTLED: 0x58,
  INVALID_EXPIRY: 0x62,
  /** SMPP 5.0's ESME_RINVDCS; 3.4 has no code for a bad data_coding. */
  INVALID_DATA_CODING: 0x104,
} as const;

/** Bit set in command_id of every response PDU. */
export const RESPONSE_BIT = 0x80000000;

/** esm_class bits (section 5.2.12). */
export const EsmClass = {
  /** Message type mask (bits 5..2). */
  TYPE_MASK: 0x3c,
  DELIVERY_RECEIPT: 0x04,
  DELIVERY_ACK: 0x08,
  USER_ACK: 0x10,
  INTERMEDIATE_NOTIFICATION: 0x20,
  UDH_INDICATOR: 0x40,
  REPLY_PATH: 0x80,
} as const;

/** A status as `0x58` for messages and events. */
export function statusHex(status: number): string {
  return `0x${status.toString(16).padStart(2, '0')}`;
}
