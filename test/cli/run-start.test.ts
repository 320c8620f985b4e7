// What a `run` loads before its first lead: the built CLI's run command and the chunks it imports statically.
// Needs `node scripts/build.mjs` first, as the other CLI tests do.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.resolve('out/cli');

/** The chunks a chunk imports (or re-exports from) at load time; dynamic imports are left out. */
function staticImports(code: string): string[] {
  const found = code.matchAll(/(?:^|[;}\n])\s*(?:import|export)\s*(?:[^;"'()]*?from\s*)?["']\.\/([^"']+)["']/g);
  return [...found].map((m) => m[1] ?? '').filter((name) => name !== '');
}

/** The source files (from the source maps) of every chunk loaded with the run command. */
function runCommandSources(): Set<string> {
  const runChunk = readdirSync(dir).find((name) => /^run-[A-Z0-9]+\.js$/.test(name));
  if (runChunk === undefined) throw new Error('no run chunk in out/cli: build first (node scripts/build.mjs)');
  const seen = new Set<string>();
  const queue = [runChunk];
  const sources = new Set<string>();
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...staticImports(readFileSync(path.join(dir, name), 'utf8')));
    const map = JSON.parse(readFileSync(path.join(dir, `${name}.map`), 'utf8')) as { sources: string[] };
    for (const source of map.sources) sources.add(source.replace(/^(\.\.\/)+/, ''));
  }
  return sources;
}

describe('the run command at start', () => {
  it('loads the webhook, context, field catalog and profile schemas, and none of the ones it never checks', () => {
    const sources = runCommandSources();
    for (const used of ['webhook', 'context', 'field-catalog', 'profile'])
      expect(sources, used).toContain(`shared/model/${used}.ts`);
    // Exchanges, diagnostics, catcher rules and network files are the studio's, the catcher's and the host's:
    // built at module load, their schemas cost a run start-up time for nothing.
    for (const unused of ['exchange', 'rendered', 'diagnostic', 'catcher-rule', 'network'])
      expect(sources, unused).not.toContain(`shared/model/${unused}.ts`);
  });
});
