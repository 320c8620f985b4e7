import { buildNode } from '../../scripts/build-node.mjs';

// Vitest global setup: bundle the CLI once so that CLI tests spawn the same program users run.
export default async function setup(): Promise<void> {
  await buildNode(['cli']);
}
