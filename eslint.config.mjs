// Lint as a habit: typescript-eslint's strict, type-checked rules, the folder boundaries (which runtime each
// folder may reach) and the size bar (no source file over 450 lines, no function over 80 without a reason).
// `npm test` runs it; `npx eslint .` locally.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** What each folder may not import, and why (was scripts/check-boundaries.mjs). */
// `paths` are exact module names (so `./url` is not Node's `url`); `patterns` are globs.
const nodeBuiltins = ['fs', 'path', 'os', 'http', 'https', 'net', 'tls', 'crypto', 'child_process', 'url', 'stream'];
const named = (names, message) => names.map((name) => ({ name, message }));
const boundaries = [
  {
    files: ['shared/**/*.ts'],
    paths: named([...nodeBuiltins, 'electron', 'react', 'react-dom', 'undici'], 'shared/ is pure TypeScript.'),
    patterns: [
      { group: ['node:*'], message: 'shared/ is pure TypeScript: no Node built-ins.' },
      { group: ['@services/*', '@renderer/*'], message: 'shared/ never reaches up into services or the renderer.' },
    ],
  },
  {
    files: ['electron/services/**/*.ts', 'electron/cli/**/*.ts', 'electron/host/**/*.ts'],
    paths: named(['electron'], 'services, the CLI and the host run in plain Node; Electron is injected from main.'),
    patterns: [],
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    paths: named(['electron', 'undici'], 'the renderer reaches the world only through its StudioApi.'),
    patterns: [
      { group: ['node:*'], message: 'the renderer reaches the world only through its StudioApi.' },
      { group: ['@services/*', '**/electron/services/**'], message: 'the renderer never imports services.' },
    ],
  },
];

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'test/fixtures/**', '**/*.d.mts', 'bin/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.shared.json', './tsconfig.node.json', './tsconfig.web.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Template literals with numbers and booleans read well in messages; objects are still caught.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // `onClick={() => setOpen(false)}` is the React idiom; a void result used as a value is still caught.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // With noUncheckedIndexedAccess every indexed read is optional; `rows[i]!` after a bounds check is the
      // honest form, and the alternative (a dead `if`) is what no-unnecessary-condition exists to remove.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Deprecations in libraries we pin (fast-xml-parser's XMLValidator, execCommand as the copy fallback)
      // are reported, not failed: each has a reason at its use.
      '@typescript-eslint/no-deprecated': 'warn',
    },
  },
  {
    // Tests read JSON from the wire and from files, where the assertion is the type check, hand methods to
    // `expect`, fake async APIs with plain values, remove environment variables by name, and close in
    // `afterAll` what a failed `beforeAll` may never have made (declared non-null, so `?.` looks needless).
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-dynamic-delete': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  ...boundaries.map(({ files, paths, patterns }) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
  })),
  {
    // The size bar for source (tests are lists of cases and may run long).
    files: ['electron/**/*.ts', 'renderer/src/**/*.{ts,tsx}', 'shared/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 450 }],
      'max-lines-per-function': ['error', { max: 80 }],
    },
  },
  {
    // Build scripts and configs are plain JavaScript outside the three TypeScript projects.
    files: ['**/*.{mjs,cjs,js}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
);
