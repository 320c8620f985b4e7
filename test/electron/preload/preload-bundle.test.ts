import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildNode } from '../../../scripts/build-node.mjs';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

describe('built preload', () => {
  it('is CommonJS that requires nothing but electron, as a sandboxed preload must', async () => {
    // Rebuilt only when stale: the packaging smoke test reads the same file, possibly at this moment.
    const bundle = path.join(root, 'out', 'preload', 'index.cjs');
    const contract = readdirSync(path.join(root, 'shared', 'contract')).map((f) => `shared/contract/${f}`);
    const sources = ['electron/preload.ts', 'shared/contract.ts', ...contract].map(
      (f) => statSync(path.join(root, f)).mtimeMs,
    );
    if (!existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(...sources)) await buildNode(['preload']);
    const code = await readFile(bundle, 'utf8');
    const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/\bimport\s*\(|^\s*import\s|\bexport\s/m);
    expect(code).toContain('exposeInMainWorld');
  });
});
