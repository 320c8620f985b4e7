import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCurl, shellQuote, shellWords, toCurl } from '@shared/formats/curl';
import { renderWebhook } from '@shared/engine';
import { tokenContextSchema, webhookSchema, type RenderedRequest } from '@shared/model';

const run = promisify(execFile);

describe('shell words', () => {
  it("reads quotes, escapes, $'…' and line continuations like sh", () => {
    expect(shellWords(`curl -H 'A: b c' "x \\"y\\" \\$z" $'l1\\nl2\\t\\x41' a\\ b \\\n  -d ''`)).toEqual({
      ok: true,
      words: ['curl', '-H', 'A: b c', 'x "y" $z', 'l1\nl2\tA', 'a b', '-d', ''],
    });
    expect(shellWords(`curl 'open`)).toEqual({ ok: false, message: 'unterminated single quote at character 6' });
  });

  it('shellQuote gives sh back any text unchanged (checked by a real sh)', async () => {
    const samples = fc.sample(
      fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !s.includes('\u0000')),
      40,
    );
    samples.push(`it's "quoted" $HOME \`x\` \\ \n line`);
    const script = samples.map((s) => `printf '%s\\0' ${shellQuote(s)}`).join('\n');
    const { stdout } = await run('sh', ['-c', script]);
    expect(stdout.split('\u0000').slice(0, -1)).toEqual(samples);
    for (const s of samples) expect(shellWords(`x ${shellQuote(s)}`)).toEqual({ ok: true, words: ['x', s] });
  });
});

describe('parse', () => {
  it('common flags: -X, -H, -d joined by &, --data-urlencode, -G, -u, -A, --json, glued short options', () => {
    const p = (cmd: string) => {
      const r = parseCurl(cmd);
      if (!r.ok) throw new Error(r.message);
      return r.value;
    };
    expect(p(`curl https://x.example/a -d a=1 -d 'b=2 3'`).webhook).toMatchObject({
      method: 'POST',
      template: 'a=1&b=2 3',
      headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
    });
    expect(p(`curl -G https://x.example/a --data-urlencode 'q=a b&c'`).webhook).toMatchObject({
      method: 'GET',
      url: 'https://x.example/a?q=a%20b%26c',
      template: '',
    });
    expect(p(`curl -XPUT -HX-A:1 -u user:pä https://x.example/`).webhook).toMatchObject({
      method: 'PUT',
      headers: [
        { name: 'X-A', value: '1' },
        { name: 'Authorization', value: `Basic ${Buffer.from('user:pä').toString('base64')}` },
      ],
    });
    expect(p(`curl --json '{"a":1}' x.example/j`).webhook).toMatchObject({
      url: 'http://x.example/j',
      method: 'POST',
      headers: [
        { name: 'Content-Type', value: 'application/json' },
        { name: 'Accept', value: 'application/json' },
      ],
    });
    expect(p(`curl -F f=@x https://x/ --weird`).notCarried.map((n) => n.item)).toEqual(['-F f=@x', '--weird']);
    expect(parseCurl(`curl -X FETCH https://x/`)).toMatchObject({
      ok: false,
      message: expect.stringContaining('FETCH'),
    });
    expect(parseCurl(`wget https://x/`)).toMatchObject({ ok: false });
  });
});

describe('emit', () => {
  it('parse(toCurl(r)) renders back to the same request', () => {
    const webhook = webhookSchema.parse({
      name: 'x',
      url: 'https://api.example.com/p/../a?b=c&d={{lead.First Name}}',
      encoding: 'form-url',
      template: "name={{lead.First Name}}&q=it's",
      headers: [{ name: 'X-Quote', value: `"a" 'b'` }],
    });
    const context = tokenContextSchema.parse({ name: 'c', lead: { 'First Name': "Jack & Jill's" } });
    const r: RenderedRequest = renderWebhook(webhook, context);
    const cmd = toCurl(r);
    // URL tokens are not encoded by default (profile encodingScope: body); the space is percent-encoded.
    expect(cmd).toContain(
      `curl --path-as-is --globoff -X POST 'https://api.example.com/p/../a?b=c&d=Jack%20&%20Jill'\\''s'`,
    );
    const back = parseCurl(cmd);
    if (!back.ok) throw new Error(back.message);
    const again = renderWebhook(back.value.webhook, tokenContextSchema.parse({ name: 'empty' }));
    expect(again.requestTarget).toBe(r.requestTarget);
    expect(again.body).toBe(r.body);
    expect(again.headers.filter((h) => h.name !== 'connection')).toEqual(
      r.headers.filter((h) => h.name !== 'connection'),
    );
  });
});

describe('curl import of hostile words', () => {
  it('reads words named like built-in object properties as words, not as known options', () => {
    // `constructor` and `toString` were found on the option tables' prototype: the URL went missing.
    for (const word of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const r = parseCurl(`curl ${word}`);
      expect(r).toMatchObject({ ok: true, value: { webhook: { url: `http://${word}` } } });
      if (r.ok) expect(r.value.notCarried.every((n) => typeof n.reason === 'string')).toBe(true);
    }
  });
});
