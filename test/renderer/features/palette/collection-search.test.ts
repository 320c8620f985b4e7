import { describe, expect, it } from 'vitest';
import type { TokenContext, Webhook } from '@shared/model';
import { searchCollection, type SearchDocuments, type SearchHit } from '@renderer/features/palette/collection-search';
import { subsequenceMatch, subsequenceScore } from '@renderer/features/palette/fuzzy';
import { context, webhook } from '../../fixtures';

function docs(webhooks: Webhook[], contexts: TokenContext[] = []): SearchDocuments {
  return {
    webhooks: Object.fromEntries(webhooks.map((w, i) => [`w${i}`, { value: w }])),
    webhookOrder: webhooks.map((_, i) => `w${i}`),
    contexts: Object.fromEntries(contexts.map((c, i) => [`c${i}`, { value: c }])),
    contextOrder: contexts.map((_, i) => `c${i}`),
  };
}

/** The marked characters of a hit's snippet, joined. */
const marked = (h: SearchHit | undefined) => (h ? h.marks.map(([a, b]) => h.snippet.slice(a, b)).join('|') : '');

const crm = webhook('CRM sync', {
  url: 'https://crm.example.com/leads',
  template: '{\n  "email": {{lead.Email Address}},\n  "source": "marketo-zebra"\n}',
  headers: [
    { name: 'Authorization', value: 'Bearer {{my.CRM Token}}' },
    { name: 'X-Client', value: 'studio-okapi' },
    { name: 'X-Api-Key', value: '', secret: true },
  ],
  mappings: [
    { attribute: 'id', field: 'crmId' },
    { attribute: 'data.score', field: 'leadScore' },
  ],
});
const slack = webhook('Slack alert', { url: 'https://hooks.slack.com/x', template: 'text=zebra crossing' });
const ctx = context('Tricky lead', { 'Email Address': "o'brien@example.com", City: 'Zebra Falls' });

describe('collection search: fields and places', () => {
  const all = docs([crm, slack], [ctx]);

  it('finds a header value, naming the header, and its row to jump to', () => {
    const [g] = searchCollection(all, 'okapi');
    expect(g).toMatchObject({ kind: 'webhook', key: 'w0', name: 'CRM sync' });
    expect(g?.hits[0]).toMatchObject({
      label: 'Header · X-Client',
      place: { part: 'header', index: 1, field: 'value' },
    });
    expect(marked(g?.hits[0])).toBe('okapi');
  });

  it('finds a template line, with its number and the offset of the match in the template', () => {
    const hit = searchCollection(all, 'marketo-zebra')[0]?.hits[0];
    expect(hit?.label).toBe('Template · line 3');
    expect(hit?.place).toEqual({ part: 'template' });
    expect(crm.template.slice(hit?.offset, (hit?.offset ?? 0) + (hit?.length ?? 0))).toBe('marketo-zebra');
    expect(hit?.snippet).toBe('"source": "marketo-zebra"');
  });

  it('finds header names, mapping paths and lead fields, the URL and names', () => {
    const first = (q: string) => searchCollection(all, q)[0]?.hits[0];
    expect(first('authorization')).toMatchObject({
      label: 'Header · row 1',
      place: { part: 'header', index: 0, field: 'name' },
    });
    expect(first('leadscore')).toMatchObject({
      label: 'Mapping · row 2 · lead field',
      place: { part: 'mapping', index: 1, field: 'field' },
    });
    expect(first('data.score')?.label).toBe('Mapping · row 2 · response attribute');
    expect(first('crm.example')?.label).toBe('URL');
    expect(first('slack alert')?.label).toBe('Name');
  });

  it("finds a context's name, token names and token values", () => {
    const groups = searchCollection(all, 'zebra falls');
    expect(groups[0]).toMatchObject({ kind: 'context', key: 'c0', name: 'Tricky lead' });
    expect(groups[0]?.hits[0]).toMatchObject({
      label: 'Lead · City',
      place: { part: 'token', table: 'lead', name: 'City', field: 'value' },
    });
    expect(searchCollection(all, 'tricky')[0]?.hits[0]?.label).toBe('Name');
  });

  it('shows a secret as written and never a secret value', () => {
    const hit = searchCollection(all, 'crm token')[0]?.hits[0];
    expect(hit?.snippet).toBe('Bearer {{my.CRM Token}}');
    expect(searchCollection(all, 'x-api-key')[0]?.hits.map((h) => h.label)).toEqual(['Header · row 3']);
    const secretMy = context('Secrets');
    secretMy.my = { Key: { type: 'text', value: 'hunter2', secret: true } };
    expect(searchCollection(docs([], [secretMy]), 'hunter2')).toEqual([]);
  });

  it('searches what the store holds, unsaved edits included: a new value is searched again', () => {
    const edited = { ...slack, template: 'text=giraffe' };
    expect(searchCollection(docs([edited]), 'zebra')).toEqual([]);
    expect(searchCollection(docs([edited]), 'giraffe')[0]?.hits[0]?.label).toBe('Template · line 1');
  });
});

