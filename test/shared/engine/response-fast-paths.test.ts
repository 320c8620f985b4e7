import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluateResponse } from '@shared/engine';
import { defaultFieldCatalog } from '@shared/catalog';
import { parseMappingPath, type PathStep } from '@shared/engine/mapping-path';
import { ProfileUse } from '@shared/engine/profile-use';
import { describeValue, walk, type Walk } from '@shared/engine/response-path';
import { isObj } from '@shared/engine/response-tree';
import { webhookSchema, type MappingReport, type ProfileInput } from '@shared/model';

// The answer's fast paths (a path spelled out only for a message, an empty profile sharing the defaults)
// against the careful ones, on random answers and paths.

/** A small seeded generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const keys = ['a', 'b', 'name', '__proto__', 'x y', 'ü', 'k-1', '0', 'company'];
/** Keys as the JSON text may spell them: escapes decode to the same key. */
const spelled: Record<string, string[]> = { a: ['"a"', '"\\u0061"'], ü: ['"ü"', '"\\u00fc"'] };
const numbers = ['0', '-0', '7', '1e400', '-1e400', '12345678901234567890123', '0.1', '2.5E-3', '-12'];
const strings = ['"Acme"', '""', '"\\ud83d\\ude00"', '"line\\nbreak"', '"tab\\t\\"q\\""', '"2026-12-07"', '"true"'];

function jsonText(rnd: () => number, depth: number): string {
  const r = rnd();
  if (depth > 0 && r < 0.3) {
    const n = Math.floor(rnd() * 4);
    const members: string[] = [];
    for (let i = 0; i < n; i++) {
      // Duplicate keys come up often: the last one wins, in both paths.
      const key = keys[Math.floor(rnd() * keys.length)] as string;
      const forms = Object.hasOwn(spelled, key) ? (spelled[key] as string[]) : [JSON.stringify(key)];
      members.push(`${forms[Math.floor(rnd() * forms.length)] as string} : ${jsonText(rnd, depth - 1)}`);
    }
    return `{${members.join(rnd() < 0.5 ? ',' : ' ,\n ')}}`;
  }
  if (depth > 0 && r < 0.45) {
    const n = Math.floor(rnd() * 4);
    return `[${Array.from({ length: n }, () => jsonText(rnd, depth - 1)).join(',')}]`;
  }
  if (r < 0.65) return numbers[Math.floor(rnd() * numbers.length)] as string;
  if (r < 0.85) return strings[Math.floor(rnd() * strings.length)] as string;
  return ['true', 'false', 'null'][Math.floor(rnd() * 3)] as string;
}

function pathText(rnd: () => number): string {
  const n = 1 + Math.floor(rnd() * 4);
  let path = rnd() < 0.1 ? `[${Math.floor(rnd() * 3)}]` : (keys[Math.floor(rnd() * keys.length)] as string);
  for (let i = 1; i < n; i++)
    path += rnd() < 0.3 ? `[${Math.floor(rnd() * 3)}]` : `.${keys[Math.floor(rnd() * keys.length)] as string}`;
  return path;
}

const fields = ['Company', 'LeadScore', 'AnnualRevenue', 'Unsubscribed', 'DateofBirth', 'Address', 'NoSuchField'];

const hook = (attributes: string[], responseType: 'json' | 'xml' = 'json') =>
  webhookSchema.parse({
    name: 'fast paths',
    url: 'https://h.example/',
    responseType,
    mappings: attributes.map((attribute, i) => ({ attribute, field: fields[i % fields.length] as string })),
  });

const context = { name: 'c', lead: { 'Email Address': 'a@b.example', 'First Name': 'Zoë' } } as never;

/** The first evaluation of an answer: later ones must not tell it apart. */
function careful(...args: Parameters<typeof evaluateResponse>): MappingReport {
  return evaluateResponse(...args);
}

