// Typed encode/decode of one SMPP PDU on top of the `smpp` package's codec. The package's value
// filters are switched off in both directions so bytes stay bytes: short_message is exactly the
// octets given (the domain layer owns GSM 03.38 / UCS-2), and time strings are sent as written.
import { LibPduClass, libCommands, type LibPdu } from './smpp-lib.js';
import { RESPONSE_BIT } from './status.js';

/** A parameter or TLV value as the codec carries it. */
export type PduValue = string | number | Buffer;

/** A decoded PDU: header plus parameters and known TLVs by their spec names. */
export interface Pdu {
  /** Spec command name (`submit_sm`, `deliver_sm_resp`, …) or `unknown`. */
  command: string;
  commandId: number;
  status: number;
  sequence: number;
  fields: Readonly<Record<string, unknown>>;
}

/** What to encode: a command name, its sequence and status, and its fields by spec name. */
export interface PduToSend {
  command: string;
  sequence: number;
  status?: number;
  fields?: Readonly<Record<string, PduValue | undefined>>;
}

/** Largest PDU the codec accepts (the package refuses longer ones). */
export const CODEC_MAX_PDU_LENGTH = LibPduClass.maxLength;

function noFilter(): void {}

/** True when the command name is one the codec can encode. */
export function isKnownCommand(command: string): boolean {
  return Object.hasOwn(libCommands, command);
}

/** True for response PDUs (command_id high bit). */
export function isResponseId(commandId: number): boolean {
  return (commandId & RESPONSE_BIT) !== 0;
}

/** Encodes one PDU; fields that are undefined are left at the spec default. */
export function encodePdu(pdu: PduToSend): Buffer {
  const options: Record<string, unknown> = {
    sequence_number: pdu.sequence,
    command_status: pdu.status ?? 0,
  };
  for (const [name, value] of Object.entries(pdu.fields ?? {})) {
    if (value !== undefined) options[name] = value;
  }
  const lib: LibPdu = new LibPduClass(pdu.command, options);
  lib._filter = noFilter;
  return lib.toBuffer();
}

/**
 * Decodes one whole PDU (exactly command_length bytes). Throws on bytes the codec cannot read;
 * an unknown command_id decodes to command `unknown` with no fields.
 */
export function decodePdu(bytes: Buffer): Pdu {
  const lib = Object.create(LibPduClass.prototype) as LibPdu;
  lib._filter = noFilter;
  lib.fromBuffer(bytes);
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(lib)) {
    if (HEADER_KEYS.has(name) || typeof value === 'function') continue;
    fields[name] = value;
  }
  return {
    command: lib.command,
    commandId: lib.command_id,
    status: lib.command_status,
    sequence: lib.sequence_number,
    fields,
  };
}

const HEADER_KEYS = new Set(['command', 'command_id', 'command_status', 'sequence_number', 'command_length']);

/** A string field, or undefined when absent or of another type. */
export function textField(pdu: Pdu, name: string): string | undefined {
  const v = pdu.fields[name];
  return typeof v === 'string' ? v : undefined;
}

/** A numeric field, or undefined. */
export function intField(pdu: Pdu, name: string): number | undefined {
  const v = pdu.fields[name];
  return typeof v === 'number' ? v : undefined;
}

/** A byte field, or undefined. */
export function bytesField(pdu: Pdu, name: string): Buffer | undefined {
  const v = pdu.fields[name];
  return Buffer.isBuffer(v) ? v : undefined;
}

/** The sequence number in a frame's header (bytes 12..15), 0 when the frame is shorter. */
export function headerSequence(frame: Buffer): number {
  return frame.length >= 16 ? frame.readUInt32BE(12) : 0;
}

/** The command_id in a frame's header, 0 when the frame is shorter. */
export function headerCommandId(frame: Buffer): number {
  return frame.length >= 8 ? frame.readUInt32BE(4) : 0;
}
