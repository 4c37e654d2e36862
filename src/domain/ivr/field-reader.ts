/**
 * Reading a JSON document field by field while recording every mistake with its exact path
 * (JSON-pointer style: `/nodes/main_menu/options/1/next`). The flow validator is built on it.
 */

/** One mistake in a document, at a JSON-pointer path. */
export interface Problem {
  path: string;
  message: string;
}

/** `base` + one more step; `~` and `/` in keys are escaped as in RFC 6901. */
export function pointer(base: string, key: string | number): string {
  return `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** A JSON object (not null, not an array). */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** "a string", "an array", "null", … for messages. */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  return typeof x === 'number' || typeof x === 'boolean' || typeof x === 'string'
    ? `a ${typeof x}`
    : typeof x;
}

interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** Said when the pattern does not match. */
  patternMessage?: string;
}

/** The fields of one JSON object; each reader method records a problem and answers undefined on a mistake. */
export class FieldReader {
  constructor(
    readonly obj: Record<string, unknown>,
    readonly path: string,
    readonly problems: Problem[],
  ) {}

  /** The path of a field. */
  at(key: string | number): string {
    return pointer(this.path, key);
  }

  /** Records a problem at a field (or at the object itself when `key` is null). */
  problem(key: string | number | null, message: string): void {
    this.problems.push({ path: key === null ? this.path : this.at(key), message });
  }

  has(key: string): boolean {
    return Object.hasOwn(this.obj, key) && this.obj[key] !== undefined;
  }

  /** Reports every field that is not in `allowed` (typos like `timeout` for `timeoutSec`). */
  only(allowed: readonly string[]): void {
    for (const key of Object.keys(this.obj)) {
      if (!allowed.includes(key)) this.problem(key, `unknown field (allowed: ${allowed.join(', ')})`);
    }
  }

  private present(key: string, required: boolean | undefined): boolean {
    if (this.has(key)) return true;
    if (required) this.problem(key, 'required');
    return false;
  }

  string(key: string, rule: StringRule = {}): string | undefined {
    if (!this.present(key, rule.required)) return undefined;
    const v = this.obj[key];
    if (typeof v !== 'string') return void this.problem(key, `must be a string, not ${describe(v)}`);
    const min = rule.min ?? 1;
    if (v.length < min || (rule.max !== undefined && v.length > rule.max)) {
      return void this.problem(key, `must be ${min} to ${rule.max ?? 'any number of'} characters long`);
    }
    if (rule.pattern && !rule.pattern.test(v)) {
      return void this.problem(key, rule.patternMessage ?? `must match ${String(rule.pattern)}`);
    }
    return v;
  }

  integer(key: string, min: number, max: number, required = false): number | undefined {
    if (!this.present(key, required)) return undefined;
    const v = this.obj[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      return void this.problem(key, `must be an integer from ${min} to ${max}`);
    }
    return v;
  }

  boolean(key: string): boolean | undefined {
    if (!this.present(key, false)) return undefined;
    const v = this.obj[key];
    if (typeof v !== 'boolean') return void this.problem(key, `must be true or false, not ${describe(v)}`);
    return v;
  }

  oneOf<T extends string>(key: string, values: readonly T[], required = false): T | undefined {
    if (!this.present(key, required)) return undefined;
    const v = this.obj[key];
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      return void this.problem(key, `must be one of ${values.join(', ')}`);
    }
    return v as T;
  }

  /** A nested object, as its own reader. */
  object(key: string, required = false): FieldReader | undefined {
    if (!this.present(key, required)) return undefined;
    const v = this.obj[key];
    if (!isRecord(v)) return void this.problem(key, `must be an object, not ${describe(v)}`);
    return new FieldReader(v, this.at(key), this.problems);
  }

  /** A nested array of `min`..`max` items. */
  array(key: string, min: number, max: number, required = false): unknown[] | undefined {
    if (!this.present(key, required)) return undefined;
    const v = this.obj[key];
    if (!Array.isArray(v)) return void this.problem(key, `must be an array, not ${describe(v)}`);
    if (v.length < min || v.length > max) return void this.problem(key, `must have ${min} to ${max} items`);
    return v as unknown[];
  }
}
