// Classifies an incoming deliver_sm / data_sm into a delivery receipt or a mobile-originated
// message. Pure: the bind answers deliver_sm_resp before calling this.
import type { SmppAddress } from './address.js';
import { bytesField, intField, textField, type Pdu } from './pdu.js';
import { buildReceipt, type DeliveryReceipt } from './receipt.js';
import { EsmClass } from './status.js';

/** A mobile-originated message: raw octets, decoding by data_coding is the domain's job. */
export interface MobileOriginated {
  source: SmppAddress;
  destination: SmppAddress;
  dataCoding: number;
  esmClass: number;
  protocolId: number;
  /** The user data header when esm_class has UDHI (concatenation, ports), including its length octet. */
  udh?: Buffer;
  /** The message octets after any UDH (short_message, or message_payload when that was used). */
  shortMessage: Buffer;
  /** SAR TLVs (the other way of concatenating), when present. */
  sar?: { reference: number; total: number; sequence: number };
}

/** An incoming deliver_sm, classified. */
export type Delivery =
  | { kind: 'receipt'; receipt: DeliveryReceipt; source: SmppAddress; destination: SmppAddress }
  | { kind: 'mo'; message: MobileOriginated };

function address(pdu: Pdu, prefix: 'source' | 'dest', name: string): SmppAddress {
  return {
    address: textField(pdu, name) ?? '',
    ton: intField(pdu, `${prefix}_addr_ton`) ?? 0,
    npi: intField(pdu, `${prefix}_addr_npi`) ?? 0,
  };
}

/** Decodes receipt text: receipts are ASCII, though a few SMSCs send them as UCS-2. */
function receiptText(bytes: Buffer, dataCoding: number): string {
  if (dataCoding === 0x08 && bytes.length % 2 === 0) {
    const swapped = Buffer.from(bytes);
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('latin1');
}

/** Splits UDH from the body when UDHI is set and the header length fits; otherwise all is body. */
export function splitUdh(bytes: Buffer, esmClass: number): { udh?: Buffer; body: Buffer } {
  if ((esmClass & EsmClass.UDH_INDICATOR) === 0 || bytes.length === 0) return { body: bytes };
  const headerLength = 1 + bytes.readUInt8(0);
  if (headerLength > bytes.length) return { body: bytes };
  return { udh: bytes.subarray(0, headerLength), body: bytes.subarray(headerLength) };
}

/**
 * Receipt when esm_class says so (SMSC receipt, SME delivery ack, intermediate notification), or
 * when a plain-typed PDU still carries receipted_message_id; everything else is MO.
 */
export function classifyDelivery(pdu: Pdu): Delivery {
  const esmClass = intField(pdu, 'esm_class') ?? 0;
  const dataCoding = intField(pdu, 'data_coding') ?? 0;
  const payload = bytesField(pdu, 'message_payload');
  const short = bytesField(pdu, 'short_message');
  const bytes = payload && payload.length > 0 ? payload : (short ?? Buffer.alloc(0));
  const type = esmClass & EsmClass.TYPE_MASK;
  const receiptedId = textField(pdu, 'receipted_message_id');
  const source = address(pdu, 'source', 'source_addr');
  const destination = address(pdu, 'dest', 'destination_addr');
  const isReceipt =
    type === EsmClass.DELIVERY_RECEIPT ||
    type === EsmClass.DELIVERY_ACK ||
    type === EsmClass.INTERMEDIATE_NOTIFICATION ||
    (type === 0 && receiptedId !== undefined);
  if (isReceipt) {
    const receipt = buildReceipt(
      {
        receiptedMessageId: receiptedId,
        messageState: intField(pdu, 'message_state'),
        networkErrorCode: bytesField(pdu, 'network_error_code'),
      },
      receiptText(splitUdh(bytes, esmClass).body, dataCoding),
      type === EsmClass.INTERMEDIATE_NOTIFICATION,
    );
    return { kind: 'receipt', receipt, source, destination };
  }
  const { udh, body } = splitUdh(bytes, esmClass);
  const reference = intField(pdu, 'sar_msg_ref_num');
  const total = intField(pdu, 'sar_total_segments');
  const sequence = intField(pdu, 'sar_segment_seqnum');
  const message: MobileOriginated = {
    source,
    destination,
    dataCoding,
    esmClass,
    protocolId: intField(pdu, 'protocol_id') ?? 0,
    shortMessage: Buffer.from(body),
  };
  if (udh) message.udh = Buffer.from(udh);
  if (reference !== undefined && total !== undefined && sequence !== undefined) {
    message.sar = { reference, total, sequence };
  }
  return { kind: 'mo', message };
}
