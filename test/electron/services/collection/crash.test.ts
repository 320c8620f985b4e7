import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { nodeTsconfig } from '../../../../scripts/aliases.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCollection, saveContext, saveWebhook } from '@services/collection/index';
import type { TokenContextInput, WebhookInput } from '@shared/model';

/**
 * Kills a process that is saving, at random moments, 200 times; after each kill every file must
 * parse and hold either the old or the new version, byte for byte.
 */

const service = path.resolve(__dirname, '../../../../electron/services/collection/index.ts');
const kills = 200;

// Large enough that a write takes a while, so kills land inside writes as well as between them.
const big = (c: string): string =>
  `${Array.from({ length: 3000 }, (_, i) => `"${c}${i}": {{lead.Field ${i}}}`).join(',\n')}\n`;
const webhookA: WebhookInput = { name: 'Crash A', url: 'https://a.example/hook', encoding: 'json', template: big('a') };
const webhookB: WebhookInput = {
  name: 'Crash B',
  url: 'https://b.example/hook',
  method: 'PUT',
  encoding: 'json',
  template: big('b'),
  headers: [{ name: 'X-B', value: 'b' }],
};
const contextA: TokenContextInput = {
  name: 'Crash ctx A',
  lead: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`Field ${i}`, `a${i}`])),
};
const contextB: TokenContextInput = {
  name: 'Crash ctx B',
  lead: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`Field ${i}`, `b ${i} & more`])),
};

let work: string;
let writer: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'h3-crash-'));
  const entry = path.join(work, 'writer.ts');
  await writeFile(
    entry,
    `import { saveWebhook, saveContext } from ${JSON.stringify(service)};
const [dir] = process.argv.slice(2);
const w = [${JSON.stringify(webhookA)}, ${JSON.stringify(webhookB)}];
const c = [${JSON.stringify(contextA)}, ${JSON.stringify(contextB)}];
async function main() {
  for (let i = 0; ; i++) {
    await saveWebhook(dir, { path: 'webhooks/crash.webhook.yaml', webhook: w[i % 2] });
    await saveContext(dir, { path: 'contexts/crash.context.yaml', context: c[i % 2] });
    if (i === 0) process.stdout.write('saving\\n');
  }
}
void main();
`,
  );
  writer = path.join(work, 'writer.cjs');
  await build({
    entryPoints: [entry],
    tsconfig: nodeTsconfig,
    outfile: writer,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
  });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A small seeded generator, so a failing run can be repeated. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function runAndKill(dir: string, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited with ${code}: ${stderr}`)),
    );
  });
}

describe('crash safety', () => {
  it(`every file is the old or the new version after ${kills} kills during saves`, async () => {
    const dir = path.join(work, 'c');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir);
    // The texts the writer can produce: saving A over B and B over A settles on fixed texts.
    const allowed = { webhook: new Set<string>(), context: new Set<string>() };
    for (let i = 0; i < 4; i++) {
      await saveWebhook(dir, { path: 'webhooks/crash.webhook.yaml', webhook: i % 2 ? webhookB : webhookA });
      await saveContext(dir, { path: 'contexts/crash.context.yaml', context: i % 2 ? contextB : contextA });
      allowed.webhook.add(await readFile(path.join(dir, 'webhooks/crash.webhook.yaml'), 'utf8'));
      allowed.context.add(await readFile(path.join(dir, 'contexts/crash.context.yaml'), 'utf8'));
    }
    expect(allowed.webhook.size).toBeLessThanOrEqual(3);
    const next = random(20261127);
    const seen = new Set<string>();
    for (let k = 0; k < kills; k++) {
      await runAndKill(dir, Math.floor(next() * 25));
      const w = await readFile(path.join(dir, 'webhooks/crash.webhook.yaml'), 'utf8');
      const c = await readFile(path.join(dir, 'contexts/crash.context.yaml'), 'utf8');
      if (!allowed.webhook.has(w))
        throw new Error(`after kill ${k + 1} the webhook file is neither version (${w.length} characters)`);
      if (!allowed.context.has(c))
        throw new Error(`after kill ${k + 1} the context file is neither version (${c.length} characters)`);
      seen.add(w);
    }
    // The kills landed at different points: both versions were found on disk after some kill.
    expect(seen.size).toBeGreaterThanOrEqual(2);
    const snap = await openCollection(dir);
    expect(snap.problems).toEqual([]);
    expect(snap.webhooks.map((x) => x.path)).toEqual(['webhooks/crash.webhook.yaml']);
    expect(snap.contexts.map((x) => x.path)).toEqual(['contexts/crash.context.yaml']);
  }, 180_000);
});
