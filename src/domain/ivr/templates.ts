/** `{{name}}` templates over a call's variables, and the rules for variable names. */

/** Variable names: a letter or `_`, then letters, digits, `_` or `.` (max 64). */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.]{0,63}$/;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** A template names a variable that the call does not have. */
export class MissingVariable extends Error {
  constructor(readonly variable: string) {
    super(`variable "${variable}" is not set`);
    this.name = 'MissingVariable';
  }
}

/** Problems with a template's syntax (unclosed braces, bad names); empty when fine. */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? '';
    if (!VARIABLE_NAME.test(name)) problems.push(`"{{${name}}}" is not a valid variable name`);
  }
  const rest = template.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push('unbalanced "{{" or "}}"');
  return problems;
}

/** The variable names a template refers to. */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/**
 * Fills `{{name}}` placeholders; `encode` transforms each value (e.g. encodeURIComponent for URLs).
 * Throws MissingVariable when a placeholder has no value, so the caller can take an error branch.
 * @example renderTemplate('acct {{id}}', { id: '42' }) // 'acct 42'
 */
export function renderTemplate(
  template: string,
  variables: Readonly<Record<string, string>>,
  encode: (value: string) => string = (v) => v,
): string {
  return template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (value === undefined) throw new MissingVariable(name);
    return encode(value);
  });
}
