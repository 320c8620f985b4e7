import { describe, expect, it } from 'vitest';
import { answeredMessage } from '@services/sender/messages';
import type { MappingReport } from '@shared/model';

const report = (written: Array<[string, boolean]>, outcome: MappingReport['outcome'] = 'updated'): MappingReport => ({
  status: 200,
  outcome,
  mappings: written.map(([field, w], index) => ({
    index,
    attribute: 'a',
    field,
    found: true,
    value: 'v',
    coerced: 'v',
    written: w,
  })),
  lead: { before: {}, after: {} },
  diagnostics: [],
});

describe('answeredMessage', () => {
  it('names the fields written and counts the rest, whatever the previous answer was', () => {
    expect(
      answeredMessage(
        report([
          ['FirstName', true],
          ['Company', true],
          ['Phone', false],
        ]),
        200,
        'OK',
        {},
      ),
    ).toBe(
      'HTTP 200 OK: Marketo would write 2 lead field(s) (FirstName, Company); 1 mapping(s) not written, see the mapping report',
    );
    expect(
      answeredMessage(
        report([
          ['FirstName', true],
          ['Company', true],
          ['Phone', false],
        ]),
        200,
        'OK',
        {},
      ),
    ).toBe(
      'HTTP 200 OK: Marketo would write 2 lead field(s) (FirstName, Company); 1 mapping(s) not written, see the mapping report',
    );
    expect(
      answeredMessage(
        report([
          ['FirstName', true],
          ['Company', false],
          ['Phone', false],
        ]),
        200,
        'OK',
        {},
      ),
    ).toBe(
      'HTTP 200 OK: Marketo would write 1 lead field(s) (FirstName); 2 mapping(s) not written, see the mapping report',
    );
    expect(
      answeredMessage(
        report([
          ['FirstName', true],
          ['Company', false],
          ['Phone', false],
        ]),
        201,
        '',
        {},
      ),
    ).toBe(
      'HTTP 201: Marketo would write 1 lead field(s) (FirstName); 2 mapping(s) not written, see the mapping report',
    );
    expect(answeredMessage(report([]), 201, '', {})).toBe(
      'HTTP 201: a 2xx answer; the webhook has no response mappings, so no lead field changes',
    );
  });

  it('adds the notes for a cut body and a redirect not followed', () => {
    const text = answeredMessage(report([['FirstName', true]]), 200, 'OK', { truncatedAt: 10, redirectTo: '/next' });
    expect(text).toBe(
      "HTTP 200 OK: Marketo would write 1 lead field(s) (FirstName). Note: the body was cut at 10 bytes (profile option maxResponseBytes); mappings saw only that part; the redirect to /next was not followed (profile option followRedirects is off, as Marketo's behaviour here is not documented)",
    );
    expect(answeredMessage(report([], 'empty-body'), 200, 'OK', {})).toBe(
      'HTTP 200 OK with an empty body: Marketo records code 1001 and writes no lead field',
    );
  });
});
