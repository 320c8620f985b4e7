// No import cycles (issue 17): a newcomer can read any module without first reading the module that
// imports it. Walks every .ts/.tsx file under electron/, renderer/src/ and shared/, follows relative
// imports and the tsconfig `paths` aliases (type-only imports too: a type cycle still ties two files
// together), and names every cycle it finds.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const roots = ['electron', 'renderer/src', 'shared'];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

interface BaseConfig {
  compilerOptions: { paths: Record<string, string[]> };
}

/** `['@shared/', '<root>/shared/']`, … from tsconfig.base.json's `paths`. */
function aliases(): [string, string][] {
  const config = JSON.parse(readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')) as BaseConfig;
  return Object.entries(config.compilerOptions.paths).flatMap(([key, targets]) =>
    targets
      .slice(0, 1)
      .map((target): [string, string] => [key.replace('*', ''), path.join(root, target.replace('*', ''))]),
  );
}

const aliasList = aliases();

/** The file a specifier names, or undefined for a package import. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  let base: string | undefined;
  if (specifier.startsWith('.')) base = path.resolve(path.dirname(from), specifier);
  else {
    const alias = aliasList.find(([prefix]) => specifier.startsWith(prefix));
    if (alias) base = path.join(alias[1], specifier.slice(alias[0].length));
  }
  if (base === undefined) return undefined;
  const stem = base.replace(/\.(m?js|tsx?)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')];
  return candidates.find((c) => /\.tsx?$/.test(c) && existsSync(c) && statSync(c).isFile());
}

/** Every module a file imports or re-exports from (static imports, `import type` included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const statement of source.statements) {
    const specifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
    if (specifier && ts.isStringLiteral(specifier)) {
      const target = resolveSpecifier(file, specifier.text);
      if (target !== undefined) out.push(target);
    }
  }
  return out;
}

/** Each cycle once, as the files along it (Tarjan's strongly connected components, then one loop in each). */
function findCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components.map((component) => loopWithin(graph, new Set(component)));
}

/** One concrete loop through a strongly connected component, starting at its first file in sort order. */
function loopWithin(graph: Map<string, string[]>, members: Set<string>): string[] {
  const start = [...members].sort()[0] ?? '';
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] ?? '';
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const loop = [node];
        while (loop[0] !== start) loop.unshift(previous.get(loop[0] ?? '') ?? start);
        return loop;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [...members];
}

describe('imports', () => {
  const files = roots.flatMap((dir) => sources(path.join(root, dir)));
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
  const edges = (from: string): string[] => (graph.get(path.join(root, from)) ?? []).map((f) => path.relative(root, f));

  it('are followed through the aliases and type-only imports (so no cycle hides behind them)', () => {
    // electron/services/studio/types.ts reaches shared/contract.ts only by `import type` from '@shared/contract'.
    expect(edges('electron/services/studio/types.ts')).toContain('shared/contract.ts');
    expect(edges('electron/services/collection/index.ts')).toContain('electron/services/collection/open.ts');
  });

  it('form no cycle among electron/, renderer/src/ and shared/', () => {
    const cycles = findCycles(graph).map((loop) =>
      [...loop, loop[0] ?? ''].map((file) => path.relative(root, file)).join(' → '),
    );
    expect(cycles).toEqual([]);
  });
});
