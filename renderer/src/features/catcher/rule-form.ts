import { catcherRuleSchema, type CatcherRule } from '@shared/model';

/**
 * One catcher rule as the edit form holds it: every field as typed (numbers as text, blank for unset),
 * so a half-typed value stays on screen and the schema says what is wrong with it.
 */
export interface RuleForm {
  /** Stable across reorders, so a row keeps its focus when it moves. */
  id: number;
  method: string;
  path: string;
  status: string;
  reason: string;
  headers: Array<{ name: string; value: string }>;
  body: string;
  delayMs: string;
  rateRequests: string;
  rateWindowMs: string;
}

/** The form's fields that can hold a problem; `headers.N.name` for a header row. */
export type RuleField = keyof Omit<RuleForm, 'id' | 'headers'> | `headers.${number}.${'name' | 'value'}`;

let nextId = 1;

export function formOf(rule: CatcherRule): RuleForm {
  const text = (n: number | undefined): string => (n === undefined ? '' : String(n));
  return {
    id: nextId++,
    method: rule.method ?? '',
    path: rule.path ?? '',
    status: text(rule.status),
    reason: rule.reason ?? '',
    headers: (rule.headers ?? []).map((h) => ({ ...h })),
    body: rule.body ?? '',
    delayMs: text(rule.delayMs),
    rateRequests: text(rule.rateLimit?.requests),
    rateWindowMs: text(rule.rateLimit?.windowMs),
  };
}

/** A typed number: blank is unset, digits are the number, anything else is kept for the schema to refuse. */
function numberOf(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

/** The rule a form stands for, before the schema checks it (blank fields left out). */
function candidateOf(form: RuleForm): Record<string, unknown> {
  const blank = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());
  const rateGiven = form.rateRequests.trim() !== '' || form.rateWindowMs.trim() !== '';
  const candidate: Record<string, unknown> = {
    method: blank(form.method)?.toUpperCase(),
    path: blank(form.path),
    status: numberOf(form.status),
    reason: form.reason === '' ? undefined : form.reason,
    headers: form.headers.length ? form.headers.map((h) => ({ name: h.name.trim(), value: h.value })) : undefined,
    body: form.body === '' ? undefined : form.body,
    delayMs: numberOf(form.delayMs),
    rateLimit: rateGiven
      ? { requests: numberOf(form.rateRequests) ?? '', windowMs: numberOf(form.rateWindowMs) ?? '' }
      : undefined,
  };
  return Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined));
}

/** The form fields named as the schema names them. */
const sameName: ReadonlySet<string> = new Set(['method', 'path', 'status', 'reason', 'body', 'delayMs']);

/** Where a schema issue shows in the form. */
function fieldOf(path: readonly PropertyKey[]): RuleField {
  const [key, index, sub] = path;
  if (key === 'rateLimit') return index === 'windowMs' ? 'rateWindowMs' : 'rateRequests';
  if (key === 'headers' && typeof index === 'number') return `headers.${index}.${sub === 'value' ? 'value' : 'name'}`;
  return typeof key === 'string' && sameName.has(key) ? (key as RuleField) : 'method';
}

/** A message in the user's words for a number field that holds something else. */
function wordsFor(field: RuleField, message: string): string {
  if (!message.startsWith('Invalid input: expected number')) return message;
  if (field === 'status') return 'a status is a number from 100 to 599';
  if (field === 'delayMs') return 'a delay is a whole number of milliseconds';
  if (field === 'rateRequests') return 'a rate limit needs a number of requests (1 or more)';
  return 'a rate limit needs a window, a whole number of milliseconds';
}

export type Checked = { ok: true; rule: CatcherRule } | { ok: false; problems: Partial<Record<RuleField, string>> };

/** The form as a rule, or the schema's message for each field that is wrong (the first per field). */
export function checkForm(form: RuleForm): Checked {
  const parsed = catcherRuleSchema.safeParse(candidateOf(form));
  if (parsed.success) return { ok: true, rule: parsed.data };
  const problems: Partial<Record<RuleField, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = fieldOf(issue.path);
    problems[field] ??= wordsFor(field, issue.message);
  }
  return { ok: false, problems };
}

/** One line about what a rule answers: its reason, a delay or rate limit, the start of its body. */
export function ruleSummary(form: RuleForm): string {
  const parts: string[] = [];
  if (form.reason) parts.push(form.reason);
  if (form.rateRequests) parts.push(`429 after ${form.rateRequests} per ${form.rateWindowMs || '?'} ms`);
  if (form.headers.length) parts.push(`${String(form.headers.length)} header(s)`);
  if (form.body) parts.push(form.body.length > 40 ? `${form.body.slice(0, 40)}…` : form.body);
  return parts.join(' · ') || 'empty body';
}
