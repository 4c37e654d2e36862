/**
 * Mandarin wording for `say`, as pinyin fragment names (docs/ivr.md lists them): 1234 → 1 qian 2
 * bai 3 shi 4 (一千二百三十四). Digits 0–9 are one recording each ("0" is 零, "2" is 二); the
 * rules for 零, 十 at the head, and 两 before 千/万/亿 and measure words live here.
 */
import type { Currency } from './flow.js';
import type { SpokenAmount, SpokenDate, SpokenNumber, SpokenTime } from './spoken-values.js';

const UNITS = ['qian', 'bai', 'shi', ''];

/** In digit strings 1 is read 幺 (yao) so it cannot be mistaken for 7 (qi). */
const DIGIT_WORDS: Record<string, string> = { '1': 'yao', '*': 'xing', '#': 'jing', '+': 'jia' };

/** Major and minor unit words: 元/角/分 for CNY, 美元/美分, 欧元/欧分. */
const CURRENCY_WORDS: Record<Exclude<Currency, 'CNY'>, [string, string]> = {
  USD: ['meiyuan', 'meifen'],
  EUR: ['ouyuan', 'oufen'],
};

/** One group of four digits (1..9999); `head` when nothing was said before it. */
function group(g: number, out: string[], head: boolean): void {
  const digits = [Math.floor(g / 1000), Math.floor(g / 100) % 10, Math.floor(g / 10) % 10, g % 10];
  let started = false;
  let zero = false;
  digits.forEach((d, i) => {
    if (d === 0) {
      // Zeros inside a group are said once (一百零五); trailing zeros are not said.
      if (started) zero = true;
      return;
    }
    if (zero) out.push('0');
    zero = false;
    if (i === 2 && d === 1 && head && !started)
      out.push('shi'); // 十五, not 一十五, at the head
    else out.push(i === 0 && d === 2 ? 'liang' : String(d), ...(UNITS[i] ? [UNITS[i]] : []));
    started = true;
  });
}

/**
 * A whole number 0 ≤ n < 10^12 in groups of 万 and 亿. `measure` reads a lone 2 as 两 (两元, 两点).
 */
export function zhInteger(n: number, measure = false): string[] {
  if (n === 0) return ['0'];
  if (n === 2 && measure) return ['liang'];
  const out: string[] = [];
  let gap = false;
  const groups: [number, string][] = [
    [Math.floor(n / 1e8), 'yi'],
    [Math.floor(n / 1e4) % 1e4, 'wan'],
    [n % 1e4, ''],
  ];
  for (const [g, unit] of groups) {
    if (g === 0) {
      if (out.length > 0) gap = true;
      continue;
    }
    // 一万零五百, 一亿零五: a zero marks a missing group or a group under a thousand.
    if (out.length > 0 && (gap || g < 1000)) out.push('0');
    gap = false;
    const at = out.length;
    group(g, out, at === 0);
    if (unit) {
      if (g === 2) out[at] = 'liang'; // 两万, 两亿
      out.push(unit);
    }
  }
  return out;
}

/** Each character on its own, 1 as yao: "110" → yao yao 0. */
export function zhDigits(digits: string): string[] {
  return [...digits].map((d) => DIGIT_WORDS[d] ?? d);
}

/** "fu" (负), the integer, then "dian" (点) and each decimal digit. */
export function zhNumber(n: SpokenNumber): string[] {
  const out = n.negative ? ['fu'] : [];
  out.push(...zhInteger(n.integer));
  if (n.fraction) out.push('dian', ...n.fraction);
  return out;
}

/** 2026-11-23 → 2 0 2 6 nian shi 1 yue 2 shi 3 ri (二〇二六年十一月二十三日). */
export function zhDate(d: SpokenDate): string[] {
  return [...String(d.year), 'nian', ...zhInteger(d.month), 'yue', ...zhInteger(d.day), 'ri'];
}

/** 24-hour clock: 14:05 → shi 4 dian 0 5 fen; 14:00 → shi 4 dian zheng; 02:30 → liang dian 3 shi fen. */
export function zhTime(t: SpokenTime): string[] {
  const out = [...zhInteger(t.hour, true), 'dian'];
  if (t.minute === 0) out.push('zheng');
  else out.push(...(t.minute < 10 ? ['0', String(t.minute)] : zhInteger(t.minute)), 'fen');
  return out;
}

/** 12.50 CNY → shi 2 yuan 5 jiao; 12.05 → shi 2 yuan 0 5 fen; 12.50 USD → shi 2 meiyuan 5 shi meifen. */
export function zhAmount(a: SpokenAmount, currency: Currency): string[] {
  const out = a.negative ? ['fu'] : [];
  if (currency !== 'CNY') {
    const [major, minor] = CURRENCY_WORDS[currency];
    if (a.major > 0 || a.minor === 0) out.push(...zhInteger(a.major, true), major);
    if (a.minor > 0) out.push(...zhInteger(a.minor, true), minor);
    return out;
  }
  const jiao = Math.floor(a.minor / 10);
  const fen = a.minor % 10;
  if (a.major > 0 || a.minor === 0) out.push(...zhInteger(a.major, true), 'yuan');
  if (jiao > 0) out.push(...zhInteger(jiao, true), 'jiao');
  if (fen > 0) {
    if (jiao === 0 && a.major > 0) out.push('0');
    out.push(...zhInteger(fen, true), 'fen');
  }
  return out;
}
