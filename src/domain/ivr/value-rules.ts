/**
 * Validation of the values nodes share: node references, prompts, templates, `say` specs and
 * condition predicates. Each check records problems at exact paths on a FieldReader.
 */
import { businessHoursProblems, type BusinessHours } from '../calendar/business-hours.js';
import { FieldReader, describe, isRecord, pointer } from './field-reader.js';
import { COMPARISONS, CURRENCIES, SAY_AS, type Currency, type SayAs } from './flow.js';
import { sayFragments } from './say.js';
import { VARIABLE_NAME, templateProblems } from './templates.js';

/** A reference to a node, resolved once every node is known. */
export interface NodeRef {
  path: string;
  target: string;
}

/** Node ids: 1–64 letters, digits, `_` or `-`. */
export const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PROMPT_ID = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/;
const CALLER_PREFIX = /^\+?\d{1,15}$/;

/** A node reference field; recorded in `refs` for the existence check. */
export function nodeRef(r: FieldReader, key: string, refs: NodeRef[], required = true): void {
  const target = r.string(key, { required, max: 64, pattern: NODE_ID, patternMessage: 'must be a node id' });
  if (target !== undefined) refs.push({ path: r.at(key), target });
}

/** A variable name field; `writable` names may not use the interpreter's `call.` prefix. */
export function variableName(r: FieldReader, key: string, writable = false): string | undefined {
  const name = r.string(key, {
    required: true,
    pattern: VARIABLE_NAME,
    patternMessage: 'must be a variable name (letter or _, then letters, digits, _ or .; at most 64)',
  });
  if (writable && name?.startsWith('call.'))
    return void r.problem(key, '"call." variables are set by the interpreter');
  return name;
}

/** A template field: text with well-formed `{{name}}` placeholders. */
export function template(r: FieldReader, key: string, required = true, max = 500): string | undefined {
  const v = r.string(key, { required, max });
  if (v !== undefined) for (const message of templateProblems(v)) r.problem(key, message);
  return v;
}

function promptId(id: string, path: string, r: FieldReader): void {
  if (id.length > 100 || !PROMPT_ID.test(id)) {
    r.problems.push({
      path,
      message: 'must be a prompt id: lower-case letters, digits, _ and -, in /-separated parts',
    });
  } else if (id.startsWith('say/')) {
    r.problems.push({ path, message: '"say/" is reserved for say fragments; use a { "say": … } item' });
  }
}

/** A regular expression field (a full-match pattern); it must compile. */
export function regexField(r: FieldReader, key: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    return r.problem(key, 'must be a regular expression of 1 to 200 characters');
  }
  try {
    new RegExp(value);
  } catch {
    r.problem(key, 'is not a valid regular expression');
  }
}

/** What to say: `as`, `value` (a template or number) and `currency` for amounts. */
export function saySpec(r: FieldReader): void {
  const as = r.oneOf('as', SAY_AS, true);
  const currency = r.oneOf('currency', CURRENCIES);
  if (as === 'currency' && !r.has('currency')) r.problem('currency', 'required when "as" is "currency"');
  if (as !== undefined && as !== 'currency' && r.has('currency'))
    r.problem('currency', 'only for "as": "currency"');
  if (!r.has('value')) return r.problem('value', 'required');
  const value = r.obj.value;
  if (typeof value === 'number' && !Number.isFinite(value))
    return r.problem('value', 'must be a finite number');
  if (typeof value !== 'number' && typeof value !== 'string') {
    return r.problem('value', `must be a template string or a number, not ${describe(value)}`);
  }
  if (typeof value === 'string' && (template(r, 'value') === undefined || value.includes('{{'))) return;
  if (as !== undefined) literalSayable(r, as, value, currency);
}

/** A literal value is checked now rather than failing on a live call. */
function literalSayable(
  r: FieldReader,
  as: SayAs,
  value: string | number,
  currency: Currency | undefined,
): void {
  try {
    sayFragments(as, value, 'en', currency ?? 'USD');
  } catch {
    r.problem('value', `cannot be said as ${as}`);
  }
}

