import { describe, expect, it } from 'vitest';
import { evaluateResponse, marketoPathFor, parseMappingPath, parseResponseBody } from '@shared/engine';
import { defaultFieldCatalog, mergeCatalog } from '@shared/catalog';
import { tokenContextSchema, webhookSchema, type FieldCatalog, type ProfileInput } from '@shared/model';
import { mapVectors, vectorFields } from './spec-vectors';

const hook = (responseType: 'json' | 'xml' | 'none', mappings: Array<{ attribute: string; field: string }>) =>
  webhookSchema.parse({ name: 'm', url: 'https://h.example/', responseType, mappings });

const evaluate = (
  responseType: 'json' | 'xml',
  body: string,
  attribute: string,
  field: string,
  opts: { fields?: FieldCatalog; profile?: Partial<ProfileInput>; status?: number } = {},
) =>
  evaluateResponse(
    hook(responseType, [{ attribute, field }]),
    { status: opts.status ?? 200, body },
    {
      fields: mergeCatalog(defaultFieldCatalog, opts.fields ?? vectorFields),
      profile: opts.profile,
    },
  );

describe('spec test vectors D–F (mappings)', () => {
  for (const v of mapVectors) {
    it(`${v.id}: ${v.title}`, () => {
      const r = evaluate(v.responseType, v.body, v.attribute, v.field, { fields: v.fields, status: v.status });
      const m = r.mappings[0];
      expect(m?.found).toBe(v.found);
      if ('value' in v) expect(m?.value).toEqual(v.value);
      expect(m?.written).toBe(v.written);
      if (v.coerced !== undefined) expect(m?.coerced).toEqual(v.coerced);
      if (v.reason) expect(m?.reason).toBe(v.reason);
      else expect(m?.reason).toBeUndefined();
    });
  }

  it('E34: an element mixing unique and repeated children is warned about', () => {
    const r = evaluate('xml', '<r><a>1</a><b>2</b><b>3</b></r>', 'r.a', 'Title');
    expect(r.diagnostics.find((d) => d.code === 'xml-mixed-children')?.message).toContain('r');
  });

  it('F35: 200 with mappings updates the lead: before and after keyed by SOAP name', () => {
    const w = hook('json', [
      { attribute: 'title', field: 'Title' },
      { attribute: 'missing', field: 'City' },
    ]);
    const context = tokenContextSchema.parse({
      name: 'c',
      lead: { 'First Name': 'Sandy', 'Job Title': 'Intern', Custom: 1 },
    });
    const r = evaluateResponse(w, { status: 200, body: '{"title":"CEO"}' }, { context });
    expect(r.outcome).toBe('updated');
    expect(r.lead.before).toEqual({ FirstName: 'Sandy', Title: 'Intern', Custom: 1 });
    expect(r.lead.after).toEqual({ FirstName: 'Sandy', Title: 'CEO', Custom: 1 });
    expect(r.mappings[1]).toMatchObject({ found: false, written: false, reason: 'path-not-found' });
  });

  it('F36: 404 is ignored with the reason phrase as Error Type, the literal body still read', () => {
    const r = evaluateResponse(hook('json', [{ attribute: 'a', field: 'Title' }]), {
      status: 404,
      reason: 'Not Found',
      body: '{"a":"x"}',
    });
    expect(r).toMatchObject({ outcome: 'ignored', errorType: 'Not Found' });
    expect(r.mappings[0]).toMatchObject({ found: true, value: 'x', coerced: 'x', written: false, reason: 'non-2xx' });
    expect(evaluateResponse(hook('json', []), { status: 503, body: '' }).errorType).toBe('Service Unavailable');
  });

  it('on a non-2xx every mapping says non-2xx, whatever its path or field (Marketo writes nothing)', () => {
    const r = evaluateResponse(
      hook('json', [
        { attribute: 'a', field: 'Title' },
        { attribute: 'person.name', field: 'FirstName' },
        { attribute: 'a..b', field: 'Title' },
        { attribute: 'a', field: 'Nope' },
      ]),
      { status: 404, reason: 'Not Found', body: '{"a":"x"}' },
    );
    expect(r.mappings.map((m) => m.reason)).toEqual(['non-2xx', 'non-2xx', 'non-2xx', 'non-2xx']);
  });

  it("a type mismatch names the field's type with the right article: an integer field", () => {
    const r = evaluateResponse(hook('json', [{ attribute: 'a', field: 'LeadScore' }]), {
      status: 200,
      body: '{"a":"many"}',
    });
    expect(r.mappings[0]?.message).toContain('LeadScore, an integer field');
  });

  it('a body of only whitespace (as trim() counts it, no-break space included) is empty; one that starts with it is not', () => {
    expect(evaluateResponse(hook('json', []), { status: 200, body: ' \r\n\t' }).outcome).toBe('empty-body');
    expect(evaluateResponse(hook('json', []), { status: 200, body: '\u00a0\u2003' }).outcome).toBe('empty-body');
    expect(evaluateResponse(hook('json', []), { status: 200, body: '\u00a0{}' }).outcome).toBe('updated');
    expect(evaluateResponse(hook('json', []), { status: 200, body: '{}' }).outcome).toBe('updated');
  });

  it('F37: 200 with an empty body is code 1001', () => {
    const r = evaluateResponse(hook('json', []), { status: 200, body: '' });
    expect(r.outcome).toBe('empty-body');
    expect(r.diagnostics.find((d) => d.code === 'empty-body')?.message).toContain('1001');
  });
});