/** The path walk as it was before the path text became lazy: the oracle for its messages. */
function referenceWalk(tree: unknown, steps: PathStep[], responseType: 'json' | 'xml', pu: ProfileUse): Walk {
  let cur = tree;
  let at = '';
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s] as PathStep;
    const here = at === '' ? 'the response' : at;
    if ('key' in step) {
      if (!isObj(cur)) {
        const hint = Array.isArray(cur) ? `; it is an array, so index it first (${at}[0].${step.key})` : '';
        const message = `${here} is ${describeValue(cur)}, which has no key '${step.key}'${hint}`;
        return { found: false, reason: 'path-not-found', message };
      }
      if (!Object.prototype.hasOwnProperty.call(cur, step.key)) {
        if (s === 0 && responseType === 'xml') {
          const root = Object.keys(cur)[0] ?? '';
          const message = `an XML path starts with the root element: '${root}', not '${step.key}' (try ${root}.${step.key})`;
          return { found: false, reason: 'path-not-found', message };
        }
        return { found: false, reason: 'path-not-found', message: `${here} has no key '${step.key}'` };
      }
      cur = cur[step.key];
      at = at === '' ? step.key : `${at}.${step.key}`;
      continue;
    }
    if (s === 0 && responseType === 'json') {
      pu.use('jsonRootArray');
      if (pu.profile.jsonRootArray === 'refuse') {
        const message =
          'the path starts with an index; the profile (jsonRootArray: refuse) does not allow indexing a root-level array';
        return { found: false, reason: 'invalid-path', message };
      }
    }
    if (Array.isArray(cur)) {
      if (step.index >= cur.length) {
        const message = `${here} has ${cur.length} elements; [${step.index}] does not exist`;
        return { found: false, reason: 'path-not-found', message };
      }
      cur = cur[step.index];
    } else if (responseType === 'xml' && step.index === 0 && s > 0) {
      pu.use('xmlSingleElementIndex');
      if (pu.profile.xmlSingleElementIndex === 'bare-only') {
        const message = `<${at.split('.').pop()}> occurs once, so it is not an array (profile xmlSingleElementIndex: bare-only)`;
        return { found: false, reason: 'path-not-found', message };
      }
    } else {
      const message = `${here} is ${describeValue(cur)}, not an array; [${step.index}] does not apply`;
      return { found: false, reason: 'path-not-found', message };
    }
    at = `${at}[${step.index}]`;
  }
  return { found: true, value: cur };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an answer evaluated again', () => {
  it('gives the same report as parsing it afresh, on 2,000 random answers and paths (duplicate keys, escapes, 1e400, -0, big integers)', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const rnd = random(seed);
      const body = jsonText(rnd, 1 + Math.floor(rnd() * 5));
      const attributes = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pathText(rnd));
      const profile: Partial<ProfileInput> =
        rnd() < 0.3 ? { jsonRootArray: 'refuse', nestedValueToString: 'json' } : rnd() < 0.5 ? {} : {};
      const webhook = hook(attributes);
      const response = { status: rnd() < 0.9 ? 200 : 500, body };
      const options = { context, fields: defaultFieldCatalog, profile };
      const first = careful(webhook, response, options);
      // Nothing of one evaluation is left for the next: the reports are equal and share no object.
      const again = evaluateResponse(webhook, response, options);
      const third = evaluateResponse(webhook, { ...response }, options);
      expect(again, `seed ${seed}: ${body} ${attributes.join(' | ')}`).toStrictEqual(first);
      expect(third, `seed ${seed}`).toStrictEqual(first);
      for (let m = 0; m < first.mappings.length; m++) {
        const v = first.mappings[m]?.value;
        if (typeof v === 'object' && v !== null) expect(again.mappings[m]?.value).not.toBe(v);
      }
    }
  });

  it('never hands two reports the same object', () => {
    const webhook = hook(['company']);
    const body = '{"company":{"name":"Acme"}}';
    const first = careful(webhook, { status: 200, body }, {});
    (first.mappings[0]?.value as Record<string, unknown>)['name'] = 'changed by a reader of the first report';
    const second = evaluateResponse(webhook, { status: 200, body }, {});
    expect(second.mappings[0]?.value).toEqual({ name: 'Acme' });
    expect(second.mappings[0]?.value).not.toBe(first.mappings[0]?.value);
  });

  it('a 100,000-deep answer between two others fails only its own evaluation', () => {
    const webhook = hook(['company.name']);
    const body = '{"company":{"name":"Acme"}}';
    careful(webhook, { status: 200, body }, {});
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const r = evaluateResponse(webhook, { status: 200, body: deep }, {});
    expect(r.diagnostics.map((d) => d.code)).toContain('response-too-deep');
    const after = evaluateResponse(webhook, { status: 200, body }, {});
    expect(after.mappings[0]?.value).toBe('Acme');
    expect(after.outcome).toBe('updated');
  });

  it('an XML answer is parsed each time, with its diagnostics each time', () => {
    const webhook = hook(['r.item'], 'xml');
    const body = '<r><item>1</item><item>2</item><other a="1">x</other></r>';
    const first = careful(webhook, { status: 200, body }, {});
    const again = evaluateResponse(webhook, { status: 200, body }, {});
    expect(again).toStrictEqual(first);
  });
});

describe('a path walk', () => {
  it('finds and explains exactly as before, on 3,000 random trees and paths', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const rnd = random(seed * 7919);
      const responseType = rnd() < 0.8 ? 'json' : 'xml';
      const tree: unknown = JSON.parse(jsonText(rnd, 1 + Math.floor(rnd() * 4)));
      const parsed = parseMappingPath(pathText(rnd));
      if (!parsed.ok) continue;
      const profile = rnd() < 0.3 ? { jsonRootArray: 'refuse', xmlSingleElementIndex: 'bare-only' } : undefined;
      const a = new ProfileUse(profile as never);
      const b = new ProfileUse(profile as never);
      expect(walk(tree, parsed.steps, responseType, a), `seed ${seed}`).toStrictEqual(
        referenceWalk(tree, parsed.steps, responseType, b),
      );
      expect(a.assumed).toEqual(b.assumed);
    }
  });
});

describe('a mapping result', () => {
  it('keeps its keys in the recorded order', () => {
    const r = evaluateResponse(hook(['company.name', 'nope']), { status: 200, body: '{"company":{"name":"A"}}' }, {});
    const written = ['index', 'attribute', 'field', 'found', 'value', 'coerced', 'written', 'fieldType'];
    expect(Object.keys(r.mappings[0] ?? {})).toEqual(written);
    expect(Object.keys(r.mappings[1] ?? {})).toEqual([...written, 'reason', 'message']);
  });

  it('reads the same with an empty profile, one of undefined options, or none', () => {
    const webhook = hook(['[0]', 'company.name']);
    const response = { status: 200, body: '[{"x":1}]' };
    const none = careful(webhook, response, {});
    expect(careful(webhook, response, { profile: {} })).toStrictEqual(none);
    expect(careful(webhook, response, { profile: { jsonRootArray: undefined } })).toStrictEqual(none);
    expect(none.diagnostics.at(-1)?.assumed).toEqual(['jsonRootArray', 'nestedValueToString']);
    const explicit = careful(webhook, response, { profile: { jsonRootArray: 'allow' } });
    expect(explicit.diagnostics.at(-1)?.assumed).toEqual(['nestedValueToString']);
  });
});
