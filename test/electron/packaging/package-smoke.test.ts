import { beforeAll, describe, expect, it } from 'vitest';
import { buildNode } from '../../../scripts/build-node.mjs';
import { checkListing, packageSmoke } from '../../../scripts/package-smoke.mjs';
import { ensureRendererBuilt } from '../ensure-renderer';

const pkg = { dependencies: { zod: '1', undici: '1' }, devDependencies: { react: '1', vite: '1' } };

describe('asar listing check', () => {
  const good = [
    '/package.json',
    '/out',
    '/out/main/index.cjs',
    '/out/preload/index.cjs',
    '/out/renderer/index.html',
    '/out/renderer/assets/index-1.js',
    '/node_modules/zod',
    '/node_modules/undici',
    '/node_modules/zod/index.d.ts',
  ];

  it('passes exactly the built app with its runtime dependencies', () => {
    expect(checkListing(good, pkg)).toEqual([]);
  });

  it('names each missing part, source file, source map and dev-only package', () => {
    const bad = [
      ...good.filter((e) => e !== '/out/preload/index.cjs'),
      '/electron/main/index.ts',
      '/out/main/index.cjs.map',
      '/node_modules/react',
      '/test/x.test.ts',
      '/tsconfig.json',
      '/out/debug.mjs',
    ];
    expect(checkListing(bad, pkg)).toEqual([
      'missing /out/preload/index.cjs',
      'dev-only package ships: react',
      'source or dev folder ships: /electron/main/index.ts',
      'source or source map ships: /out/main/index.cjs.map',
      'source or dev folder ships: /test/x.test.ts',
      'project file ships: /tsconfig.json',
      'stray build output ships: /out/debug.mjs',
    ]);
  });
});

describe('packaging smoke (electron-builder --dir against a placeholder Electron)', () => {
  beforeAll(async () => {
    await buildNode(['main', 'preload']);
    await ensureRendererBuilt();
  }, 120_000);

  it('ships main, preload and renderer, and no source, test or dev-only files', () => {
    const result = packageSmoke();
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.ours).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/out/main/index.cjs',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
      ]),
    );
  }, 120_000);
});
