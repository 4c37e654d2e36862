/** CSV cells and rows (RFC 4180) that spreadsheets cannot run as formulas. Pure. */

/**
 * One CSV cell: quoted when it holds a comma, quote or line break; a text starting with = + - @
 * tab or CR gets a leading apostrophe so a spreadsheet shows it instead of evaluating it
 * (numbers are written as they are).
 * @example csvCell('=HYPERLINK("x")') // `"'=HYPERLINK(""x"")"`
 */
export function csvCell(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let s = value instanceof Date ? value.toISOString() : value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line with CRLF. */
export function csvRow(values: readonly (string | number | boolean | Date | null | undefined)[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}
