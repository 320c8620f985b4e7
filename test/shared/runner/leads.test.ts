import { describe, it, expect } from 'vitest';
import { defaultFieldCatalog } from '@shared/catalog';
import fc from 'fast-check';
import {
  createLeadCounter,
  createLeadReader,
  leadContext,
  leadFormatOf,
  leadKey,
  resolveLeadColumns,
  sampleLeadsHeader,
  type LeadFormat,
  type LeadProblem,
  type LeadRow,
} from '@shared/runner/leads';
import type { TokenContext } from '@shared/model/context';
import { splitAt } from '../formats/csv-chunks';

function read(
  format: LeadFormat,
  chunks: string[],
): { leads: LeadRow[]; problems: LeadProblem[]; notes: LeadProblem[] } {
  const leads: LeadRow[] = [];
  const problems: LeadProblem[] = [];
  const notes: LeadProblem[] = [];
  const reader = createLeadReader(format, defaultFieldCatalog, {
    onLead: (row) => leads.push(row),
    onProblem: (p) => problems.push(p),
    onNote: (n) => notes.push(n),
  });
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return { leads, problems, notes };
}

describe('lead files', () => {
  it('picks the format from the file name', () => {
    expect(leadFormatOf('leads.CSV')).toBe('csv');
    expect(leadFormatOf('a.jsonl')).toBe('jsonl');
    expect(leadFormatOf('a.ndjson')).toBe('jsonl');
    expect(leadFormatOf('a.json')).toBe('json');
    expect(leadFormatOf('a.txt')).toBeUndefined();
  });

  it('resolves display-name, SOAP and REST headers to display names, and notes unknown ones', () => {
    const { columns, notes, duplicates } = resolveLeadColumns(
      ['Email Address', 'FirstName', 'leadScore', 'Shoe Size', 'Email'],
      defaultFieldCatalog,
    );
    expect(columns.map((c) => c.key)).toEqual([
      'Email Address',
      'First Name',
      'Lead Score',
      'Shoe Size',
      'Email Address',
    ]);
    expect(notes).toEqual(['column "Shoe Size" is not in the field catalog; it fills {{lead.Shoe Size}} as written']);
    expect(duplicates).toEqual([
      'header: columns "Email Address" and "Email" both name the lead field "Email Address"; the later one wins',
    ]);
  });

  it('fills {{company.…}} from columns named like company fields, ahead of the context, and lists unknown columns once', () => {
    const { leads, notes } = read('csv', [
      'Email Address,Company Name,company.Industry,Shoe Size,Hat\n',
      'a@x.com,Jack & Jill,Retail,42,red\n',
    ]);
    expect(leads).toEqual([
      {
        line: 2,
        values: { 'Email Address': 'a@x.com', 'Company Name': 'Jack & Jill', 'Shoe Size': '42', Hat: 'red' },
        company: { 'Company Name': 'Jack & Jill', Industry: 'Retail' },
      },
    ]);
    expect(notes.map((n) => n.message)).toEqual([
      'columns not in the field catalog (each fills {{lead.<column>}} as written): "Shoe Size", "Hat"',
      'company tokens from the leads file: "Company Name" → {{lead.Company Name}} and {{company.Company Name}}, "company.Industry" → {{company.Industry}}',
    ]);
    const base = {
      name: 'ctx',
      lead: {},
      company: { 'Company Name': 'From the context', Website: 'ctx.example' },
      my: {},
      program: {},
      campaign: {},
      trigger: {},
      member: {},
      system: {},
    } as unknown as TokenContext;
    const ctx = leadContext(base, leads[0] as LeadRow);
    expect(ctx.company).toEqual({ 'Company Name': 'Jack & Jill', Website: 'ctx.example', Industry: 'Retail' });
  });

  it('gives a sample CSV header naming every lead and company token the webhook uses, Email Address first', () => {
    expect(
      sampleLeadsHeader({
        url: 'https://x.example/enrich?id={{lead.Id}}&email={{lead.Email Address}}',
        template:
          '{"name":{{lead.First Name}},"co":{{company.Company Name}},"key":{{my.API Key}},"again":{{lead.first name}},"odd":{{lead.A, B}}}',
        headers: [{ name: 'X-Site', value: '{{company.Website:default=none}}' }],
      }),
    ).toBe('Email Address,Id,First Name,Company Name,"A, B",Website');
  });

  it('reads CSV leads with typed values, empty cells as no value, and reports bad rows by line', () => {
    const { leads, problems } = read('csv', [
      'Email,First Name,Lead Score,Unsubscribed\n',
      'a@x.com,"Jack & Jill",12,false\nb@x.com,,x,TRUE\nc@x.com,Cy\n',
    ]);
    expect(leads).toEqual([
      {
        line: 2,
        values: { 'Email Address': 'a@x.com', 'First Name': 'Jack & Jill', 'Lead Score': 12, Unsubscribed: false },
      },
      { line: 3, values: { 'Email Address': 'b@x.com', 'First Name': null, 'Lead Score': 'x', Unsubscribed: true } },
    ]);
    expect(problems).toEqual([{ line: 4, message: 'missing columns: expected 4 cells, found 2' }]);
  });

  it('passes duplicate-header reports on as notes', () => {
    const { notes } = read('csv', ['Email,Email\na,b\n']);
    expect(notes.map((n) => n.message)).toContain('header: duplicate column "Email" (columns 1 and 2)');
  });

  it('reads JSON Lines, one lead per line, with a problem per bad line', () => {
    const text =
      '{"email":"a@x.com","firstName":"Ann"}\n\nnot json\n[1]\n{"Email Address":"b@x.com","Company":{"x":1}}\r\n{"Email":"c@x.com"}\n{"Email":"d@x.com","City":"K\uFFFDln"}';
    const { leads, problems } = read('jsonl', [text.slice(0, 10), text.slice(10, 50), text.slice(50)]);
    expect(leads).toEqual([
      { line: 1, values: { 'Email Address': 'a@x.com', 'First Name': 'Ann' } },
      { line: 6, values: { 'Email Address': 'c@x.com' } },
    ]);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 7]);
    expect(problems[3]?.message).toBe('lead field "City" is not valid UTF-8 text (bad encoding?)');
    expect(problems[1]?.message).toBe('expected a lead object, found an array');
    expect(problems[2]?.message).toContain('"Company" holds an object');
  });

  it('reads a JSON array element by element across chunk boundaries', () => {
    const text =
      '\uFEFF[\n  {"Email": "a@x.com", "Note": "has ] and } and \\" inside"},\n  {"Email": "b@x.com", "Lead Score": 5},\n  7\n]\n';
    const whole = read('json', [text]);
    expect(whole.leads).toEqual([
      { line: 2, values: { 'Email Address': 'a@x.com', Note: 'has ] and } and " inside' } },
      { line: 3, values: { 'Email Address': 'b@x.com', 'Lead Score': 5 } },
    ]);
    expect(whole.problems).toEqual([{ line: 4, message: 'expected a lead object, found a number' }]);
    for (let cut = 1; cut < text.length; cut += 3) {
      expect(read('json', [text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    }
  });

  it('reports a JSON file that is not an array, or not closed', () => {
    expect(read('json', ['{"a":1}']).problems).toEqual([
      { line: 1, message: 'expected a JSON array of lead objects ("[" first)' },
    ]);
    expect(read('json', ['[{"Email":"a@x.com"}']).problems).toEqual([
      { line: 1, message: 'the lead array is not closed (missing "]") at the end of the file' },
    ]);
    expect(read('json', ['']).problems).toEqual([
      { line: 1, message: 'expected a JSON array of lead objects; the file is empty' },
    ]);
  });

  it('builds the lead context from the row and the rest from the chosen context', () => {
    const base = {
      name: 'ctx',
      lead: { 'First Name': 'Test' },
      my: { Key: 'k' },
      company: {},
      program: {},
      campaign: {},
      trigger: {},
      member: {},
      system: {},
    } as TokenContext;
    const row = { line: 2, values: { 'Email Address': 'a@x.com' } };
    const ctx = leadContext(base, row);
    expect(ctx.lead).toEqual({ 'Email Address': 'a@x.com' });
    expect(ctx.my).toEqual({ Key: 'k' });
    expect(leadKey(row)).toBe('a@x.com');
    expect(leadKey({ line: 9, values: { Id: 42 } })).toBe('Id 42');
    expect(leadKey({ line: 9, values: {} })).toBe('line 9');
  });
});

describe('lead counting', () => {
  const count = (format: LeadFormat, chunks: string[]): number => {
    const counter = createLeadCounter(format, defaultFieldCatalog);
    for (const chunk of chunks) counter.push(chunk);
    return counter.end();
  };
  const readCount = (format: LeadFormat, chunks: string[]): number => {
    const { leads, problems } = read(format, chunks);
    return leads.length + problems.length;
  };
  /** The text cut at random places, as a stream hands it over. */
  const chunked = (alphabet: string[]) =>
    fc
      .tuple(fc.array(fc.constantFrom(...alphabet), { maxLength: 80 }), fc.array(fc.nat(80), { maxLength: 4 }))
      .map(([chars, cuts]) => splitAt(chars.join(''), cuts));

  it('counts CSV rows as the reader hands them out, without reading them (quotes, CR/LF, blank lines, bad rows)', () => {
    fc.assert(
      fc.property(chunked(['a', 'b', ',', '"', '\n', '\r', ' ', '\uFEFF']), (chunks) => {
        expect(count('csv', chunks)).toBe(readCount('csv', chunks));
      }),
      { numRuns: 2000 },
    );
  });

  it('counts JSON Lines rows as the reader hands them out', () => {
    fc.assert(
      fc.property(chunked(['{}', '{"Email":"a@x.com"}', '[', ' ', '\t', '\r', '\n']), (chunks) => {
        expect(count('jsonl', chunks)).toBe(readCount('jsonl', chunks));
      }),
      { numRuns: 1000 },
    );
  });

  it('counts a JSON array of leads with the reader itself', () => {
    expect(count('json', ['[{"Email":"a@x.com"},', '{"Email":"b@x.com"}, 3]'])).toBe(3);
  });
});
