import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles, findElectronRuntime, needsBuild } from '../../scripts/start.mjs';

const startScript = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'start.mjs');
let tmp: string;

/** A project folder with a fresh build whose CLI only reports how it was called. */
async function fakeProject(name: string): Promise<string> {
  const root = path.join(tmp, name);
  for (const f of builtFiles) {
    await mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await writeFile(path.join(root, f), '');
  }
  await writeFile(
    path.join(root, 'out', 'cli', 'index.js'),
    "console.log('cli called with ' + process.argv.slice(2).join(' '));\n",
  );
  await mkdir(path.join(root, 'electron'), { recursive: true });
  await writeFile(path.join(root, 'electron', 'x.ts'), '');
  const old = new Date(Date.now() - 60_000);
  await utimes(path.join(root, 'electron', 'x.ts'), old, old);
  return root;
}

function runStart(root: string, args: string[] = []) {
  const code = `import(${JSON.stringify(startScript)}).then((m) => m.main(${JSON.stringify(args)}, ${JSON.stringify(root)}))`;
  return spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-start-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('npm start', () => {
  it('builds when an output is missing or older than a source', async () => {
    const root = await fakeProject('freshness');
    expect(needsBuild(root)).toBe(false);
    await writeFile(path.join(root, 'electron', 'x.ts'), 'changed');
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(root, 'electron', 'x.ts'), later, later);
    expect(needsBuild(root)).toBe(true);
    const missing = await fakeProject('missing-output');
    expect(needsBuild(missing)).toBe(false);
    await rm(path.join(missing, 'out', 'preload', 'index.cjs'));
    expect(needsBuild(missing)).toBe(true);
  });

  it('finds the Electron runtime only through path.txt and an existing binary in dist/', async () => {
    const root = await fakeProject('runtime');
    expect(findElectronRuntime(root)).toBeNull();
    const pkg = path.join(root, 'node_modules', 'electron');
    await mkdir(path.join(pkg, 'dist'), { recursive: true });
    await writeFile(path.join(pkg, 'path.txt'), 'electron');
    expect(findElectronRuntime(root)).toBeNull();
    await writeFile(path.join(pkg, 'dist', 'electron'), '#!/bin/sh\necho "electron runtime called with $*"\n');
    await chmod(path.join(pkg, 'dist', 'electron'), 0o755);
    expect(findElectronRuntime(root)).toBe(path.join(pkg, 'dist', 'electron'));
  });

  it('without the runtime, says so in one line and starts the browser host', async () => {
    const root = await fakeProject('no-runtime');
    const r = runStart(root, ['--open']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual([
      'npm start: the Electron runtime is missing (node_modules/electron has no binary), so starting the browser host instead.',
      'cli called with serve --open',
    ]);
  });

  it('with the runtime, opens the app in Electron', async () => {
    const root = await fakeProject('with-runtime');
    const pkg = path.join(root, 'node_modules', 'electron');
    await mkdir(path.join(pkg, 'dist'), { recursive: true });
    await writeFile(path.join(pkg, 'path.txt'), 'electron');
    await writeFile(path.join(pkg, 'dist', 'electron'), '#!/bin/sh\necho "electron runtime called with $*"\n');
    await chmod(path.join(pkg, 'dist', 'electron'), 0o755);
    const r = runStart(root);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`electron runtime called with ${root}`);
  });
});