describe('mapping reasons', () => {
  it('unknown, REST-only and read-only fields', () => {
    expect(evaluate('json', '{"a":1}', 'a', 'Nope').mappings[0]?.reason).toBe('unknown-field');
    expect(evaluate('json', '{"a":"x"}', 'a', 'Inferred City').mappings[0]?.reason).toBe('rest-only-field');
    expect(evaluate('json', '{"a":5}', 'a', 'Id').mappings[0]?.reason).toBe('read-only-field');
  });

  it('a nested value: skipped by default (assumed), JSON text by choice', () => {
    const skipped = evaluate('json', '{"a":{"b":1}}', 'a', 'Title');
    expect(skipped.mappings[0]).toMatchObject({ found: true, written: false, reason: 'nested-value' });
    expect(skipped.diagnostics.find((d) => d.code === 'profile-assumptions')?.assumed).toContain('nestedValueToString');
    const json = evaluate('json', '{"a":{"b":1}}', 'a', 'Title', { profile: { nestedValueToString: 'json' } });
    expect(json.mappings[0]).toMatchObject({ written: true, coerced: '{"b":1}' });
  });

  it('over-length strings: truncated to 255 by default, refused by choice', () => {
    const long = 'x'.repeat(300);
    const cut = evaluate('json', JSON.stringify({ a: long }), 'a', 'Title');
    expect(cut.mappings[0]).toMatchObject({ written: true, coerced: 'x'.repeat(255) });
    const refused = evaluate('json', JSON.stringify({ a: long }), 'a', 'Title', {
      profile: { overLengthString: 'refuse' },
    });
    expect(refused.mappings[0]).toMatchObject({ written: false, reason: 'over-length' });
  });

  it('numbers and Booleans go into text fields as text; text does not go into number fields', () => {
    expect(evaluate('json', '{"a":42}', 'a', 'Title').mappings[0]).toMatchObject({ written: true, coerced: '42' });
    expect(evaluate('json', '{"a":1.5}', 'a', 'Item_Count__c').mappings[0]?.reason).toBe('type-mismatch');
    expect(evaluate('json', '{"a":"yes"}', 'a', 'EmailIsMailable__c').mappings[0]?.reason).toBe('type-mismatch');
    expect(evaluate('json', '{"a":"tomorrow"}', 'a', 'Order_Date__c').mappings[0]?.reason).toBe('type-mismatch');
    expect(evaluate('json', '{"a":null}', 'a', 'Title').mappings[0]?.reason).toBe('null-value');
  });

  it('a root-level JSON array: allowed by default (assumed), refused by choice', () => {
    expect(evaluate('json', '[{"a":"x"}]', '[0].a', 'Title').mappings[0]).toMatchObject({
      written: true,
      coerced: 'x',
    });
    expect(
      evaluate('json', '[{"a":"x"}]', '[0].a', 'Title', { profile: { jsonRootArray: 'refuse' } }).mappings[0]?.reason,
    ).toBe('invalid-path');
  });

  it('XML: [0] on a single element per xmlSingleElementIndex; attributes per xmlAttributes', () => {
    const xml = '<r><item id="9">one</item></r>';
    expect(evaluate('xml', xml, 'r.item[0]', 'Title').mappings[0]).toMatchObject({ found: true, value: 'one' });
    expect(
      evaluate('xml', xml, 'r.item[0]', 'Title', { profile: { xmlSingleElementIndex: 'bare-only' } }).mappings[0]
        ?.found,
    ).toBe(false);
    expect(evaluate('xml', xml, 'r.item.id', 'Title').mappings[0]?.found).toBe(false);
    expect(
      evaluate('xml', '<r><item id="9"><n>one</n></item></r>', 'r.item.id', 'Title', {
        profile: { xmlAttributes: 'as-keys' },
      }).mappings[0],
    ).toMatchObject({ found: true, value: '9' });
  });

  it('XML entities: predefined and numeric decoded, DOCTYPE entities never expanded', () => {
    expect(evaluate('xml', '<r><a>Jack &amp; Jill &#65;&#x42;</a></r>', 'r.a', 'Title').mappings[0]?.value).toBe(
      'Jack & Jill AB',
    );
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r><v>&b;</v></r>';
    const r = evaluate('xml', bomb, 'r.v', 'Title');
    expect(r.mappings[0]?.value).toBe('&b;');
    expect(r.diagnostics.map((d) => d.code)).toContain('xml-entities-not-expanded');
  });

  it('namespaced XML element names are reachable with their prefix', () => {
    const soap = '<soap:Envelope xmlns:soap="x"><soap:Body><r>ok</r></soap:Body></soap:Envelope>';
    expect(evaluate('xml', soap, 'soap:Envelope.soap:Body.r', 'Title').mappings[0]).toMatchObject({
      found: true,
      value: 'ok',
    });
  });

  it('an unparseable body is reported with line and column; its mappings are not written', () => {
    const r = evaluate('json', '{\n  "a": 1,\n}', 'a', 'Title');
    expect(r.mappings[0]?.reason).toBe('unparseable-response');
    expect(r.diagnostics.find((d) => d.code === 'response-parse-error')?.location).toMatchObject({
      line: 3,
      column: 1,
    });
  });

  it('response type None: mappings are not read', () => {
    const r = evaluateResponse(hook('none', [{ attribute: 'a', field: 'Title' }]), { status: 200, body: '{"a":1}' });
    expect(r.mappings[0]?.reason).toBe('response-type-none');
  });
});

