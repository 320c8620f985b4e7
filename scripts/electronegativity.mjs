// Electronegativity scan of the Electron sources (main, preload, host, services) and the renderer's
// index.html. The tool is kept out of the project's dependencies (it brings eslint 7 and TypeScript
// 4.2): it is installed once in node_modules/.cache/eneg. It always exits 0, so this script reads its
// SARIF output and fails on any finding not on the commented allow-list.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allowed } from './electronegativity-allow.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const toolVersion = '1.10.3';
const toolDir = path.join(root, 'node_modules', '.cache', 'eneg');
const toolBin = path.join(toolDir, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');

function ensureTool() {
  const pkgFile = path.join(toolDir, 'node_modules', '@doyensec', 'electronegativity', 'package.json');
  if (existsSync(pkgFile) && JSON.parse(readFileSync(pkgFile, 'utf8')).version === toolVersion) return;
  mkdirSync(toolDir, { recursive: true });
  if (!existsSync(path.join(toolDir, 'package.json')))
    writeFileSync(path.join(toolDir, 'package.json'), '{"name":"eneg-cache","private":true}\n');
  const r = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', `@doyensec/electronegativity@${toolVersion}`],
    { cwd: toolDir, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`could not install @doyensec/electronegativity@${toolVersion} into ${toolDir}`);
}

/** SARIF results → findings: the rule, where, and what the tool says. */
export function findingsOf(sarif) {
  const run = sarif.runs?.[0] ?? {};
  const rules = new Map((run.tool?.driver?.rules ?? []).map((r) => [r.id, r]));
  return (run.results ?? []).map((r) => {
    const loc = r.locations?.[0]?.physicalLocation;
    return {
      rule: r.ruleId,
      level: r.level,
      file: loc?.artifactLocation?.uri ?? '',
      line: loc?.region?.startLine ?? 0,
      message: r.message?.text ?? rules.get(r.ruleId)?.shortDescription?.text ?? '',
    };
  });
}

/** Findings the allow-list does not cover. */
export function unallowed(findings, list = allowed) {
  return findings.filter((f) => !list.some((a) => a.rule === f.rule && (!a.message || a.message.test(f.message))));
}

/** Scans a staged copy of the sources (electron/ plus renderer/index.html, which carries the CSP meta tag). */
export function scan({ sources = root } = {}) {
  ensureTool();
  const stage = mkdtempSync(path.join(os.tmpdir(), 'studio-eneg-'));
  try {
    cpSync(path.join(sources, 'electron'), path.join(stage, 'electron'), { recursive: true });
    if (existsSync(path.join(sources, 'renderer', 'index.html'))) {
      mkdirSync(path.join(stage, 'renderer'));
      cpSync(path.join(sources, 'renderer', 'index.html'), path.join(stage, 'renderer', 'index.html'));
    }
    const out = path.join(stage, 'result.sarif');
    const r = spawnSync(process.execPath, [toolBin, '-i', stage, '-e', '45.5.0', '-r', '-o', out], {
      cwd: stage,
      encoding: 'utf8',
    });
    if (!existsSync(out))
      throw new Error(
        `electronegativity produced no report (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`,
      );
    const findings = findingsOf(JSON.parse(readFileSync(out, 'utf8')));
    return { findings, failing: unallowed(findings) };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { findings, failing } = scan();
  for (const f of findings)
    console.log(`${failing.includes(f) ? 'FAIL ' : 'allow'} ${f.rule} ${f.file}:${f.line} ${f.message}`);
  console.log(`electronegativity: ${findings.length} findings, ${failing.length} not on the allow-list`);
  process.exit(failing.length ? 1 : 0);
}
