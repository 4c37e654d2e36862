import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { DomainError } from '../errors.js';

/**
 * Normalises a phone number to E.164, reading numbers without "+" in `defaultCountry`.
 * Throws PHONE_NUMBER_INVALID for anything that is not a valid number.
 * @example toE164('(202) 555-0143', 'US') // '+12025550143'
 */
export function toE164(input: string, defaultCountry: string): string {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 40 || !/^[+\d\s().\-/]+$/.test(trimmed)) {
    throw new DomainError('PHONE_NUMBER_INVALID', `"${input}" is not a phone number`);
  }
  const parsed = parsePhoneNumberFromString(trimmed.replace(/^00/, '+'), defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) {
    throw new DomainError('PHONE_NUMBER_INVALID', `"${input}" is not a valid phone number`);
  }
  return parsed.number;
}

/** Like toE164 but answers undefined instead of throwing (for look-ups by a caller's number). */
export function tryE164(input: string, defaultCountry: string): string | undefined {
  try {
    return toE164(input, defaultCountry);
  } catch {
    return undefined;
  }
}