describe('parseMappingPath', () => {
  it('parses keys and integer indexes', () => {
    expect(parseMappingPath('orders[0].order Date:x-y_z[12][3]')).toEqual({
      ok: true,
      steps: [{ key: 'orders' }, { index: 0 }, { key: 'order Date:x-y_z' }, { index: 12 }, { index: 3 }],
    });
    expect(parseMappingPath('[0].a')).toEqual({ ok: true, steps: [{ index: 0 }, { key: 'a' }] });
  });

  it.each([
    ['', 1],
    ['a..b', 3],
    ['a.', 2],
    ['.a', 1],
    ['orders["0"]', 7],
    ['a[-1]', 2],
    ['a[1', 2],
    ['$.a', 1],
    ['a/b', 2],
    ['a[0]b', 5],
    ['a.@id', 3],
  ])('rejects %j at column %i', (path, column) => {
    const r = parseMappingPath(path);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.column).toBe(column);
  });
});

describe('marketoPathFor', () => {
  it('builds dotted paths with [n], and explains unreachable keys', () => {
    expect(marketoPathFor(['orders', 0, 'orderDate'], 'json')).toEqual({
      path: 'orders[0].orderDate',
      reachable: true,
    });
    expect(marketoPathFor(['elementList', 'element', 1, 'foo'], 'xml')).toEqual({
      path: 'elementList.element[1].foo',
      reachable: true,
    });
    const dotted = marketoPathFor(['first.name'], 'json');
    expect(dotted.reachable).toBe(false);
    expect(dotted.reason).toContain("'.'");
    expect(marketoPathFor(['$id'], 'json').reachable).toBe(false);
    expect(marketoPathFor([0, 'a'], 'json')).toMatchObject({
      path: '[0].a',
      reachable: true,
      reason: expect.stringContaining('jsonRootArray'),
    });
  });

  it('every reachable path it builds parses and walks back to the same value', () => {
    const body = '{"a":[{"b c":{"d-e":[1,2,"x"]}}]}';
    const { path } = marketoPathFor(['a', 0, 'b c', 'd-e', 2], 'json');
    expect(parseMappingPath(path).ok).toBe(true);
    expect(evaluate('json', body, path, 'Title').mappings[0]?.value).toBe('x');
  });
});

