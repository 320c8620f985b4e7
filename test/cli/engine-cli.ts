// Helpers for the engine CLI tests: real files in a temp folder, the built CLI run as users run it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

export const cliPath = path.resolve('out/cli/index.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd: string): CliRun {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export class TempFolder {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'engine-cli-'));
  /** Writes a file: objects as YAML, strings as they are. Returns the relative name. */
  write(name: string, content: unknown): string {
    writeFileSync(path.join(this.dir, name), typeof content === 'string' ? content : stringify(content));
    return name;
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
