/**
 * CSV (RFC 4180), both ways. Writing: cells and rows that spreadsheets cannot run as formulas.
 * Reading: a small reader for audience uploads — comma separated, double-quoted fields with "" for a
 * quote, CRLF or LF line ends, first row = column names. Pure.
 */

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

/** Rows as arrays of fields; a blank line is skipped. */
export function parseCsv(text: string): string[][] {
  return parseCsvLines(text).map((r) => r.fields);
}

/**
 * Rows with the line (1-based) each starts on, so an import can say which line was wrong; a
 * quoted field may span lines, and a blank line is skipped (but counted).
 */
export function parseCsvLines(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark from spreadsheet exports
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push({ line: rowLine, fields: row });
    row = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      endRow();
      rowLine = line;
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) endRow();
  return rows;
}

/** Column names that hold the phone number, in order of preference. */
const PHONE_COLUMNS = ['phone', 'to', 'number', 'msisdn', 'mobile'];

/** One recipient read from a CSV row: the number as written and the other columns as variables. */
export interface CsvRecipient {
  to: string;
  variables: Record<string, string>;
}

/**
 * Reads recipients from a CSV with a header row; the phone column is named phone, to, number,
 * msisdn or mobile (any case); every other column becomes a template variable.
 * @throws Error when there is no header or no phone column (the message says which).
 */
export function recipientsFromCsv(text: string): CsvRecipient[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('the CSV is empty');
  const names = header.map((h) => h.trim());
  const lower = names.map((h) => h.toLowerCase());
  const phoneAt = PHONE_COLUMNS.map((p) => lower.indexOf(p)).find((i) => i >= 0);
  if (phoneAt === undefined) {
    throw new Error(`the CSV has no phone column (one of ${PHONE_COLUMNS.join(', ')})`);
  }
  return rows.map((r) => {
    const variables: Record<string, string> = {};
    names.forEach((name, i) => {
      if (i !== phoneAt && name) variables[name] = (r[i] ?? '').trim();
    });
    return { to: (r[phoneAt] ?? '').trim(), variables };
  });
}
