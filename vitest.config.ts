import { defineConfig } from 'vitest/config';
import { viteAliases } from './scripts/aliases.mjs';

const resolve = { alias: viteAliases() };

// Two projects: Node-side code (shared engine, services, CLI, shells with `electron` mocked) and the
// renderer under happy-dom. End-to-end tests in Chromium live in test/e2e and are run by scripts/test.mjs
// after the build, because they need the built renderer and the browser host.
export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'node',
          environment: 'node',
          globalSetup: ['test/setup/build-cli.ts'],
          include: [
            'test/shared/**/*.test.ts',
            'test/electron/**/*.test.ts',
            'test/cli/**/*.test.ts',
            'test/hostile/**/*.test.ts',
          ],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve,
        esbuild: { jsx: 'automatic' },
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          setupFiles: ['test/renderer/leave-page.ts'],
          include: ['test/renderer/**/*.test.ts', 'test/renderer/**/*.test.tsx'],
          testTimeout: 30_000,
        },
      },
      {
        resolve,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
