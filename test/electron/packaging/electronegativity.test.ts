import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan, unallowed } from '../../../scripts/electronegativity.mjs';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('electronegativity', () => {
  it('finds nothing outside the allow-list in our sources', () => {
    const { findings, failing } = scan();
    expect(failing).toEqual([]);
    expect(findings.map((f) => f.rule).sort()).toEqual(expect.arrayContaining(['PRELOAD_JS_CHECK']));
  }, 180_000);

  it('fails a window that drops isolation, sandbox and web security', async () => {
    const src = await mkdtemp(path.join(os.tmpdir(), 'studio-eneg-bad-'));
    dirs.push(src);
    await mkdir(path.join(src, 'electron'));
    await writeFile(
      path.join(src, 'electron', 'bad.ts'),
      "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false, webSecurity: false } });\nw.loadURL('http://example.com/');\n",
    );
    const { failing } = scan({ sources: src });
    const rules = failing.map((f) => f.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        'CONTEXT_ISOLATION_JS_CHECK',
        'SANDBOX_JS_CHECK',
        'WEB_SECURITY_JS_CHECK',
        'CSP_GLOBAL_CHECK',
      ]),
    );
  }, 180_000);

  it('allows only the reviewed variant of the CSP finding', () => {
    const base = { level: 'warning', file: 'renderer/index.html', line: 5 };
    expect(
      unallowed([
        { ...base, rule: 'CSP_GLOBAL_CHECK', message: 'One or more CSP directives detected seems to be vulnerable' },
      ]),
    ).toEqual([]);
    expect(
      unallowed([{ ...base, rule: 'CSP_GLOBAL_CHECK', message: 'No CSP has been detected in the target application' }]),
    ).toHaveLength(1);
    expect(
      unallowed([{ ...base, rule: 'CSP_GLOBAL_CHECK', message: 'One or more CSP directives detected are vulnerable' }]),
    ).toHaveLength(1);
    expect(unallowed([{ ...base, rule: 'NODE_INTEGRATION_JS_CHECK', message: 'x' }])).toHaveLength(1);
  });
});
