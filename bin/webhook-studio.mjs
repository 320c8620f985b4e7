#!/usr/bin/env node
// The installed `webhook-studio` command: the built CLI bundle.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/cli/index.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('webhook-studio: the CLI is not built yet; run `npm run build` first\n');
  process.exit(2);
}
await import(cli);
