import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Paths are relative to the repository root, where scripts/build.mjs runs. Relative asset URLs
// (`base: './'`) let the same build load from file:// in Electron and from the browser host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
});
