// SMSCs do not agree with themselves on how a message id is written: the submit_sm_resp may say
// "0A1B" and the receipt "2587", or "000123" and "123". Matching goes through one canonical key.
//
// The rule: trim, ignore case, drop a 0x prefix. An id of digits only is a decimal number; an id of
// hex digits with at least one letter A–F is a hex number; numbers key as `n:` + decimal without
// leading zeros. Anything else keys as `t:` + the upper-cased text. An SMSC that writes hex ids
// without letters (e.g. "12345678" meaning 0x12345678) is read with base 'hex' for that side.

/** How one side (submit response or receipt) writes ids: 'auto' follows the rule above. */
export type MessageIdBase = 'auto' | 'hex' | 'decimal';

const DECIMAL = /^[0-9]+$/;
const HEX = /^[0-9A-F]+$/;

/** The canonical key of a message id; equal keys mean the same message. */
export function normaliseMessageId(id: string, base: MessageIdBase = 'auto'): string {
  let s = id.trim().toUpperCase();
  const prefixed = s.startsWith('0X') && s.length > 2;
  if (prefixed) s = s.slice(2);
  if (s === '') return 't:';
  const asHex = prefixed || base === 'hex' || (base === 'auto' && !DECIMAL.test(s));
  if (asHex && HEX.test(s)) return `n:${BigInt(`0x${s}`).toString(10)}`;
  if (!asHex && DECIMAL.test(s)) return `n:${BigInt(s).toString(10)}`;
  return `t:${prefixed ? `0X${s}` : s}`;
}

/** True when two ids name the same message under normaliseMessageId. */
export function sameMessageId(a: string, b: string, aBase: MessageIdBase = 'auto', bBase = aBase): boolean {
  return normaliseMessageId(a, aBase) === normaliseMessageId(b, bBase);
}
