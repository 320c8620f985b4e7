// Packaging smoke test: lays the app out with electron-builder (--dir --linux) against a placeholder
// Electron folder (no runtime can be downloaded offline), then lists app.asar and checks that exactly
// the built app ships: main, preload, renderer, package.json and runtime dependencies; no sources,
// tests, source maps or dev-only packages. Prints a JSON summary; exits 1 on any problem.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const requiredEntries = [
  '/package.json',
  '/out/main/index.cjs',
  '/out/preload/index.cjs',
  '/out/renderer/index.html',
];

/** Problems with an asar listing: what must be there and is not, and what must not be there and is. */
export function checkListing(entries, pkg) {
  const problems = [];
  const set = new Set(entries);
  for (const e of requiredEntries) if (!set.has(e)) problems.push(`missing ${e}`);
  if (!entries.some((e) => /^\/out\/renderer\/.+\.js$/.test(e)))
    problems.push('missing the renderer script (out/renderer/**/*.js)');
  for (const dep of Object.keys(pkg.dependencies ?? {}))
    if (!set.has(`/node_modules/${dep}`)) problems.push(`missing runtime dependency ${dep}`);
  for (const dev of Object.keys(pkg.devDependencies ?? {}))
    if (set.has(`/node_modules/${dev}`)) problems.push(`dev-only package ships: ${dev}`);
  for (const e of entries) {
    if (e.startsWith('/node_modules/')) continue;
    if (/^\/(electron|shared|renderer|test|scripts|src|bin|release)(\/|$)/.test(e))
      problems.push(`source or dev folder ships: ${e}`);
    else if (/^\/out\/[^/]+$/.test(e) && !/^\/out\/(main|preload|renderer|cli)$/.test(e))
      problems.push(`stray build output ships: ${e}`);
    else if (/\.(ts|tsx|mts|map)$/.test(e)) problems.push(`source or source map ships: ${e}`);
    else if (
      /^\/(tsconfig[^/]*|vitest\.config\.[^/]+|electron-builder\.config\.cjs|package-lock\.json|README\.md|\.git[^/]*)$/.test(
        e,
      )
    )
      problems.push(`project file ships: ${e}`);
  }
  return problems;
}

export function packageSmoke({ out = mkdtempSync(path.join(os.tmpdir(), 'studio-package-')), keep = false } = {}) {
  for (const f of requiredEntries.slice(1)) {
    if (!existsSync(path.join(root, f)))
      return { ok: false, problems: [`${f.slice(1)} is not built: run \`npm run build\` first`] };
  }
  const started = Date.now();
  const builder = spawnSync(
    process.execPath,
    [
      require.resolve('electron-builder/cli.js'),
      '--dir',
      '--linux',
      '--config',
      'electron-builder.config.cjs',
      `-c.directories.output=${out}`,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PACKAGE_SMOKE_ELECTRON_DIST: path.join(root, 'test', 'fixtures', 'fake-electron-dist') },
    },
  );
  if (builder.status !== 0) {
    if (!keep) rmSync(out, { recursive: true, force: true });
    return {
      ok: false,
      problems: [
        `electron-builder failed (exit ${builder.status}): ${(builder.stderr || builder.stdout).trim().split('\n').slice(-5).join(' | ')}`,
      ],
    };
  }
  const asarPath = path.join(out, 'linux-unpacked', 'resources', 'app.asar');
  const asar = require('@electron/asar');
  const entries = asar.listPackage(asarPath, { isPack: false });
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const problems = checkListing(entries, pkg);
  const result = {
    ok: problems.length === 0,
    problems,
    entries: entries.length,
    asar: asarPath,
    ms: Date.now() - started,
  };
  if (!keep) rmSync(out, { recursive: true, force: true });
  return { ...result, ours: entries.filter((e) => !e.startsWith('/node_modules')) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = packageSmoke({ keep: process.argv.includes('--keep') });
  console.log(JSON.stringify(result, null, 2));
  process.exit(result.ok ? 0 : 1);
}
