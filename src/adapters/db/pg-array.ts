// Array parameters for multi-row statements: one parameter per column (`unnest($1::uuid[], …)`)
// instead of one per value, which is what binding and building a large statement cost most.

/** A PostgreSQL array literal of text, numbers or nulls (cast in the statement). */
export function pgArray(values: readonly (string | number | null)[]): string {
  const items = values.map((v) =>
    v === null ? 'NULL' : typeof v === 'number' ? String(v) : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`,
  );
  return `{${items.join(',')}}`;
}

/** A timestamp as text for a `timestamptz[]` literal. */
export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
