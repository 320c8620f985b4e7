// Render speed: a 10 KB template with 100 tokens through renderWebhook (tokens, pre-parse, encoding,
// URL split, wire headers, Content-Length), against a plain String.prototype.replace over the same
// tokens in the same run. Goal: median under 50 µs and no slower than the baseline.
import { renderWebhook } from '../../shared/engine';
import { tokenContextSchema, webhookSchema } from '../../shared/model';
import { median } from './median';

const TOKENS = 100;
const TARGET_BYTES = 10 * 1024;

function buildTemplate(): { template: string; values: Record<string, string> } {
  const values: Record<string, string> = {};
  const lines: string[] = [];
  for (let i = 0; i < TOKENS; i++) {
    const name = `Field ${i}`;
    values[name] = `value ${i} for the lead`;
    lines.push(`"field_${i}": "{{lead.${name}}}", "pad": "`);
  }
  // Pad every line equally so the template is TARGET_BYTES long.
  const bare = lines.map((l) => `${l}"`).join('\n').length;
  const pad = Math.floor((TARGET_BYTES - bare) / TOKENS);
  const extra = TARGET_BYTES - bare - pad * TOKENS;
  const template = lines.map((l, i) => `${l}${'x'.repeat(pad + (i === 0 ? extra : 0))}"`).join('\n');
  return { template, values };
}

/**
 * Median time per call in µs for each function, measured in alternating batches so that both see the
 * same machine load (the machine is shared), plus the median of the per-batch ratios.
 */
function measurePair(
  fn: () => unknown,
  base: () => unknown,
  batches = 300,
  perBatch = 20,
): { us: number; baseUs: number; ratio: number } {
  for (let i = 0; i < 300; i++) {
    fn();
    base();
  }
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  const time = (f: () => unknown): number => {
    const t0 = performance.now();
    for (let i = 0; i < perBatch; i++) f();
    return ((performance.now() - t0) * 1000) / perBatch;
  };
  for (let k = 0; k < batches; k++) {
    // Alternate which goes first, so neither always runs on a warmer or colder machine.
    const first = k % 2 === 0;
    const y0 = first ? 0 : time(base);
    const x = time(fn);
    const y = first ? time(base) : y0;
    a.push(x);
    b.push(y);
    ratios.push(x / y);
  }
  return { us: median(a), baseUs: median(b), ratio: median(ratios) };
}

export async function run(): Promise<Record<string, unknown>> {
  const { template, values } = buildTemplate();
  const lead: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) lead[k] = v;
  const context = tokenContextSchema.parse({ name: 'bench', lead, campaign: { Type: 'trigger' } });
  const webhook = webhookSchema.parse({
    name: 'bench',
    url: 'https://h.example/hook',
    method: 'POST',
    template,
    encoding: 'none',
    headers: [{ name: 'Content-Type', value: 'application/json' }],
  });
  const jsonWebhook = { ...webhook, encoding: 'json' as const };

  const pattern = /\{\{lead\.([^}]+)\}\}/g;
  const baseline = (): string => template.replace(pattern, (_m, name: string) => values[name] ?? '');

  // Same output, so the comparison is like for like.
  const rendered = renderWebhook(webhook, context);
  if (rendered.body !== baseline()) throw new Error('engine and baseline disagree on the rendered body');

  const none = measurePair(() => renderWebhook(webhook, context), baseline);
  const json = measurePair(() => renderWebhook(jsonWebhook, context), baseline);
  return {
    templateBytes: template.length,
    tokens: rendered.tokens.length,
    renderMedianUs: Number(none.us.toFixed(2)),
    baselineReplaceMedianUs: Number(none.baseUs.toFixed(2)),
    ratioToBaseline: Number(none.ratio.toFixed(2)),
    renderJsonEncodingMedianUs: Number(json.us.toFixed(2)),
    ratioJsonToBaseline: Number(json.ratio.toFixed(2)),
    goal: 'renderMedianUs < 50 and ratioToBaseline <= 1 (encoding None, the same output as the baseline)',
    goalMet: none.us < 50 && none.ratio <= 1,
  };
}
