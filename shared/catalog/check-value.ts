import type { FieldType, LeadField, Scalar } from '../model';

/**
 * Whether a context value fits its lead field's type, said in words. Marketo sends a token's text as it
 * is whatever the field's type, so a mismatch is a warning about the test data, never a refusal.
 */

/** Each type as a sentence names it, with its article ("an integer field", "a Boolean field"). */
const typeWords: Record<FieldType, string> = {
  string: 'a string',
  text: 'a text',
  email: 'an email',
  phone: 'a phone',
  url: 'a URL',
  integer: 'an integer',
  float: 'a float',
  currency: 'a currency',
  score: 'a score',
  boolean: 'a Boolean',
  date: 'a date',
  datetime: 'a datetime',
  reference: 'a reference',
};

const wholeNumber = /^[+-]?\d+$/;
const decimalNumber = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const booleanText = /^(true|false|1|0)$/i;
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoDateTime = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const emailAddress = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A real calendar day: 2026-02-30 matches the pattern but is no date. */
function isCalendarDay(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function isDate(text: string): boolean {
  const m = isoDate.exec(text);
  return m !== null && isCalendarDay(m[1] ?? '', m[2] ?? '', m[3] ?? '');
}

function isDateTime(text: string): boolean {
  const m = isoDateTime.exec(text);
  if (m === null || !isCalendarDay(m[1] ?? '', m[2] ?? '', m[3] ?? '')) return false;
  return Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[7] ?? '0') < 60;
}

/** What is wrong with the text for this type, as the end of the sentence; undefined when it fits. */
function typeProblem(type: FieldType, text: string, value: Scalar): string | undefined {
  const shown = `"${text}"`;
  switch (type) {
    case 'integer':
    case 'score':
      return wholeNumber.test(text) ? undefined : `${shown} is not a whole number`;
    case 'float':
      return decimalNumber.test(text) ? undefined : `${shown} is not a number`;
    case 'currency':
      return decimalNumber.test(text)
        ? undefined
        : `${shown} is not a number (write the amount alone, e.g. 1250000.50, without a currency sign or thousands separators)`;
    case 'boolean':
      return typeof value === 'boolean' || booleanText.test(text) ? undefined : `${shown} is not true or false`;
    case 'date':
      return isDate(text) ? undefined : `${shown} is not a date written YYYY-MM-DD (e.g. 2026-05-23)`;
    case 'datetime':
      return isDateTime(text) ? undefined : `${shown} is not an ISO 8601 date and time (e.g. 2026-05-23T14:05:00Z)`;
    case 'email':
      return emailAddress.test(text) ? undefined : `${shown} is not an email address (name@example.com)`;
    case 'phone':
      return /\d/.test(text) ? undefined : `${shown} has no digits`;
    default:
      return undefined;
  }
}

/**
 * The warning for a context value of this lead field, or undefined when the value fits (an empty value
 * always fits: the token renders empty). E.g. `Num Employees is an integer field; "abc" is not a whole number`.
 */
export function checkFieldValue(field: LeadField, value: Scalar): string | undefined {
  if (value === null) return undefined;
  const text = String(value);
  if (text.trim() === '') return undefined;
  const problem = typeProblem(field.type, text.trim(), value);
  if (problem !== undefined) return `${field.displayName} is ${typeWords[field.type]} field; ${problem}`;
  if (field.length !== undefined && text.length > field.length)
    return `${field.displayName} holds at most ${field.length} characters; this value has ${text.length}`;
  return undefined;
}
