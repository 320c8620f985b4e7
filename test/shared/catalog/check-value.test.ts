import { describe, expect, it } from 'vitest';
import { checkFieldValue, findField, defaultFieldCatalog } from '@shared/catalog';
import type { LeadField, Scalar } from '@shared/model';

const field = (name: string): LeadField => {
  const f = findField(defaultFieldCatalog, name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
};
const check = (name: string, value: Scalar) => checkFieldValue(field(name), value);

describe('checkFieldValue: a context value against its lead field’s type', () => {
  it('says what an integer field expects, with "an"', () => {
    expect(check('Num Employees', 'abc')).toBe('Num Employees is an integer field; "abc" is not a whole number');
    expect(check('Num Employees', 12.5)).toBe('Num Employees is an integer field; "12.5" is not a whole number');
    expect(check('Num Employees', 250)).toBeUndefined();
    expect(check('Num Employees', ' 250 ')).toBeUndefined();
    expect(check('Lead Score', '-3')).toBeUndefined();
  });

  it('checks floats and currency as numbers', () => {
    expect(check('Urgency', '0.75')).toBeUndefined();
    expect(check('Urgency', 'high')).toBe('Urgency is a float field; "high" is not a number');
    expect(check('Annual Revenue', 1250000.5)).toBeUndefined();
    expect(check('Annual Revenue', '$1,250,000')).toMatch(
      /^Annual Revenue is a currency field; "\$1,250,000" is not a number \(write the amount alone/,
    );
  });

  it('checks Booleans, dates and date-times', () => {
    expect(check('Do Not Call', true)).toBeUndefined();
    expect(check('Do Not Call', 'FALSE')).toBeUndefined();
    expect(check('Do Not Call', 'yes')).toBe('Do Not Call is a Boolean field; "yes" is not true or false');
    expect(check('Date of Birth', '1990-02-28')).toBeUndefined();
    expect(check('Date of Birth', '1990-02-30')).toMatch(
      /is a date field; "1990-02-30" is not a date written YYYY-MM-DD/,
    );
    expect(check('Date of Birth', '28/02/1990')).toMatch(/not a date written YYYY-MM-DD/);
    expect(check('Created At', '2026-05-23T14:05:00Z')).toBeUndefined();
    expect(check('Created At', '2026-05-23T14:05:00.123+02:00')).toBeUndefined();
    expect(check('Created At', '2026-05-23 25:00')).toBe(
      'Created At is a datetime field; "2026-05-23 25:00" is not an ISO 8601 date and time (e.g. 2026-05-23T14:05:00Z)',
    );
  });

  it('checks email addresses, phones and lengths', () => {
    expect(check('Email Address', 'ada@example.com')).toBeUndefined();
    expect(check('Email Address', 'ada at example')).toBe(
      'Email Address is an email field; "ada at example" is not an email address (name@example.com)',
    );
    expect(check('Phone Number', '+1 (555) 010-2000 ext. 4')).toBeUndefined();
    expect(check('Phone Number', 'n/a')).toBe('Phone Number is a phone field; "n/a" has no digits');
    expect(check('First Name', 'x'.repeat(255))).toBeUndefined();
    expect(check('First Name', 'x'.repeat(300))).toBe('First Name holds at most 255 characters; this value has 300');
  });

  it('lets empty values and free text pass', () => {
    expect(check('Num Employees', '')).toBeUndefined();
    expect(check('Num Employees', null)).toBeUndefined();
    expect(check('Address', 'anything at all\nover two lines')).toBeUndefined();
  });
});
