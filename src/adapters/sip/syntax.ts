// Lexical building blocks of RFC 3261 section 25 shared by the URI, header and message parsers.
// Character classes are lookup tables rather than regular expressions: a softswitch runs these on
// every packet, and table scans cannot backtrack on hostile input.

/** Outcome of parsing one syntactic element: the value, or why it is malformed. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Builds a successful Parsed. */
export function parsed<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

/** Builds a failed Parsed. */
export function malformed<T = never>(reason: string): Parsed<T> {
  return { ok: false, reason };
}

/** ASCII letters and digits, the base of every character class. */
export const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A 128-entry table: 1 where the ASCII code belongs to the class. Non-ASCII is never in a class. */
export function charClass(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}

/** token (RFC 3261 25.1). */
export const TOKEN = charClass(ALNUM + "-.!%*_+`'~");
/** Call-ID word characters. */
export const WORD = charClass(ALNUM + '-.!%*_+`\'~()<>:\\"/[]?{}');
/** Characters of a generic-param value that is not quoted: token, plus host forms (IPv6 has ':' and '[]'). */
export const PARAM_VALUE = charClass(ALNUM + "-.!%*_+`'~:[]");

/** True when the code belongs to the class (non-ASCII codes never do). */
export function inClass(table: Uint8Array, code: number): boolean {
  return code < 128 && table[code] === 1;
}

/** SP or HTAB: after unfolding, the only whitespace a header value can hold. */
export function isWsp(code: number): boolean {
  return code === 32 || code === 9;
}

/** Index of the first non-SP/HTAB at or after i. */
export function skipWsp(s: string, i: number, end = s.length): number {
  while (i < end && isWsp(s.charCodeAt(i))) i++;
  return i;
}

/**
 * s[start, end) without leading and trailing SP/HTAB. Not String.prototype.trim, which also eats
 * characters SIP treats as data (a UTF-8 BOM opens RFC 4475 intmeth's extension header value).
 */
export function trimWsp(s: string, start = 0, end = s.length): string {
  while (start < end && isWsp(s.charCodeAt(start))) start++;
  while (end > start && isWsp(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Index just past the run of class characters starting at i. */
export function scanClass(s: string, i: number, table: Uint8Array, end = s.length): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c >= 128 || table[c] !== 1) break;
    i++;
  }
  return i;
}

/** True when every character of s[start, end) is in the class and the range is not empty. */
export function isAll(s: string, table: Uint8Array, start = 0, end = s.length): boolean {
  return end > start && scanClass(s, start, table, end) === end;
}

/** True when s is a non-empty token. */
export function isToken(s: string): boolean {
  return isAll(s, TOKEN);
}

/**
 * Index just past the closing quote of the quoted-string opening at s[i] (which must be '"'),
 * or -1 when it is unterminated or holds a bare control character.
 */
export function scanQuoted(s: string, i: number, end = s.length): number {
  let j = i + 1;
  while (j < end) {
    const c = s.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c === 92) {
      // quoted-pair: any octet but CR and LF may follow the backslash.
      const next = s.charCodeAt(j + 1);
      if (j + 1 >= end || next === 10 || next === 13) return -1;
      j += 2;
      continue;
    }
    if ((c < 32 && c !== 9) || c === 127) return -1;
    j++;
  }
  return -1;
}

/** The content of a quoted-string s[start, end) (quotes included) with quoted-pairs resolved. */
export function unquote(s: string, start = 0, end = s.length): string {
  const inner = s.slice(start + 1, end - 1);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  let from = 0;
  for (let j = 0; j < inner.length; j++) {
    if (inner.charCodeAt(j) === 92) {
      out += inner.slice(from, j) + inner.charAt(j + 1);
      j++;
      from = j + 1;
    }
  }
  return out + inner.slice(from);
}

/**
 * A quoted-string holding text: quote, backslash and control characters become quoted-pairs; CR
 * and LF, which no quoted-pair may carry, become spaces.
 */
export function quote(text: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92 || (c < 32 && c !== 9) || c === 127) {
      out += text.slice(from, i) + (c === 10 || c === 13 ? ' ' : '\\' + text.charAt(i));
      from = i + 1;
    }
  }
  return out + text.slice(from) + '"';
}

/**
 * Splits a header value on the commas that separate list elements, ignoring commas inside
 * quoted strings and angle brackets. Elements are trimmed; empty ones are kept so that a caller
 * can reject them (RFC 4475 badinv01).
 */
export function splitList(value: string): string[] {
  if (value.indexOf(',') < 0) return [trimWsp(value)];
  const out: string[] = [];
  let from = 0;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34) {
      const close = scanQuoted(value, i);
      if (close < 0) break; // unterminated: the rest is one element, which its parser rejects
      i = close - 1;
    } else if (c === 60) inAngle = true;
    else if (c === 62) inAngle = false;
    else if (c === 44 && !inAngle) {
      out.push(trimWsp(value, from, i));
      from = i + 1;
    }
  }
  out.push(trimWsp(value, from));
  return out;
}

/**
 * Parses `*( SEMI generic-param )` from s[i] to the end of s. Names are lowercased (they compare
 * case-insensitively); values are kept as written, quoted ones with their quotes. A valueless
 * parameter maps to null. The first occurrence of a repeated name wins.
 */
export function parseParams(s: string, i: number): Parsed<Map<string, string | null>> {
  const params = new Map<string, string | null>();
  const end = s.length;
  for (;;) {
    i = skipWsp(s, i, end);
    if (i >= end) return parsed(params);
    if (s.charCodeAt(i) !== 59) return malformed(`unexpected "${s.charAt(i)}" where ";" was expected`);
    i = skipWsp(s, i + 1, end);
    const nameEnd = scanClass(s, i, TOKEN, end);
    if (nameEnd === i) return malformed('empty parameter');
    const name = s.slice(i, nameEnd).toLowerCase();
    i = skipWsp(s, nameEnd, end);
    let value: string | null = null;
    if (s.charCodeAt(i) === 61) {
      i = skipWsp(s, i + 1, end);
      let valueEnd: number;
      if (s.charCodeAt(i) === 34) {
        valueEnd = scanQuoted(s, i, end);
        if (valueEnd < 0) return malformed(`unterminated quoted value of parameter ${name}`);
      } else {
        valueEnd = scanClass(s, i, PARAM_VALUE, end);
        if (valueEnd === i) return malformed(`parameter ${name} has "=" but no value`);
      }
      value = s.slice(i, valueEnd);
      i = valueEnd;
    }
    if (!params.has(name)) params.set(name, value);
  }
}

/** Formats parameters as `;name=value` pairs (values are written as stored). */
export function formatParams(params: ReadonlyMap<string, string | null>): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** Parses an unsigned decimal of 1 to maxDigits digits (leading zeros allowed) within [0, max]. */
export function parseDecimal(s: string, max: number): number | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    value = value * 10 + d;
    // Past max there is no way back down: stop before the number loses precision.
    if (value > max) return undefined;
  }
  return value;
}
