import { build } from 'esbuild';
const r = await build({ entryPoints: ['electron/cli/commands/run.ts'], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', tsconfig: 'tsconfig.node.json', external: ['electron','undici','undici/*'], outdir: '/tmp/x', logLevel: 'silent' });
const ins = r.metafile.inputs; const t = process.argv[2];
const reach = new Set(['electron/cli/commands/run.ts']); const q=[...reach];
while (q.length) { const f=q.shift(); for (const i of ins[f]?.imports ?? []) { if (i.external || reach.has(i.path)) continue; reach.add(i.path); q.push(i.path);} }
for (const f of reach) for (const i of ins[f]?.imports ?? []) if (i.path===t) console.log(f, i.kind);
