/**
 * Message templates with `{{name}}` placeholders, filled per recipient. Pure.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The variable names a template uses, in order of first use. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) names.add(m[1]!);
  return [...names];
}

/** A filled text, or the variables the recipient lacks. */
export type Rendered = { ok: true; text: string } | { ok: false; missing: string[] };

/**
 * Fills every placeholder from `variables`; an empty string counts as given.
 * @example renderTemplate('Hi {{name}}', { name: 'Ann' }) // { ok: true, text: 'Hi Ann' }
 */
export function renderTemplate(template: string, variables: Readonly<Record<string, string>>): Rendered {
  const missing: string[] = [];
  const text = template.replace(PLACEHOLDER, (_all, name: string) => {
    const v = variables[name];
    if (v === undefined) {
      if (!missing.includes(name)) missing.push(name);
      return '';
    }
    return v;
  });
  return missing.length ? { ok: false, missing } : { ok: true, text };
}
