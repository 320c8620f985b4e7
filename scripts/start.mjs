// `npm start`: build when out/ is missing or older than the sources, then open the Electron app; where
// the Electron runtime is not installed (no binary in node_modules/electron), say so in one line and
// serve the studio to a browser instead. Never require('electron'): from v42 on that tries a download.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the build produces; all must exist for the app to start. */
export const builtFiles = [
  'out/cli/index.js',
  'out/main/index.cjs',
  'out/preload/index.cjs',
  'out/renderer/index.html',
];
const sourceRoots = ['electron', 'shared', 'renderer', 'package.json', 'scripts/build.mjs', 'scripts/build-node.mjs'];

function newestMtime(p) {
  let st;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(p)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, name)));
  }
  return newest;
}

/** True when a built file is missing or older than any source file. */
export function needsBuild(root = defaultRoot) {
  let oldestOutput = Infinity;
  for (const f of builtFiles) {
    const p = path.join(root, f);
    if (!existsSync(p)) return true;
    oldestOutput = Math.min(oldestOutput, statSync(p).mtimeMs);
  }
  const newestSource = Math.max(...sourceRoots.map((s) => newestMtime(path.join(root, s))));
  return newestSource > oldestOutput;
}

/** The Electron binary, found the way the electron package itself does (path.txt + dist/), or null. */
export function findElectronRuntime(root = defaultRoot) {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  if (relative === '') return null;
  const binary = path.join(pkg, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

function run(command, args, root) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (e) => {
    console.error(`npm start: could not start ${command}: ${e.message}`);
    process.exit(1);
  });
}

export function main(argv = process.argv.slice(2), root = defaultRoot) {
  if (needsBuild(root)) {
    console.log('npm start: building (out/ is missing or older than the sources)…');
    const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
      cwd: root,
      stdio: 'inherit',
    });
    if (built.status !== 0) {
      console.error('npm start: the build failed; see the messages above');
      process.exit(1);
    }
  }
  const electron = findElectronRuntime(root);
  if (electron) {
    run(electron, [root, ...argv], root);
    return;
  }
  console.log(
    'npm start: the Electron runtime is missing (node_modules/electron has no binary), so starting the browser host instead.',
  );
  run(process.execPath, [path.join(root, 'out', 'cli', 'index.js'), 'serve', ...argv], root);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
