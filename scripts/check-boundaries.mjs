// What tsc cannot see: which runtime each folder may reach. shared/ is pure (its tsconfig has no Node
// or DOM types, but a bare `import 'node:fs'` would still resolve through @types/node elsewhere);
// services never import electron; the renderer never imports electron, Node built-ins or services.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const rules = [
  {
    dir: 'shared',
    forbid: [
      /^node:/,
      /^electron$/,
      /^react/,
      /^undici$/,
      /^(fs|path|os|http|https|net|tls|crypto|child_process|url|stream)$/,
    ],
    why: 'shared/ is pure TypeScript',
  },
  {
    dir: 'electron/services',
    forbid: [/^electron$/],
    why: 'services run in plain Node; Electron is injected from main',
  },
  { dir: 'electron/cli', forbid: [/^electron$/], why: 'the CLI runs in plain Node' },
  { dir: 'electron/host', forbid: [/^electron$/], why: 'the browser host runs in plain Node' },
  {
    dir: 'renderer',
    forbid: [/^electron$/, /^node:/, /electron\/services/, /^undici$/],
    why: 'the renderer reaches the world only through its StudioApi',
  },
];
const importRe =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function* files(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === 'node_modules') continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mts)$/.test(name)) yield p;
  }
}

const problems = [];
for (const rule of rules) {
  for (const file of files(rule.dir)) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (spec && rule.forbid.some((re) => re.test(spec))) {
        const line = src.slice(0, m.index).split('\n').length;
        problems.push(`${file}:${line}: imports '${spec}', but ${rule.why}`);
      }
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('boundaries: ok');
