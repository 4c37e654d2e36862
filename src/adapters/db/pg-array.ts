// Array parameters for multi-row statements: one parameter per column (`unnest($1::uuid[], …)`)
// instead of one per value, which is what binding and building a large statement cost most.

/** A PostgreSQL array literal of text, numbers or nulls (cast in the statement). */
export function pgArray(values: readonly (string | number | null)[]): string {
  // Built by concatenation, escaping only the strings that need it: the sending loop writes
  // several of these per batch (ids, keys, timestamps), and the per-item replace was ~5 % of its CPU.
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) out += ',';
    if (v === null) out += 'NULL';
    else if (typeof v === 'number') out += String(v);
    else out += `"${NEEDS_ESCAPE.test(v) ? v.replace(ESCAPED, '\\$&') : v}"`;
  }
  return out + '}';
}

const NEEDS_ESCAPE = /[\\"]/;
const ESCAPED = /[\\"]/g;

/** A timestamp as text for a `timestamptz[]` literal. */
export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