describe('collection search: fuzzy matching and ranking', () => {
  it('finds "Email Address" from "emladr" and highlights the letters it used', () => {
    const hit = searchCollection(docs([], [ctx]), 'emladr')[0]?.hits[0];
    expect(hit).toMatchObject({ label: 'Lead token', exact: false });
    expect(marked(hit)).toBe('Em|l|A|dr');
  });

  it('ranks word-for-word matches above fuzzy ones, and names above bodies', () => {
    const named = webhook('Zebra report', { template: '' });
    const fuzzy = webhook('Zone Ebb Rate', { template: '' });
    const groups = searchCollection(docs([slack, fuzzy, named]), 'zebra');
    expect(groups.map((g) => g.name)).toEqual(['Zebra report', 'Slack alert', 'Zone Ebb Rate']);
    expect(groups[2]?.hits[0]?.exact).toBe(false);
  });

  it("leaves out a document's fuzzy hits beside its word-for-word ones, counting them", () => {
    const both = webhook('Both', { url: 'https://z.example.com/e/b/r/a', template: 'zebra' });
    const [g] = searchCollection(docs([both]), 'zebra');
    expect(g?.hits.map((h) => h.label)).toEqual(['Template · line 1']);
    expect(g?.more).toBe(1);
  });

  it('keeps every typed word: two words match a line holding both, in any order', () => {
    const hit = searchCollection(docs([crm]), 'address email')[0]?.hits[0];
    expect(hit?.label).toBe('Template · line 2');
    expect(marked(hit)).toBe('email|Address');
  });

  it('cuts a long line to a snippet around the match', () => {
    const long = webhook('Long', { template: `${'a'.repeat(200)} needle ${'b'.repeat(200)}` });
    const hit = searchCollection(docs([long]), 'needle')[0]?.hits[0];
    expect(hit?.snippet.startsWith('…')).toBe(true);
    expect(hit?.snippet.endsWith('…')).toBe(true);
    expect(hit?.snippet.length).toBeLessThanOrEqual(92);
    expect(marked(hit)).toBe('needle');
    expect(hit?.offset).toBe(201);
  });

  it('limits the hits in all and per webhook, counting the rest', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      webhook(`Hook ${i}`, { template: Array.from({ length: 8 }, () => 'common word').join('\n') }),
    );
    const groups = searchCollection(docs(many), 'common', { limit: 50, perDocument: 5 });
    expect(groups.reduce((n, g) => n + g.hits.length, 0)).toBe(50);
    expect(groups).toHaveLength(10);
    expect(groups[0]?.more).toBe(3);
    expect(searchCollection(docs(many), '   ')).toEqual([]);
  });
});

describe('fuzzy positions', () => {
  it('returns the positions the best score used', () => {
    expect(subsequenceMatch('nw', 'new webhook')?.positions).toEqual([0, 4]);
    expect(subsequenceMatch('xyz', 'new webhook')).toBeNull();
  });

  it('uses each letter in order, scoring as the score alone does', () => {
    const texts = ['"email": {{lead.email address}},', 'show lead mapping', 'aaa bab aab', 'x-trace: trace-1999'];
    for (const text of texts)
      for (const query of ['ea', 'emladr', 'ab', 'aab', 'tr19', 'lm', 'zz']) {
        const m = subsequenceMatch(query, text);
        expect(m?.score ?? null).toBe(subsequenceScore(query, text));
        if (!m) continue;
        expect(m.positions.map((p) => text[p]).join('')).toBe(query);
        expect(m.positions.every((p, i) => i === 0 || p > (m.positions[i - 1] ?? 0))).toBe(true);
      }
  });
});

describe('collection search: speed', () => {
  it('searches 2,000 webhooks within a keystroke', () => {
    const big = Array.from({ length: 2000 }, (_, i) =>
      webhook(`Webhook ${i} for program ${i % 37}`, {
        url: `https://api${i % 13}.example.com/v2/leads/${i}?id={{lead.Id}}`,
        template: Array.from({ length: 20 }, (_, l) => `  "field${l}": {{lead.Field ${l} of ${i}}},`).join('\n'),
        headers: [
          { name: 'Authorization', value: `Bearer {{my.Token ${i % 5}}}` },
          { name: 'X-Trace', value: `trace-${i}` },
        ],
        mappings: [{ attribute: `data.items[${i % 3}].id`, field: `customField${i % 11}` }],
      }),
    );
    const all = docs(big);
    searchCollection(all, 'warm');
    const times = ['f', 'fi', 'fie', 'fiel', 'field', 'emladr', 'trace-1999', 'zzz', 'f', 'fi', 'fie'].map((q) => {
      const t0 = performance.now();
      const groups = searchCollection(all, q);
      const ms = performance.now() - t0;
      expect(groups.reduce((n, g) => n + g.hits.length, 0)).toBeLessThanOrEqual(50);
      return ms;
    });
    console.log(`collection search over 2,000 webhooks: ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
    expect(Math.max(...times)).toBeLessThan(500);
  });
});
