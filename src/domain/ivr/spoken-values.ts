/**
 * Parsing of the values `say` speaks (digits, numbers, dates, times, amounts) from text, shared by
 * every language. Values come from variables at run time, so a bad one is a runtime failure
 * (Unspeakable), not a validation problem.
 */

/** A value `say` cannot speak; the interpreter takes the node's error branch. */
export class Unspeakable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unspeakable';
  }
}

/** A decimal number: sign, integer part (< 10^12) and fraction digits as written. */
export interface SpokenNumber {
  negative: boolean;
  integer: number;
  fraction: string;
}

/** A calendar date. */
export interface SpokenDate {
  year: number;
  month: number;
  day: number;
}

/** A time of day, 24-hour. */
export interface SpokenTime {
  hour: number;
  minute: number;
}

/** An amount in minor units split for speaking: 12.5 → major 12, minor 50. */
export interface SpokenAmount {
  negative: boolean;
  major: number;
  minor: number;
}

const NUMBER = /^(-?)(\d{1,12})(?:\.(\d{1,6}))?$/;
const AMOUNT = /^(-?)(\d{1,12})(?:\.(\d{1,2}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DIGITS = /^[0-9*#+]{1,64}$/;

function text(value: string | number): string {
  return (typeof value === 'number' ? String(value) : value).trim();
}

/** Digits, `*`, `#` and `+` (spaces and dashes are dropped), at most 64. */
export function parseDigits(value: string | number): string {
  const s = text(value).replace(/[\s-]/g, '');
  if (!DIGITS.test(s)) throw new Unspeakable(`"${s}" is not a digit string`);
  return s;
}

/** A decimal number with at most 12 integer digits (and 6 decimals). */
export function parseNumber(value: string | number): SpokenNumber {
  const m = NUMBER.exec(text(value));
  if (!m) throw new Unspeakable(`"${text(value)}" is not a number`);
  const integer = Number(m[2]);
  const fraction = m[3] ?? '';
  // "-0" is spoken as "0".
  return { negative: m[1] === '-' && (integer > 0 || /[1-9]/.test(fraction)), integer, fraction };
}

/** An ISO local date "YYYY-MM-DD" that exists in the Gregorian calendar. */
export function parseDate(value: string | number): SpokenDate {
  const m = DATE.exec(text(value));
  if (!m) throw new Unspeakable(`"${text(value)}" is not a date (YYYY-MM-DD)`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (year < 1 || days === undefined || day < 1 || day > days) {
    throw new Unspeakable(`"${text(value)}" is not a calendar date`);
  }
  return { year, month, day };
}

/** A 24-hour local time "HH:MM". */
export function parseTime(value: string | number): SpokenTime {
  const m = TIME.exec(text(value));
  if (!m) throw new Unspeakable(`"${text(value)}" is not a time (HH:MM)`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** An amount with at most two decimals; parsed from text so 0.1 + 0.2 style errors cannot occur. */
export function parseAmount(value: string | number): SpokenAmount {
  const m = AMOUNT.exec(text(value));
  if (!m) throw new Unspeakable(`"${text(value)}" is not an amount`);
  const major = Number(m[2]);
  const minor = Number((m[3] ?? '').padEnd(2, '0'));
  return { negative: m[1] === '-' && major + minor > 0, major, minor };
}