describe('parseResponseBody', () => {
  it('gives the tree the mappings walk', () => {
    expect(parseResponseBody('<a><b>1</b><b>2</b></a>', 'xml')).toEqual({
      ok: true,
      tree: { a: { b: ['1', '2'] } },
      diagnostics: [],
    });
    expect(parseResponseBody('<a><b><c/></b></a>', 'xml')).toEqual({
      ok: true,
      tree: { a: { b: { c: '' } } },
      diagnostics: [],
    });
    expect(parseResponseBody('{"x":[1]}', 'json')).toEqual({ ok: true, tree: { x: [1] }, diagnostics: [] });
  });

  it('explains what is wrong and where', () => {
    expect(parseResponseBody('<a>\n<b></a>', 'xml')).toMatchObject({ ok: false, line: 2, column: 4 });
    expect(parseResponseBody('not xml', 'xml')).toMatchObject({ ok: false, line: 1, column: 1 });
    expect(parseResponseBody('{"a":}', 'json')).toMatchObject({ ok: false, line: 1, column: 6 });
  });
});

describe('assumptions in mapping results', () => {
  it('an XML response with attributes rests on xmlAttributes', () => {
    const r = evaluate('xml', '<r a="1"><v>x</v></r>', 'r.v', 'Title');
    expect(r.diagnostics.find((d) => d.code === 'profile-assumptions')?.assumed).toContain('xmlAttributes');
    expect(
      evaluate('xml', '<r><v>x</v></r>', 'r.v', 'Title').diagnostics.find((d) => d.code === 'profile-assumptions'),
    ).toBeUndefined();
  });
});

describe('hostile responses', () => {
  it('an element named __proto__ is refused by the parser, and pollutes nothing', () => {
    const r = evaluate(
      'xml',
      '<r><__proto__><polluted>yes</polluted></__proto__></r>',
      'r.__proto__.polluted',
      'Title',
    );
    expect(r.mappings[0]).toMatchObject({ written: false, reason: 'unparseable-response' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('an element named like an Object method is an ordinary own key', () => {
    const r = parseResponseBody('<r><valueOf>1</valueOf><a>2</a></r>', 'xml');
    expect(r.ok && Object.keys((r.tree as { r: object }).r)).toContain('a');
  });

  it('a JSON __proto__ key is an own key, never the prototype', () => {
    expect(evaluate('json', '{"__proto__": {"x": "y"}}', '__proto__.x', 'Title').mappings[0]).toMatchObject({
      found: true,
      value: 'y',
    });
    expect(evaluate('json', '{}', 'constructor', 'Title').mappings[0]?.found).toBe(false);
  });
});

describe('truncated responses', () => {
  it('says the body was cut and that the mappings read only what was kept', () => {
    const w = hook('json', [{ attribute: 'a', field: 'Title' }]);
    const r = evaluateResponse(w, { status: 200, body: '{"a": "x", "b": "yyyy', truncated: true });
    expect(r.diagnostics.find((d) => d.code === 'response-truncated')).toMatchObject({
      severity: 'warning',
      assumed: ['maxResponseBytes'],
    });
    expect(r.mappings[0]?.reason).toBe('unparseable-response');
    const kept = evaluateResponse(w, { status: 200, body: '{"a": "x"}' });
    expect(kept.diagnostics.find((d) => d.code === 'response-truncated')).toBeUndefined();
    expect('assumed' in (kept.diagnostics[0] ?? {})).toBe(false);
  });
});

describe('mapping plans kept per webhook', () => {
  it('follow a mappings list changed in place, and a different catalog', () => {
    const w = hook('json', [{ attribute: 'a', field: 'FirstName' }]);
    const body = '{"a":"Kim","b":"Lee"}';
    expect(evaluateResponse(w, { status: 200, body }).lead.after['FirstName']).toBe('Kim');
    const m = w.mappings[0] as { attribute: string; field: string };
    m.attribute = 'b';
    m.field = 'LastName';
    const again = evaluateResponse(w, { status: 200, body });
    expect(again.lead.after['LastName']).toBe('Lee');
    expect(again.lead.after['FirstName']).toBeUndefined();
    const custom: FieldCatalog = [{ displayName: 'Last', soapName: 'LastName', type: 'integer' }];
    expect(evaluateResponse(w, { status: 200, body }, { fields: custom }).mappings[0]?.reason).toBe('type-mismatch');
  });
});
