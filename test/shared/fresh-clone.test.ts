// Fresh clone (issue 11 item 10): nothing the project builds, runs or tests reads from outside the
// repository (such as ../shared beside a checkout), so `git clone && npm ci && npm test` passes alone.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const skip = new Set(['node_modules', 'out', 'dist', 'release', 'test-results', '.git']);

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (/\.(ts|tsx|mts|mjs|cjs|js|json|ya?ml)$/.test(name) || dir.endsWith('.ci')) out.push(full);
  }
  return out;
}

describe('a fresh clone needs nothing beside it', () => {
  it('no test, script, config or source names a relative path that leaves the repository', () => {
    const files = [
      ...['test', 'scripts', 'electron', 'shared', 'renderer', 'bin', '.ci'].flatMap((d) =>
        sources(path.join(root, d)),
      ),
      ...readdirSync(root)
        .filter((f) => /\.(json|ts|cjs|mjs)$/.test(f))
        .map((f) => path.join(root, f)),
    ];
    expect(files.length).toBeGreaterThan(100);
    const escapes: string[] = [];
    for (const file of files) {
      if (/package-lock\.json$/.test(file)) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/['"`]((?:\.\.\/)+[^'"`$\n]*)['"`]/g)) {
        const target = path.resolve(path.dirname(file), m[1] as string);
        if (target !== root && !target.startsWith(root + path.sep))
          escapes.push(`${path.relative(root, file)}: ${m[1]}`);
      }
      if (/['"`]\/work\//.test(text)) escapes.push(`${path.relative(root, file)}: an absolute /work/ path`);
    }
    expect(escapes).toEqual([]);
  });
});
