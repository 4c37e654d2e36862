/**
 * Reading arrears for dunning, row by row: a bad row is reported with its line and reason and
 * the good rows go on. Pure.
 */
import { tryE164 } from '../customers/phone.js';
import { parseCsvLines } from './csv.js';
import { currencyDigits, UTILITY_TYPES, type UtilityType } from './dunning.js';

/** One arrears row as given (CSV cells or JSON fields). */
export interface RawArrears {
  reference?: unknown;
  phone?: unknown;
  name?: unknown;
  amount?: unknown;
  currency?: unknown;
  dueDate?: unknown;
  utility?: unknown;
}

/** A valid arrears row. */
export interface ArrearsRow {
  /** CSV: the line in the file (header = 1); JSON: the 1-based position in `rows`. */
  line: number;
  reference: string;
  /** As written. */
  phone: string;
  /** null when the number is not valid: stored (the debt is real) but never sent to. */
  e164: string | null;
  name: string;
  amountMinor: number;
  currency: string;
  dueDate: string;
  utility: UtilityType;
}

/** Why a row was not taken. */
export interface ArrearsProblem {
  line: number;
  reference: string | null;
  field: string;
  reason: string;
}

export interface ArrearsImport {
  rows: ArrearsRow[];
  rejected: ArrearsProblem[];
  /** Taken, but flagged: an invalid phone number (skipped as invalid_number in runs). */
  warnings: ArrearsProblem[];
}

/** CSV column names (lower case, spaces/dashes as _) → field. */
const COLUMNS: Record<string, keyof RawArrears> = {
  reference: 'reference',
  account: 'reference',
  account_reference: 'reference',
  customer_reference: 'reference',
  customer: 'reference',
  ref: 'reference',
  phone: 'phone',
  mobile: 'phone',
  msisdn: 'phone',
  number: 'phone',
  to: 'phone',
  name: 'name',
  amount: 'amount',
  currency: 'currency',
  due_date: 'dueDate',
  duedate: 'dueDate',
  due: 'dueDate',
  utility: 'utility',
  utility_type: 'utility',
  type: 'utility',
};

/**
 * Reads the CSV into raw rows with their line numbers.
 * @throws Error when there is no header or a required column is missing (the message says which).
 */
export function arrearsFromCsv(text: string): { line: number; raw: RawArrears }[] {
  const [header, ...rows] = parseCsvLines(text);
  if (!header) throw new Error('the CSV is empty');
  const fields = header.fields.map(
    (h) =>
      COLUMNS[
        h
          .trim()
          .toLowerCase()
          .replace(/[\s-]+/g, '_')
      ],
  );
  const missing = (['reference', 'phone', 'amount', 'dueDate'] as const).filter((f) => !fields.includes(f));
  if (missing.length) throw new Error(`the CSV lacks the column(s) ${missing.join(', ')}`);
  return rows.map((r) => {
    const raw: RawArrears = {};
    fields.forEach((f, i) => {
      if (f && raw[f] === undefined) raw[f] = r.fields[i] ?? '';
    });
    return { line: r.line, raw };
  });
}

/**
 * Parses a decimal amount into minor units of `currency` ("12.5" EUR → 1250); undefined when it
 * is not a non-negative number with at most the currency's decimals.
 */
export function parseAmount(value: unknown, currency: string): number | undefined {
  const digits = currencyDigits(currency);
  const s = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const m = /^(\d{1,13})(?:\.(\d+))?$/.exec(s);
  if (!m) return undefined;
  const fraction = m[2] ?? '';
  if (fraction.length > digits) return undefined;
  return Number(m[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const text = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';

/**
 * Validates rows for a plan whose currency is `currency` (a row may omit it). A reference listed
 * twice keeps its first row; the repeat is rejected.
 */
export function validateArrears(
  input: readonly { line: number; raw: RawArrears }[],
  o: { currency: string; defaultCountry: string; defaultUtility?: UtilityType },
): ArrearsImport {
  const out: ArrearsImport = { rows: [], rejected: [], warnings: [] };
  const seen = new Set<string>();
  for (const { line, raw } of input) {
    const reference = text(raw.reference);
    const bad = (field: string, reason: string) =>
      out.rejected.push({ line, reference: reference || null, field, reason });
    if (!reference) {
      bad('reference', 'the account or customer reference is missing');
      continue;
    }
    if (reference.length > 100) {
      bad('reference', 'the reference is longer than 100 characters');
      continue;
    }
    if (seen.has(reference)) {
      bad('reference', 'this reference is listed more than once');
      continue;
    }
    const currency = (text(raw.currency) || o.currency).toUpperCase();
    if (currency !== o.currency) {
      bad('currency', `the currency ${currency} is not the plan's ${o.currency}`);
      continue;
    }
    const amountMinor = parseAmount(raw.amount, currency);
    if (amountMinor === undefined) {
      bad(
        'amount',
        `"${text(raw.amount)}" is not an amount (digits, "." and at most ${currencyDigits(currency)} decimals)`,
      );
      continue;
    }
    const dueDate = text(raw.dueDate);
    if (!isDate(dueDate)) {
      bad('dueDate', `"${dueDate}" is not a date YYYY-MM-DD`);
      continue;
    }
    const utilityText = text(raw.utility).toLowerCase() || o.defaultUtility || '';
    if (!(UTILITY_TYPES as readonly string[]).includes(utilityText)) {
      bad('utility', `the utility type must be one of ${UTILITY_TYPES.join(', ')}`);
      continue;
    }
    const phone = text(raw.phone);
    if (!phone) {
      bad('phone', 'the phone number is missing');
      continue;
    }
    const e164 = tryE164(phone, o.defaultCountry) ?? null;
    if (e164 === null) {
      out.warnings.push({
        line,
        reference,
        field: 'phone',
        reason: `"${phone}" is not a valid phone number`,
      });
    }
    seen.add(reference);
    out.rows.push({
      line,
      reference,
      phone,
      e164,
      name: text(raw.name).slice(0, 200),
      amountMinor,
      currency,
      dueDate,
      utility: utilityText as UtilityType,
    });
  }
  return out;
}
