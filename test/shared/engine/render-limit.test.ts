// Unbounded work (issue 11 item 5): the rendered request is capped by the profile's maxRenderedBytes,
// checked while the body is built, so a template full of tokens stops early instead of growing
// towards gigabytes, and nothing over the cap is sent.
import { describe, expect, it } from 'vitest';
import { renderWebhook } from '@shared/engine';
import { defaultProfile, tokenContextSchema, webhookSchema } from '@shared/model';

const context = tokenContextSchema.parse({ name: 'big', lead: { Company: 'x'.repeat(10_000) }, my: { Short: 'ok' } });
const hook = (template: string, extra: Record<string, unknown> = {}) =>
  webhookSchema.parse({ name: 'big', url: 'https://h.example/in', method: 'POST', template, ...extra });

describe('maxRenderedBytes', () => {
  it('defaults to 16 MiB', () => {
    expect(defaultProfile.maxRenderedBytes).toBe(16 * 1024 * 1024);
  });

  it('a 1 MB template of tokens that would render to ~1 GB stops early with an error, quickly and without the memory', () => {
    const template = '{{lead.Company}}'.repeat(65_536); // 1 MiB of tokens, each 10,000 bytes: 655 MB rendered
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const r = renderWebhook(hook(template), context, { tokenUses: false });
    const ms = performance.now() - t0;
    const d = r.diagnostics.find((x) => x.code === 'rendered-too-large');
    expect(d?.severity).toBe('error');
    expect(d?.location).toEqual({ part: 'template' });
    expect(d?.message).toMatch(/larger than 16777216 bytes \(profile maxRenderedBytes\)/);
    expect(d?.assumed).toEqual(['maxRenderedBytes']);
    expect(r.body).toBeNull();
    expect(r.headers.find((h) => h.name === 'content-length')?.value).toBe('0');
    // Stopped after ~1,700 tokens, not 65,536: well under a second and far from the 655 MB.
    expect(ms).toBeLessThan(2_000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('counts a plain template without tokens, the URL and the headers against the same budget', () => {
    const profile = { maxRenderedBytes: 1000 };
    const plain = renderWebhook(hook('x'.repeat(1001)), context, { profile });
    expect(plain.diagnostics.map((d) => d.code)).toContain('rendered-too-large');
    expect(plain.body).toBeNull();
    const header = renderWebhook(hook('small', { headers: [{ name: 'X-Big', value: 'v'.repeat(2000) }] }), context, {
      profile,
    });
    expect(header.diagnostics.find((d) => d.code === 'rendered-too-large')?.location).toEqual({
      part: 'header',
      index: 0,
      field: 'value',
    });
    const url = renderWebhook(hook('', { url: `https://h.example/?q={{lead.Company}}` }), context, { profile });
    expect(url.diagnostics.find((d) => d.code === 'rendered-too-large')?.location).toEqual({ part: 'url' });
  });

  it('just under the limit renders as usual, with no mention of the option', () => {
    const template = 'a'.repeat(990) + '{{my.Short}}';
    const r = renderWebhook(hook(template), context, { profile: { maxRenderedBytes: 2000 } });
    expect(r.body).toBe(`${'a'.repeat(990)}ok`);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('rendered-too-large');
    const dflt = renderWebhook(hook(template), context);
    expect(dflt.diagnostics.flatMap((d) => d.assumed ?? [])).not.toContain('maxRenderedBytes');
  });

  it('with token uses kept (the preview), the limit holds the same way', () => {
    const r = renderWebhook(hook('{{lead.Company}}'.repeat(200)), context, { profile: { maxRenderedBytes: 100_000 } });
    expect(r.diagnostics.map((d) => d.code)).toContain('rendered-too-large');
    expect(r.body).toBeNull();
  });
});
