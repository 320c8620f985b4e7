// `npm test`: typecheck, build, then every Vitest project (node, renderer, e2e in Chromium).
// Prints a closing line `N passed, N failed` because CI reads that line, not Vitest's own summary.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const args = process.argv.slice(2);
const e2eOnly = args.includes('--e2e-only');
const report = '.vitest-report.json';

function step(label, cmd, cmdArgs) {
  const t = Date.now();
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: false });
  console.log(`[test] ${label}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${Date.now() - t} ms`);
  return r.status === 0;
}

let failedSteps = 0;
if (!e2eOnly) {
  if (!step('typecheck', 'npm', ['run', '-s', 'typecheck'])) failedSteps++;
  // typescript-eslint (strict, type-checked), the folder boundaries and the size bar: eslint.config.mjs.
  if (!step('lint', 'npx', ['eslint', '.'])) failedSteps++;
  // Formatting is part of the build's contract: a file Prettier would change fails the run (`npm run format` fixes it).
  if (!step('format', 'npx', ['prettier', '--check', '--log-level', 'warn', '.'])) failedSteps++;
}
if (!step('build', 'node', ['scripts/build.mjs'])) failedSteps++;

rmSync(report, { force: true });
const projects = e2eOnly ? ['--project', 'e2e'] : [];
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  { stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  skipped = r.numPendingTests + r.numTodoTests;
  // A suite that fails to load has no tests; count it so it cannot pass silently.
  for (const s of r.testResults ?? []) if (s.status === 'failed' && (s.assertionResults ?? []).length === 0) failed++;
} else {
  failed++;
}
failed += failedSteps;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && vitest.status === 0 ? 0 : 1);
