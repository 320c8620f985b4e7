import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
export const rendererDir = path.join(root, 'out', 'renderer');

/**
 * Builds the renderer when a test needs it and `npm test` has not built it already. Test files run in
 * parallel, so one builds (holding a lock folder) while the others wait for its index.html.
 */
export async function ensureRendererBuilt(): Promise<string> {
  const index = path.join(rendererDir, 'index.html');
  if (existsSync(index)) return rendererDir;
  const lock = path.join(root, 'out', '.renderer-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  // A lock left by a killed run would otherwise make every later run wait for nothing.
  if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
  try {
    mkdirSync(lock);
  } catch {
    for (let i = 0; i < 600 && !existsSync(index); i++) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(index)) throw new Error('the renderer build of another test file did not finish');
    return rendererDir;
  }
  try {
    const r = spawnSync(
      process.execPath,
      ['-e', "import('vite').then((v) => v.build({ configFile: 'renderer/vite.config.ts', logLevel: 'error' }))"],
      { cwd: root, encoding: 'utf8' },
    );
    if (r.status !== 0)
      throw new Error(`the renderer does not build: ${r.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return rendererDir;
}
