// The path aliases (@shared, @services, @renderer) have one home: tsconfig.base.json's `paths`. Vite and
// Vitest read them from here; esbuild reads the tsconfig itself (its `tsconfig` option).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const nodeTsconfig = path.join(root, 'tsconfig.node.json');

/** `[{ find: '@shared', replacement: '<root>/shared' }, …]` for Vite's and Vitest's `resolve.alias`. */
export function viteAliases() {
  const { compilerOptions } = JSON.parse(readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
  return Object.entries(compilerOptions.paths).map(([key, [target]]) => ({
    find: new RegExp(`^${key.replace('/*', '')}(?=/)`),
    replacement: path.join(root, target.replace('/*', '')),
  }));
}
