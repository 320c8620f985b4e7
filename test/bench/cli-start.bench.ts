// CLI start-up: `webhook-studio --version` (the installed bin, as users run it) against bare
// `node -e ''`, as whole processes in alternating pairs so both see the same load on a shared machine.
// Each command is a chunk of its own (scripts/build-node.mjs), loaded only when it runs.
// Goal: at most 2x bare node. Also reports `render --help`, which loads one command's chunk.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { median } from './median';

const RUNS = 15;

function timeProcess(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export async function run(): Promise<Record<string, unknown>> {
  // The bench runs from the repository root (npm run bench); the CLI is built if it is not yet.
  const bin = path.resolve('bin/webhook-studio.mjs');
  if (!existsSync(path.resolve('out/cli/index.js'))) {
    const b = spawnSync(
      process.execPath,
      ['-e', "import('./scripts/build-node.mjs').then((m) => m.buildNode(['cli']))"],
      { stdio: 'inherit' },
    );
    if (b.status !== 0) throw new Error('the CLI could not be built');
  }
  const version = [bin, '--version'];
  const help = [bin, 'render', '--help'];
  const bare = ['-e', ''];
  // Warm the file cache for all three.
  for (const a of [version, help, bare]) timeProcess(a);
  const v: number[] = [];
  const h: number[] = [];
  const n: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate the order, so neither always runs on a warmer or colder machine.
    const first = i % 2 === 0;
    const b0 = first ? timeProcess(bare) : 0;
    const x = timeProcess(version);
    const b = first ? b0 : timeProcess(bare);
    v.push(x);
    n.push(b);
    ratios.push(x / b);
    h.push(timeProcess(help));
  }
  const ratio = median(ratios);
  return {
    runs: RUNS,
    versionMedianMs: Number(median(v).toFixed(1)),
    bareNodeMedianMs: Number(median(n).toFixed(1)),
    ratioToBareNode: Number(ratio.toFixed(2)),
    renderHelpMedianMs: Number(median(h).toFixed(1)),
    renderHelpRatioToBareNode: Number((median(h) / median(n)).toFixed(2)),
    goal: "`webhook-studio --version` within 2x `node -e ''` (ratioToBareNode <= 2)",
    goalMet: ratio <= 2,
  };
}
