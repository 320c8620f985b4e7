// `npm run build`: the Node bundles (CLI, Electron main, preload) and the renderer (Vite).
import { buildNode } from './build-node.mjs';
import { build as viteBuild } from 'vite';

const started = Date.now();
await buildNode();
await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });
console.log(`built out/ in ${Date.now() - started} ms`);
