/**
 * `say`: a value rendered into prompt fragment names in the call's language. The voice adapter plays
 * fragment `x` from `<prompt root>/<language>/say/x.wav` (docs/ivr.md lists every name).
 */
import type { Currency, SayAs } from './flow.js';
import { enAmount, enDate, enDigits, enNumber, enTime } from './say-en.js';
import { zhAmount, zhDate, zhDigits, zhNumber, zhTime } from './say-zh.js';
import { Unspeakable, parseAmount, parseDate, parseDigits, parseNumber, parseTime } from './spoken-values.js';

export { Unspeakable } from './spoken-values.js';

/** Languages the interpreter speaks. */
export const LANGUAGES = ['en', 'zh'] as const;
/** A language the interpreter speaks. */
export type Language = (typeof LANGUAGES)[number];

/** Prefix of say fragments inside a play command's prompt list. */
export const SAY_PREFIX = 'say/';

/**
 * The fragment names (without the `say/` prefix) that speak `value` as `as` in `language`.
 * Throws Unspeakable for a value that does not parse (e.g. "abc" as a number).
 * @example sayFragments('number', 1234, 'en') // ['1', 'thousand', '2', 'hundred', '30', '4']
 * @example sayFragments('number', 1234, 'zh') // ['1', 'qian', '2', 'bai', '3', 'shi', '4']
 */
export function sayFragments(
  as: SayAs,
  value: string | number,
  language: Language,
  currency?: Currency,
): string[] {
  const en = language === 'en';
  switch (as) {
    case 'digits':
      return (en ? enDigits : zhDigits)(parseDigits(value));
    case 'number':
      return (en ? enNumber : zhNumber)(parseNumber(value));
    case 'date':
      return (en ? enDate : zhDate)(parseDate(value));
    case 'time':
      return (en ? enTime : zhTime)(parseTime(value));
    case 'currency':
      if (!currency) throw new Unspeakable('a currency is needed to say an amount');
      return (en ? enAmount : zhAmount)(parseAmount(value), currency);
  }
}
