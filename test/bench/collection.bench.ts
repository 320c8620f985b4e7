import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCollection } from '../../electron/services/collection/index';
import { contextDiskForm, webhookDiskForm } from '../../shared/formats/collection-files';
import { freshYaml } from '../../shared/formats/yaml-file';
import { tokenContextSchema, webhookSchema } from '../../shared/model';
import { median } from './median';

/**
 * Opening a collection of 1,000 webhooks (in 20 folders) and 100 contexts: read, YAML-parse, validate
 * and report. Baseline, in the same run: plain readFile + JSON.parse of the same documents stored as
 * JSON files (same count, same content). Goal: open under 1 s on this machine.
 */

const webhooks = 1000;
const contexts = 100;
const rounds = 5;

function webhook(i: number) {
  return webhookSchema.parse({
    name: `Webhook ${i}`,
    description: `Generated webhook number ${i}`,
    url: `https://hooks${i % 7}.example.com/v1/leads/{{lead.Id}}?source=marketo&n=${i}`,
    method: i % 5 === 0 ? 'PUT' : 'POST',
    encoding: (['json', 'form-url', 'none'] as const)[i % 3],
    responseType: 'json',
    template: `{\n  "email": {{lead.Email Address}},\n  "first": {{lead.First Name:default=Friend}},\n  "n": ${i},\n  "company": {{company.Company Name}}\n}\n`,
    headers: [
      { name: 'Content-Type', value: 'application/json' },
      { name: 'X-Source', value: `bench-${i}` },
    ],
    mappings: [
      { attribute: 'result.score', field: 'LeadScore' },
      { attribute: `data[${i % 4}].title`, field: 'Title' },
    ],
  });
}

function context(i: number) {
  return tokenContextSchema.parse({
    name: `Lead ${i}`,
    lead: Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`Field ${k}`, `value ${i}-${k} & more`])),
    my: { 'Promo Code': `P${i}` },
    system: { now: '2026-01-01T00:00:00Z', timeZone: 'Europe/London' },
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function run(): Promise<Record<string, unknown>> {
  const root = await mkdtemp(path.join(tmpdir(), 'bench-collection-'));
  const yamlDir = path.join(root, 'collection');
  const jsonDir = path.join(root, 'json');
  try {
    await mkdir(path.join(yamlDir, 'contexts'), { recursive: true });
    await mkdir(path.join(jsonDir, 'contexts'), { recursive: true });
    await writeFile(path.join(yamlDir, 'collection.yaml'), 'name: Bench\n');
    for (let i = 0; i < webhooks; i++) {
      const folder = `folder-${i % 20}`;
      await mkdir(path.join(yamlDir, 'webhooks', folder), { recursive: true });
      await mkdir(path.join(jsonDir, 'webhooks', folder), { recursive: true });
      const w = webhookDiskForm(webhook(i));
      await writeFile(path.join(yamlDir, 'webhooks', folder, `w-${i}.webhook.yaml`), freshYaml(w));
      await writeFile(path.join(jsonDir, 'webhooks', folder, `w-${i}.webhook.json`), JSON.stringify(w, null, 2));
    }
    for (let i = 0; i < contexts; i++) {
      const c = contextDiskForm(context(i));
      await writeFile(path.join(yamlDir, 'contexts', `c-${i}.context.yaml`), freshYaml(c));
      await writeFile(path.join(jsonDir, 'contexts', `c-${i}.context.json`), JSON.stringify(c, null, 2));
    }

    const plainJson = async (): Promise<number> => {
      const files = (await readdir(jsonDir, { recursive: true, withFileTypes: true }))
        .filter((f) => f.isFile())
        .map((f) => path.join(f.parentPath, f.name));
      let n = 0;
      for (let i = 0; i < files.length; i += 64) {
        const parsed = await Promise.all(
          files.slice(i, i + 64).map(async (f) => JSON.parse(await readFile(f, 'utf8')) as unknown),
        );
        n += parsed.length;
      }
      return n;
    };

    // One warm-up of each, then alternate so both see the same cache and machine load.
    const check = await openCollection(yamlDir);
    if (check.webhooks.length !== webhooks || check.contexts.length !== contexts || check.problems.length) {
      throw new Error(
        `generated collection did not load: ${check.webhooks.length} webhooks, ${check.contexts.length} contexts, ${check.problems.length} problems`,
      );
    }
    await plainJson();
    const open: number[] = [];
    const baseline: number[] = [];
    for (let r = 0; r < rounds; r++) {
      open.push(await timed(() => openCollection(yamlDir)));
      baseline.push(await timed(plainJson));
    }
    const openMs = Math.round(median(open));
    const baselineMs = Math.round(median(baseline) * 10) / 10;
    return {
      webhooks,
      contexts,
      rounds,
      openCollectionMs: openMs,
      baselineReadFileJsonParseMs: baselineMs,
      ratio: Math.round((openMs / baselineMs) * 10) / 10,
      goalMs: 1000,
      goalMet: openMs < 1000,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
