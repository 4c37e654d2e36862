/**
 * The toll-fraud guard for transfers: a transfer target must be plain digits (optional leading '+')
 * and must match the dial plan's allow list. A caller who can type digits into a variable must
 * never reach premium-rate or international numbers the center did not allow.
 */

/** 2–20 digits with an optional leading '+'; no spaces, no '*' or '#', no letters. */
const DIALABLE = /^\+?\d{2,20}$/;

/** Whether `number` is something a trunk may dial at all (before the allow list). */
export function isDialable(number: string): boolean {
  return DIALABLE.test(number);
}

const PATTERN = /^\+?[0-9XZN]+\.?$/;

/** Problems with one allow-list pattern; empty when fine. */
export function dialPatternProblems(pattern: string): string[] {
  return PATTERN.test(pattern)
    ? []
    : ['a dial pattern is digits, X (0-9), Z (1-9), N (2-9), an optional leading "+" and trailing "."'];
}

function toRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) => {
      if (c === 'X') return '[0-9]';
      if (c === 'Z') return '[1-9]';
      if (c === 'N') return '[2-9]';
      if (c === '.') return '[0-9]+';
      if (c === '+') return '\\+';
      return c;
    })
    .join('');
  return new RegExp(`^${body}$`);
}

/**
 * A transfer guard from Asterisk-style dial patterns: X = 0-9, Z = 1-9, N = 2-9, a trailing "."
 * = one or more digits. Invalid patterns allow nothing.
 * @example dialPlanGuard(['+1800NXXXXXX', '+86.'])('+18005550100') // true
 */
export function dialPlanGuard(patterns: readonly string[]): (number: string) => boolean {
  const allowed = patterns.filter((p) => dialPatternProblems(p).length === 0).map(toRegExp);
  return (number) => isDialable(number) && allowed.some((re) => re.test(number));
}
