/**
 * Dunning notices for utilities: who gets a notice now, at which level, and why the others get
 * none. Pure: the time, the debtor's notice history and whether the number opted out come in.
 */
import { nextAllowedInstant, type SendWindow } from './send-window.js';
import { renderTemplate } from './template.js';

/** What a debt is for. */
export const UTILITY_TYPES = ['water', 'gas', 'power', 'property'] as const;
export type UtilityType = (typeof UTILITY_TYPES)[number];

/** Why a debtor gets no notice in a run. */
export const DUNNING_SKIP_REASONS = [
  'settled',
  'below_threshold',
  'invalid_number',
  'opted_out',
  'max_reached',
  'interval_not_elapsed',
  'not_priced',
] as const;
export type DunningSkipReason = (typeof DUNNING_SKIP_REASONS)[number];

/** A dunning plan's rules. */
export interface DunningRules {
  /** Debts below this (minor units, the plan's currency) get no notice. */
  thresholdMinor: number;
  /** One template per level: the n-th notice of a debt uses stages[n-1], the last one repeats. */
  stages: readonly string[];
  /** At most this many notices per debtor within any `periodDays` days. */
  maxPerPeriod: number;
  periodDays: number;
  /** At least this long between two notices to the same debtor. */
  minIntervalHours: number;
  /** Local hours (recipient's zone) notices may arrive in; null = any time. */
  window: SendWindow | null;
}

/** The debtor as the rules see it. */
export interface DunningDebtor {
  status: 'open' | 'paid';
  amountMinor: number;
  /** null when the imported number is not a valid phone number. */
  e164: string | null;
  /** When the current debt was opened (a re-opened debt starts again at level 1). */
  openedAt: number;
}

export type DunningDecision =
  | { kind: 'send'; level: number; template: string; sendAt: number }
  | { kind: 'skip'; reason: DunningSkipReason; retryAt?: number };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Decides one debtor's notice in a run at `now`. `noticeTimes` are the instants of the debtor's
 * earlier notices (when each was due to go out). The first failing check is the reason reported,
 * in this order: settled, below threshold, invalid number, opted out, max per period, interval.
 * `sendAt` is `now`, or the next opening of the window in the recipient's `zone`.
 */
export function decideNotice(input: {
  debtor: DunningDebtor;
  rules: DunningRules;
  noticeTimes: readonly number[];
  optedOut: boolean;
  zone: string;
  now: number;
}): DunningDecision {
  const { debtor, rules, noticeTimes, now } = input;
  if (debtor.status === 'paid' || debtor.amountMinor <= 0) return { kind: 'skip', reason: 'settled' };
  if (debtor.amountMinor < rules.thresholdMinor) return { kind: 'skip', reason: 'below_threshold' };
  if (debtor.e164 === null) return { kind: 'skip', reason: 'invalid_number' };
  if (input.optedOut) return { kind: 'skip', reason: 'opted_out' };
  const sendAt = nextAllowedInstant(now, rules.window, input.zone);
  const periodStart = sendAt - rules.periodDays * DAY;
  const inPeriod = noticeTimes.filter((t) => t > periodStart).sort((a, b) => a - b);
  if (inPeriod.length >= rules.maxPerPeriod) {
    // A place frees up when the oldest notice that still counts leaves the period.
    const oldest = inPeriod[inPeriod.length - rules.maxPerPeriod]!;
    return { kind: 'skip', reason: 'max_reached', retryAt: oldest + rules.periodDays * DAY };
  }
  const last = noticeTimes.length ? Math.max(...noticeTimes) : undefined;
  if (last !== undefined && sendAt - last < rules.minIntervalHours * HOUR) {
    return { kind: 'skip', reason: 'interval_not_elapsed', retryAt: last + rules.minIntervalHours * HOUR };
  }
  const level = noticeTimes.filter((t) => t >= debtor.openedAt).length + 1;
  const template = rules.stages[Math.min(level, rules.stages.length) - 1]!;
  return { kind: 'send', level, template, sendAt };
}

/** The decimal places of a currency's minor unit (EUR 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits!;
  } catch {
    return 2;
  }
}

/**
 * Minor units as the decimal a person reads ("1234" EUR → "12.34").
 * @example formatAmount(1234, 'EUR') // '12.34'
 */
export function formatAmount(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  return digits === 0 ? sign + abs : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** What a notice text may use: {{name}} {{reference}} {{amount}} {{currency}} {{dueDate}} {{utility}} {{daysOverdue}} {{level}}. */
export const NOTICE_VARIABLES = [
  'name',
  'reference',
  'amount',
  'currency',
  'dueDate',
  'utility',
  'daysOverdue',
  'level',
] as const;

/**
 * The notice text for a debtor at `level`. Variables not in NOTICE_VARIABLES are left to
 * fail in validation of the plan (see stageProblems).
 */
export function renderNotice(
  template: string,
  d: {
    name: string;
    reference: string;
    amountMinor: number;
    currency: string;
    dueDate: string;
    utility: string;
  },
  level: number,
  now: number,
): string {
  const due = Date.parse(`${d.dueDate}T00:00:00Z`);
  const daysOverdue = Number.isNaN(due) ? 0 : Math.max(0, Math.floor((now - due) / DAY));
  const r = renderTemplate(template, {
    name: d.name,
    reference: d.reference,
    amount: formatAmount(d.amountMinor, d.currency),
    currency: d.currency,
    dueDate: d.dueDate,
    utility: d.utility,
    daysOverdue: String(daysOverdue),
    level: String(level),
  });
  return r.ok ? r.text : template;
}

/** Placeholders of a stage template that a notice cannot fill (empty when all are known). */
export function unknownVariables(names: readonly string[]): string[] {
  return names.filter((n) => !(NOTICE_VARIABLES as readonly string[]).includes(n));
}
