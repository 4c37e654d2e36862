/**
 * The keyword router for mobile-originated SMS: text in, intent out. Pure. Matching ignores case,
 * surrounding and repeated spaces and full-width forms (NFKC), so "  stop ", "ＳＴＯＰ" and "Stop"
 * are the same word; Chinese keywords work the same way.
 */

/** What an incoming text asks for. */
export type MoIntent =
  /** Opt out of all marketing (STOP, UNSUBSCRIBE, 退订 …). */
  | { kind: 'opt_out'; keyword: string }
  /** Take back an opt-out (START, UNSTOP, 订阅 without a topic …). */
  | { kind: 'opt_in'; keyword: string }
  /** Subscribe to a topic, by "SUB <topic>" or the topic's own keyword alone. */
  | { kind: 'subscribe'; topic: string }
  /** "UNSUB <topic>" / "STOP <topic>" / "退订 <topic>". */
  | { kind: 'unsubscribe'; topic: string }
  /** A technician's answer to a work order: "OK 4711", "DONE 4711 replaced the fuse". */
  | { kind: 'work_order'; action: 'acknowledge' | 'done'; reference: number; note: string | null }
  /** Anything else: a conversation with an agent. */
  | { kind: 'conversation' };

/** Words that opt a number out of marketing; the carrier conventions in English and Chinese. */
export const OPT_OUT_WORDS: readonly string[] = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  '退订',
  'TD',
  '取消',
];
/** Words that take an opt-out back. */
export const OPT_IN_WORDS: readonly string[] = ['START', 'UNSTOP', '恢复'];
const SUBSCRIBE_WORDS = ['SUB', 'SUBSCRIBE', 'JOIN', '订阅'];
const UNSUBSCRIBE_WORDS = ['UNSUB', 'LEAVE', 'STOP', 'UNSUBSCRIBE', '退订', '取消订阅', 'TD'];
const ACK_WORDS = ['OK', 'ACK', 'ACCEPT', '收到', '确认'];
const DONE_WORDS = ['DONE', 'FIXED', 'CLOSE', '完成'];

/** Words that are commands on their own and so cannot be a topic's keyword. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  ...OPT_OUT_WORDS,
  ...OPT_IN_WORDS,
  ...SUBSCRIBE_WORDS,
  ...UNSUBSCRIBE_WORDS,
  ...ACK_WORDS,
  ...DONE_WORDS,
]);

/** Uppercase, NFKC-folded, trimmed, single-spaced: the form keywords are compared in. */
export function normaliseKeyword(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/gu, ' ').toUpperCase();
}

/** A word of Han script glued to what follows ("退订天气") splits after the keyword. */
function splitFirst(text: string, words: readonly string[]): { word: string; rest: string } | undefined {
  for (const w of [...words].sort((a, b) => b.length - a.length)) {
    if (text === w) return { word: w, rest: '' };
    if (text.startsWith(`${w} `)) return { word: w, rest: text.slice(w.length + 1).trim() };
    // Chinese is written without spaces between words.
    if (/^\p{Script=Han}/u.test(w) && text.startsWith(w))
      return { word: w, rest: text.slice(w.length).trim() };
  }
  return undefined;
}

/**
 * Routes one text. `topicKeywords` are the configured topics' keywords (any case); a text equal to
 * one of them subscribes to it. Work-order references are whole numbers of 1 to 9 digits.
 * @example routeKeyword(' stop ', []) // { kind: 'opt_out', keyword: 'STOP' }
 * @example routeKeyword('DONE 4711 fuse replaced', []) // { kind: 'work_order', action: 'done', reference: 4711, note: 'fuse replaced' }
 */
export function routeKeyword(text: string, topicKeywords: readonly string[]): MoIntent {
  const t = normaliseKeyword(text);
  if (t === '') return { kind: 'conversation' };
  const topics = new Set(topicKeywords.map(normaliseKeyword));
  if (OPT_OUT_WORDS.includes(t)) return { kind: 'opt_out', keyword: t };
  if (OPT_IN_WORDS.includes(t)) return { kind: 'opt_in', keyword: t };
  if (topics.has(t)) return { kind: 'subscribe', topic: t };
  const unsub = splitFirst(t, UNSUBSCRIBE_WORDS);
  if (unsub && unsub.rest && !unsub.rest.includes(' ')) return { kind: 'unsubscribe', topic: unsub.rest };
  const sub = splitFirst(t, SUBSCRIBE_WORDS);
  if (sub && sub.rest && !sub.rest.includes(' ')) return { kind: 'subscribe', topic: sub.rest };
  for (const [words, action] of [
    [ACK_WORDS, 'acknowledge'],
    [DONE_WORDS, 'done'],
  ] as const) {
    const hit = splitFirst(t, words);
    const m = hit && /^#?(\d{1,9})(?:\s+(.*))?$/su.exec(hit.rest);
    if (m) {
      // The note keeps the sender's own case and spelling: only the keyword was folded.
      const note = m[2] ? noteOf(text) : null;
      return { kind: 'work_order', action, reference: Number(m[1]), note };
    }
  }
  return { kind: 'conversation' };
}

/** The words after the reference, in the sender's own case (only the keyword was folded). */
function noteOf(original: string): string | null {
  const folded = original.normalize('NFKC').trim().replace(/\s+/gu, ' ');
  return /^\D*?#?\d{1,9}\s+(.+)$/su.exec(folded)?.[1] ?? null;
}
