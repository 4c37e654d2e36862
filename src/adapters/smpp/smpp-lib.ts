// The `smpp` package is CommonJS without types. This file is the one place that loads it, and it
// declares only the PDU codec this adapter uses: framing, sockets and sessions are ours (see
// connection.ts for why).
import { createRequire } from 'node:module';

/** A PDU object of the `smpp` package: header fields plus one property per parameter or TLV. */
export interface LibPdu {
  command: string;
  command_id: number;
  command_status: number;
  sequence_number: number;
  command_length: number;
  [field: string]: unknown;
  toBuffer(): Buffer;
  fromBuffer(bytes: Buffer): void;
  _filter(direction: 'encode' | 'decode'): void;
}

interface LibPduClass {
  new (command: string, options?: Record<string, unknown>): LibPdu;
  readonly prototype: LibPdu;
  readonly maxLength: number;
}

interface SmppLib {
  PDU: LibPduClass;
  commands: Record<string, { id: number }>;
}

const require = createRequire(import.meta.url);
const lib = require('smpp') as SmppLib;

/** The package's PDU class. */
export const LibPduClass: LibPduClass = lib.PDU;

/** Command name → command id, as the package knows them. */
export const libCommands: Readonly<Record<string, { id: number }>> = lib.commands;
