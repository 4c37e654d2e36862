// SMPP addresses carry a type of number (TON) and numbering plan (NPI) beside the digits.

/** An SMPP address with its TON and NPI. */
export interface SmppAddress {
  address: string;
  ton: number;
  npi: number;
}

/** TON values (section 5.2.5). */
export const Ton = { UNKNOWN: 0, INTERNATIONAL: 1, NATIONAL: 2, ALPHANUMERIC: 5 } as const;

/** NPI values (section 5.2.6). */
export const Npi = { UNKNOWN: 0, ISDN: 1 } as const;

/** Longest source_addr / destination_addr (21 octets less the terminating NUL). */
export const MAX_ADDRESS_LENGTH = 20;

/**
 * An address from a plain string: "+<digits>" is international E.164 (sent without the +),
 * digits only are unknown-TON ISDN, anything else is an alphanumeric sender (TON 5, NPI 0).
 */
export function toSmppAddress(a: string | SmppAddress): SmppAddress {
  if (typeof a !== 'string') return a;
  if (/^\+\d+$/.test(a)) return { address: a.slice(1), ton: Ton.INTERNATIONAL, npi: Npi.ISDN };
  if (/^\d+$/.test(a)) return { address: a, ton: Ton.UNKNOWN, npi: Npi.ISDN };
  return { address: a, ton: Ton.ALPHANUMERIC, npi: Npi.UNKNOWN };
}

/** True when the address fits its field and is printable ASCII (the codec writes cstrings as ASCII). */
export function isValidSmppAddress(a: SmppAddress, maxLength = MAX_ADDRESS_LENGTH): boolean {
  return a.address.length <= maxLength && /^[\x20-\x7e]*$/.test(a.address);
}
