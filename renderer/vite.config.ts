import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { viteAliases } from '../scripts/aliases.mjs';

// Paths are relative to the repository root, where scripts/build.mjs runs. Relative asset URLs
// (`base: './'`) let the same build load from file:// in Electron and from the browser host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  resolve: { alias: viteAliases() },
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
});
