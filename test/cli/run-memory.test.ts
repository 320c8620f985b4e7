import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunSummary } from '../../shared/runner/summary';
import { enrichWebhook } from '../electron/services/runner/helpers';

const LEADS = 100_000;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'run-memory-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function writeLeads(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write('Email Address,First Name,Company Name,Phone Number\n');
  for (let i = 0; i < LEADS; i++) {
    const line = `lead${i}@example.com,"Zoë ${i}","Jack & Jill, ${i}",${i % 7 === 0 ? '' : `+1 555 ${i}`}\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
}

describe('run command memory', () => {
  it(
    `keeps the peak memory of a ${LEADS.toLocaleString('en')}-lead run under 300 MB`,
    { timeout: 240_000 },
    async () => {
      const leads = path.join(tmp, 'leads.csv');
      await writeLeads(leads);
      const hook = path.join(tmp, 'webhook.yaml');
      await writeFile(hook, JSON.stringify(enrichWebhook('https://api.example.com', { mappings: [] })));
      // The CLI as users run it, wrapped only to read the kernel's high-water mark of resident memory at exit.
      const wrapper = path.join(tmp, 'measure.mjs');
      await writeFile(
        wrapper,
        `import { readFileSync, writeFileSync } from 'node:fs';
const { main } = await import(${JSON.stringify(pathToFileURL(path.resolve('out/cli/index.js')).href)});
const code = await main({ argv: process.argv.slice(2), stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
writeFileSync(${JSON.stringify(path.join(tmp, 'peak.txt'))}, String(hwm ? Number(hwm[1]) * 1024 : -1));
process.exit(code);
`,
      );
      const out = path.join(tmp, 'out');
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(
          process.execPath,
          [wrapper, 'run', hook, '--leads', leads, '--catcher', '--concurrency', '8', '--out', out],
          { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'] },
        );
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
        child.on('close', (c) => {
          if (c !== 0) console.error(stderr);
          resolve(c);
        });
      });
      expect(code).toBe(0);
      const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
      expect(summary.counts.leads).toBe(LEADS);
      expect(summary.counts.succeeded).toBe(LEADS);
      expect((await stat(path.join(out, 'results.jsonl'))).size).toBeGreaterThan(LEADS * 100);
      const peak = Number(await readFile(path.join(tmp, 'peak.txt'), 'utf8'));
      expect(peak).toBeGreaterThan(0);
      console.log(`peak RSS of the 100,000-lead run: ${Math.round(peak / 1024 / 1024)} MB`);
      expect(peak).toBeLessThan(300 * 1024 * 1024);
    },
  );
});