/** A prompt field: one prompt id, or 1–20 items (prompt ids or `{ "say": … }`). */
export function prompt(r: FieldReader, key: string, required = false): void {
  if (!r.has(key)) {
    if (required) r.problem(key, 'required');
    return;
  }
  const v = r.obj[key];
  if (typeof v === 'string') return promptId(v, r.at(key), r);
  const items = r.array(key, 1, 20);
  items?.forEach((item, i) => {
    const path = pointer(r.at(key), i);
    if (typeof item === 'string') return promptId(item, path, r);
    if (!isRecord(item)) {
      return r.problems.push({ path, message: `must be a prompt id or { "say": … }, not ${describe(item)}` });
    }
    const itemReader = new FieldReader(item, path, r.problems);
    itemReader.only(['say']);
    const say = itemReader.object('say', true);
    if (say) {
      say.only(['as', 'value', 'currency']);
      saySpec(say);
    }
  });
}

/** Inline business hours or a calendar name (exactly one of them). */
function calendarRef(r: FieldReader): void {
  if (r.has('hours') === r.has('calendar'))
    return r.problem(null, 'needs exactly one of "hours" or "calendar"');
  if (r.has('calendar')) {
    r.string('calendar', { max: 64 });
    return;
  }
  const hours = r.object('hours');
  if (!hours) return;
  hours.only(['timeZone', 'weekly', 'holidays']);
  hours.string('timeZone', { required: true, max: 64 });
  const weekly = hours.object('weekly', true);
  const holidays = hours.array('holidays', 0, 1000, true);
  if (!weekly || !holidays || typeof hours.obj.timeZone !== 'string') return;
  for (const [day, ranges] of Object.entries(weekly.obj)) {
    const ok =
      Array.isArray(ranges) &&
      ranges.every((x) => isRecord(x) && typeof x.from === 'string' && typeof x.to === 'string');
    if (!ok) weekly.problem(day, 'must be a list of { "from": "HH:MM", "to": "HH:MM" }');
  }
  if (!holidays.every((h) => typeof h === 'string'))
    return hours.problem('holidays', 'must be a list of dates');
  if (r.problems.some((p) => p.path.startsWith(hours.path))) return;
  // businessHoursProblems speaks "weekly.mon[0]"; keep its words under the hours path.
  for (const message of businessHoursProblems(hours.obj as unknown as BusinessHours))
    hours.problem(null, message);
}

const PREDICATE_FIELDS: Record<string, string[]> = {
  open: ['type', 'hours', 'calendar'],
  closed: ['type', 'hours', 'calendar'],
  holiday: ['type', 'hours', 'calendar'],
  vip: ['type'],
  blacklisted: ['type'],
  variable: ['type', 'name', 'op', 'value'],
  caller_prefix: ['type', 'prefixes'],
};

/** A condition predicate (`when` of a branch). */
export function predicate(r: FieldReader): void {
  const type = r.oneOf('type', Object.keys(PREDICATE_FIELDS), true);
  if (type === undefined) return;
  r.only(PREDICATE_FIELDS[type] ?? []);
  if (type === 'open' || type === 'closed' || type === 'holiday') return calendarRef(r);
  if (type === 'caller_prefix') {
    const prefixes = r.array('prefixes', 1, 100, true);
    prefixes?.forEach((p, i) => {
      if (typeof p !== 'string' || !CALLER_PREFIX.test(p)) {
        r.problems.push({
          path: pointer(r.at('prefixes'), i),
          message: 'must be digits with an optional leading +',
        });
      }
    });
    return;
  }
  if (type !== 'variable') return;
  variableName(r, 'name');
  const op = r.oneOf('op', COMPARISONS, true);
  const value = r.obj.value;
  if (op === undefined) return;
  if (op === 'exists') {
    if (r.has('value')) r.problem('value', 'not used with "exists"');
  } else if (!r.has('value')) {
    r.problem('value', 'required');
  } else if (op === 'in') {
    const list = r.array('value', 1, 100);
    if (list && !list.every((x) => typeof x === 'string')) r.problem('value', 'must be a list of strings');
  } else if (op === 'matches') {
    regexField(r, 'value', value);
  } else if (op === 'lt' || op === 'gt') {
    if (typeof value !== 'number' || !Number.isFinite(value)) r.problem('value', 'must be a number');
  } else if (typeof value !== 'string' && (typeof value !== 'number' || !Number.isFinite(value))) {
    r.problem('value', 'must be a string or a number');
  }
}
