// Bundles the Node-side entry points (CLI, Electron main, preload) with esbuild. Shared by
// `npm run build` and the test setup, so the CLI the tests spawn is the CLI users run.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeTsconfig } from './aliases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every Node-side bundle. `electron` stays external: only the Electron runtime provides it. */
export const nodeEntries = [
  // Split: each command is its own chunk, loaded when it runs, so `--version` and `--help` start at
  // about the speed of bare node instead of loading the sender, the host and every format first.
  { name: 'cli', entry: 'electron/cli/index.ts', outfile: 'out/cli/index.js', format: 'esm', splitting: true },
  { name: 'main', entry: 'electron/main/index.ts', outfile: 'out/main/index.cjs', format: 'cjs' },
  // Sandboxed preloads must be CommonJS and may only require a few Electron modules.
  { name: 'preload', entry: 'electron/preload.ts', outfile: 'out/preload/index.cjs', format: 'cjs' },
];

/**
 * zod re-exports all its ~50 message locales as one namespace (`z.locales`), which no tree-shaking can drop:
 * inlined, they were a fifth of the code a CLI `run` parses at start. The studio uses none but the English
 * one zod configures itself with, so the CLI bundle carries only that.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(a.importer)
        ? { path: path.join(path.dirname(a.importer), '..', 'locales', 'en.js'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (a) => ({
      contents: `export { default as en } from ${JSON.stringify(a.path)};`,
      resolveDir: path.dirname(a.path),
    }));
  },
};

/**
 * The model modules (shared/model) only define schemas, constants and pure helpers. Marked free of side effects,
 * a command loads only the model modules whose exports it uses: through the model's index, a `run` loaded (and
 * built, at start) the schemas of every exchange, diagnostic, catcher rule and network file, which it never checks.
 */
const modelWithoutSideEffects = {
  name: 'model-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /model/ }, async (a) => {
      if (a.pluginData === 'model-without-side-effects') return undefined;
      const { importer, namespace, resolveDir, kind } = a;
      const r = await b.resolve(a.path, {
        importer,
        namespace,
        resolveDir,
        kind,
        pluginData: 'model-without-side-effects',
      });
      return /[\\/]shared[\\/]model[\\/][^\\/]+\.ts$/.test(r.path) ? { ...r, sideEffects: false } : undefined;
    });
  },
};

export async function buildNode(names = nodeEntries.map((e) => e.name)) {
  for (const e of nodeEntries.filter((x) => names.includes(x.name))) {
    const entry = path.join(root, e.entry);
    if (!existsSync(entry)) throw new Error(`build: entry ${e.entry} is missing`);
    const outfile = path.join(root, e.outfile);
    // Chunks sit beside the entry (so import.meta.url finds out/renderer the same way).
    const result = await build({
      entryPoints: [entry],
      ...(e.splitting
        ? {
            outdir: path.dirname(outfile),
            entryNames: path.basename(outfile, '.js'),
            chunkNames: '[name]-[hash]',
            splitting: true,
          }
        : { outfile }),
      bundle: true,
      // The tsconfig carries the @shared/@services aliases; esbuild resolves them before `packages: 'external'`.
      tsconfig: nodeTsconfig,
      platform: 'node',
      target: 'node20',
      format: e.format,
      sourcemap: true,
      // Runtime dependencies are installed beside the bundle (node_modules, or the asar), so they are not inlined;
      // but the CLI inlines the pure-JS ones (zod, yaml, fast-xml-parser): as packages, a `run` loaded ~200 module
      // files (zod's 50 locales among them) before its first lead; inlined and tree-shaken, a few dozen. undici
      // stays a package: it loads its llhttp WebAssembly beside its own files.
      packages: e.name === 'main' ? 'external' : undefined,
      // The preload carries the contract (and zod with it) into every window start; keep it small.
      minify: e.name === 'preload',
      // The CLI loses its whitespace and comments (names stay, so stack traces still read): a `run` compiles
      // every chunk on its path (zod alone is ~390 kB) before its first lead, and V8 scans all of that text.
      ...(e.name === 'cli' ? { minifyWhitespace: true, minifySyntax: true } : {}),
      external: e.name === 'cli' ? ['electron', 'undici', 'undici/*'] : ['electron'],
      plugins: e.name === 'cli' ? [zodEnglishOnly, modelWithoutSideEffects] : [],
      logLevel: 'warning',
      metafile: e.splitting === true,
      banner:
        e.format === 'esm'
          ? { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
          : undefined,
    });
    // Chunks of earlier builds go once the new ones are written (never before: a CLI running meanwhile keeps
    // working). The metafile names outputs relative to the working folder.
    if (e.splitting && result.metafile) {
      const dir = path.dirname(outfile);
      const current = new Set(Object.keys(result.metafile.outputs).map((o) => path.resolve(process.cwd(), o)));
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (/\.js(\.map)?$/.test(name) && !current.has(full)) rmSync(full, { force: true });
      }
    }
  }
}
