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
// Each kill spawns a process: fewer for renames, whose every step is already covered by these few.
const renameKills = 60;

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
    `import { readdirSync } from 'node:fs';
import { saveWebhook, saveContext, renameFile } from ${JSON.stringify(service)};
const [dir, mode] = process.argv.slice(2);
const w = [${JSON.stringify(webhookA)}, ${JSON.stringify(webhookB)}];
const c = [${JSON.stringify(contextA)}, ${JSON.stringify(contextB)}];
async function renames() {
  // Starts from whichever file the last kill left, renaming it back and forth.
  let path = 'webhooks/' + readdirSync(dir + '/webhooks').find((f) => f.endsWith('.webhook.yaml'));
  for (let i = 0; ; i++) {
    path = (await renameFile(dir, { path, name: path.includes('crash-a') ? 'Crash B' : 'Crash A' })).path;
    if (i === 0) process.stdout.write('renaming\\n');
  }
}
async function main() {
  if (mode === 'rename') return renames();
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

function runAndKill(dir: string, delayMs: number, mode = 'save'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
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

describe('crash safety of a rename', () => {
  it(`after ${renameKills} kills during renames there is exactly one file, with the old or the new name`, async () => {
    const dir = path.join(work, 'r');
    const { mkdir, readdir } = await import('node:fs/promises');
    await mkdir(dir);
    const first = await saveWebhook(dir, { webhook: webhookA });
    const original = await readFile(path.join(dir, first.path), 'utf8');
    const next = random(20261207);
    const names = new Set<string>();
    for (let k = 0; k < renameKills; k++) {
      await runAndKill(dir, Math.floor(next() * 25), 'rename');
      // Temp files of an interrupted write are hidden and swept on open; the webhook files are what count.
      const left = (await readdir(path.join(dir, 'webhooks'))).filter((f) => f.endsWith('.webhook.yaml'));
      if (left.length !== 1)
        throw new Error(`after kill ${k + 1} the webhooks folder holds ${left.join(', ') || 'nothing'}`);
      const text = await readFile(path.join(dir, 'webhooks', left[0] ?? ''), 'utf8');
      const name = /^name: (.*)$/m.exec(text)?.[1] ?? '';
      if (!['Crash A', 'Crash B'].includes(name) || text.replace(`name: ${name}`, 'name: Crash A') !== original)
        throw new Error(`after kill ${k + 1} ${left[0] ?? ''} holds neither name, or more than the name changed`);
      names.add(`${left[0] ?? ''} ${name}`);
    }
    // The kills landed at different points: more than one (file, name) pair was found.
    expect(names.size).toBeGreaterThanOrEqual(2);
    const snap = await openCollection(dir);
    expect(snap.problems).toEqual([]);
    expect(snap.webhooks).toHaveLength(1);
  }, 180_000);
});
