/** SMS encoding (GSM 03.38 / UCS-2), segmentation with concatenation UDH, and MO reassembly. */
export {
  ESC,
  GSM7_BASIC_TABLE,
  GSM7_EXTENSION_TABLE,
  decodeGsm7,
  encodeGsm7,
  findUnencodable,
  gsm7Cost,
  gsm7Length,
  septetsToText,
  type UnencodableChar,
} from './gsm7.js';
export { fillBitsAfter, packSeptets, packedLength, unpackSeptets } from './septet-packing.js';
export { decodeUcs2, encodeUcs2, isHighSurrogate, isLowSurrogate } from './ucs2.js';
export {
  DATA_CODING,
  chooseEncoding,
  type DataCoding,
  type EncodingChoice,
  type RequestedEncoding,
  type SmsEncoding,
} from './encoding.js';
export {
  MAX_SEGMENTS,
  concatenationHeader,
  concatenationHeaderLength,
  readConcatenation,
  type Concatenation,
  type ConcatenationReference,
} from './udh.js';
export {
  USER_DATA_OCTETS,
  countSegments,
  segmentCapacity,
  segmentCost,
  type ReferenceBits,
  type SegmentCount,
} from './segments.js';
export { planMessage, type MessagePart, type MessagePlan, type PlanOptions } from './plan.js';
export {
  reassemble,
  type IncomingPart,
  type PendingMessage,
  type ReassembledMessage,
  type Reassembly,
} from './reassembly.js';
export {
  SMS_PRIORITY,
  SMS_STATUSES,
  SMS_TYPES,
  isFinalMessage,
  isFinalSegment,
  messageStatusOf,
  segmentStatusForReceipt,
  type SegmentStatus,
  type SmsStatus,
  type SmsType,
} from './lifecycle.js';
export { decodeMoText, moConcatenation } from './mo-text.js';
export {
  normaliseKeyword,
  routeKeyword,
  OPT_OUT_WORDS,
  OPT_IN_WORDS,
  RESERVED_WORDS,
  type MoIntent,
} from './keywords.js';
export { autoReplyText, isChinese, workOrderText, type AutoReply } from './replies.js';
export { clockMinutes, dailySendDue, isTimeZone, localDateMinute } from './schedule.js';
