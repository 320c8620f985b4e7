// `npm run bench`: runs every test/bench/*.bench.{ts,mjs}. Each exports `run()` returning its figures,
// each beside a baseline measured in the same run (a ratio, never an absolute time threshold).
// TypeScript benches are bundled with esbuild first, so they import project code as the app does.
import { build } from 'esbuild';
import { nodeTsconfig } from './aliases.mjs';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const only = process.argv.slice(2);
const dir = 'test/bench';
const files = readdirSync(dir)
  .filter((f) => /\.bench\.(ts|mjs)$/.test(f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const results = {};
let failures = 0;
for (const file of files) {
  const name = file.replace(/\.bench\.(ts|mjs)$/, '');
  let modPath = path.resolve(dir, file);
  if (file.endsWith('.ts')) {
    // Written beside the project so that bare imports resolve to its node_modules.
    const outfile = path.resolve('node_modules/.cache/bench', `${name}.mjs`);
    await build({
      entryPoints: [modPath],
      outfile,
      bundle: true,
      tsconfig: nodeTsconfig,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      external: ['electron'],
      logLevel: 'error',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    modPath = outfile;
  }
  process.stdout.write(`\n## ${name}\n`);
  const t = Date.now();
  try {
    const mod = await import(pathToFileURL(modPath).href);
    const figures = await mod.run();
    results[name] = figures;
    console.log(JSON.stringify(figures, null, 2));
  } catch (e) {
    failures++;
    results[name] = { error: e instanceof Error ? e.message : String(e) };
    console.error(`bench ${name} failed: ${e instanceof Error ? e.stack : e}`);
  }
  console.log(`(${name}: ${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
writeFileSync(
  'bench-results.json',
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
);
console.log('\nwrote bench-results.json');
process.exit(failures ? 1 : 0);
