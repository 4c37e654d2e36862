/**
 * English wording for `say`, as fragment names (docs/ivr.md lists them): 1234 → 1 thousand 2
 * hundred 30 4. Numbers 0–19 and the tens 20–90 are one recording each, so any number up to
 * 999 billion needs only 33 number recordings.
 */
import type { Currency } from './flow.js';
import type { SpokenAmount, SpokenDate, SpokenNumber, SpokenTime } from './spoken-values.js';

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const SCALES: [number, string][] = [
  [1e9, 'billion'],
  [1e6, 'million'],
  [1e3, 'thousand'],
];

/** Singular and plural words for the major and minor unit. */
const CURRENCY_WORDS: Record<Currency, [string, string, string, string]> = {
  USD: ['dollar', 'dollars', 'cent', 'cents'],
  EUR: ['euro', 'euros', 'cent', 'cents'],
  CNY: ['yuan', 'yuan', 'fen', 'fen'],
};

const DIGIT_WORDS: Record<string, string> = { '*': 'star', '#': 'pound', '+': 'plus' };

function below1000(n: number, out: string[]): void {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) out.push(String(hundreds), 'hundred');
  if (rest === 0) return;
  if (rest < 20) out.push(String(rest));
  else {
    out.push(String(rest - (rest % 10)));
    if (rest % 10 > 0) out.push(String(rest % 10));
  }
}

/** A whole number 0 ≤ n < 10^12. */
export function enInteger(n: number): string[] {
  if (n === 0) return ['0'];
  const out: string[] = [];
  let rest = n;
  for (const [scale, word] of SCALES) {
    const count = Math.floor(rest / scale);
    if (count > 0) {
      below1000(count, out);
      out.push(word);
    }
    rest %= scale;
  }
  below1000(rest, out);
  return out;
}

/** Each character on its own: "12*" → 1 2 star. */
export function enDigits(digits: string): string[] {
  return [...digits].map((d) => DIGIT_WORDS[d] ?? d);
}

/** "minus", the integer, then "point" and each decimal digit. */
export function enNumber(n: SpokenNumber): string[] {
  const out = n.negative ? ['minus'] : [];
  out.push(...enInteger(n.integer));
  if (n.fraction) out.push('point', ...n.fraction);
  return out;
}

function ordinal(day: number): string {
  const suffix =
    day % 10 === 1 && day !== 11
      ? 'st'
      : day % 10 === 2 && day !== 12
        ? 'nd'
        : day % 10 === 3 && day !== 13
          ? 'rd'
          : 'th';
  return `${day}${suffix}`;
}

/** Years as people say them: 2026 → 20 20 6 (twenty twenty-six), 2005 → 2 thousand 5, 1905 → 19 oh 5, 1900 → 19 hundred. */
function year(y: number): string[] {
  if (y < 1000 || y % 1000 === 0 || (y > 2000 && y < 2010)) return enInteger(y);
  const hi = Math.floor(y / 100);
  const lo = y % 100;
  if (lo === 0) return [...enInteger(hi), 'hundred'];
  if (lo < 10) return [...enInteger(hi), 'oh', String(lo)];
  return [...enInteger(hi), ...enInteger(lo)];
}

/** "november 23rd 20 20 6". */
export function enDate(d: SpokenDate): string[] {
  return [MONTHS[d.month - 1] ?? '', ordinal(d.day), ...year(d.year)];
}

/** 12-hour clock: 14:05 → 2 oh 5 pm; 09:00 → 9 am. */
export function enTime(t: SpokenTime): string[] {
  const out = [String(t.hour % 12 || 12)];
  if (t.minute > 0 && t.minute < 10) out.push('oh', String(t.minute));
  else if (t.minute >= 10) out.push(...enInteger(t.minute));
  out.push(t.hour < 12 ? 'am' : 'pm');
  return out;
}

/** 12.50 USD → 12 dollars and 50 cents; 0.01 → 1 cent; 0 → 0 dollars. */
export function enAmount(a: SpokenAmount, currency: Currency): string[] {
  const [one, many, minorOne, minorMany] = CURRENCY_WORDS[currency];
  const out = a.negative ? ['minus'] : [];
  if (a.major > 0 || a.minor === 0) out.push(...enInteger(a.major), a.major === 1 ? one : many);
  if (a.minor > 0) {
    if (a.major > 0) out.push('and');
    out.push(...enInteger(a.minor), a.minor === 1 ? minorOne : minorMany);
  }
  return out;
}
