/** SMPP 3.4: the ESME bind (client), receipt parsing and matching, and the SMSC simulator. */
export {
  SmppBind,
  type BindEvents,
  type BindState,
  type BindStateChange,
  type DeliverEvent,
  type SmppBindOptions,
} from './bind.js';
export type { SubmitRequest, SubmitResult, RetryReason } from './submit.js';
export { toSmppAddress, Ton, Npi, type SmppAddress } from './address.js';
export type { MobileOriginated } from './deliver.js';
export {
  buildReceipt,
  parseReceiptText,
  parseReceiptDate,
  receiptDateToEpochMs,
  isFinalState,
  type DeliveryReceipt,
  type MessageState,
  type ReceiptDate,
  type ReceiptText,
} from './receipt.js';
export { normaliseMessageId, sameMessageId, type MessageIdBase } from './message-id.js';
export { ReceiptMatcher, type MatchedReceipt, type ReceiptMatcherOptions } from './receipt-matcher.js';
export type { BackoffPolicy } from './backoff.js';
export type { ProtocolViolation } from './connection.js';
export { SmppStatus, statusHex } from './status.js';
export {
  SmscSimulator,
  type SmscSimulatorOptions,
  type SimulatorCounts,
  type SimulatedSubmit,
} from './simulator.js';
export { FAULT_SUFFIXES, faultFor, type Fault } from './fault-plan.js';
