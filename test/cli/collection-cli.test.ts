import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = path.resolve(__dirname, '../../out/cli/index.js');
const fixtures = path.resolve(__dirname, '../fixtures/import');
let work: string;

function cliRun(args: string[], cwd = work): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'h3-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('collection commands', () => {
  it('init creates the sample collection once, then refuses (exit 2), changing nothing', async () => {
    const first = await cliRun(['init', 'coll']);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining('3 webhooks, 2 contexts') });
    const before = await readFile(path.join(work, 'coll/collection.yaml'), 'utf8');
    const second = await cliRun(['init', 'coll']);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^webhook-studio init: .*already holds collection\.yaml/);
    expect(second.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(path.join(work, 'coll/collection.yaml'), 'utf8')).toBe(before);
  });

  it('init writes a .gitignore covering .studio/, .env and the temp files of interrupted saves', async () => {
    const ignore = await readFile(path.join(work, 'coll/.gitignore'), 'utf8');
    const lines = ignore.split('\n');
    for (const rule of ['.studio/', '.env', '.*.tmp']) expect(lines).toContain(rule);
  });

  it('fmt tells (never rewrites) a .gitignore that leaves out .env or the temp files', async () => {
    await cliRun(['init', 'old-ignore']);
    const file = path.join(work, 'old-ignore/.gitignore');
    await writeFile(file, '# mine\n.studio/\n');
    const r = await cliRun(['fmt', 'old-ignore']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      "notice: .gitignore does not ignore .env, .*.tmp: add these lines so that git never commits secrets, this machine's history or temp files\n",
    );
    expect(await readFile(file, 'utf8')).toBe('# mine\n.studio/\n');
    await writeFile(file, '/.studio\n.env\n*.tmp\n');
    expect((await cliRun(['fmt', 'old-ignore'])).stderr).toBe('');
  });

  it('init on a file, or under a file, fails in one line with exit 2', async () => {
    await writeFile(path.join(work, 'plain.txt'), 'x');
    for (const target of ['plain.txt', 'plain.txt/sub']) {
      const r = await cliRun(['init', target]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^webhook-studio init: .*(is a file|a file is in the way)/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(await readFile(path.join(work, 'plain.txt'), 'utf8')).toBe('x');
  });

  it('fmt leaves a fresh collection alone and reports broken files with exit 1', async () => {
    expect(await cliRun(['fmt', 'coll'])).toMatchObject({ code: 0, stdout: 'already formatted\n' });
    await writeFile(path.join(work, 'coll/webhooks/broken.webhook.yaml'), 'name: a\nname: b\n');
    const r = await cliRun(['fmt', 'coll']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/webhooks\/broken\.webhook\.yaml:2:1: .*twice/);
    await rm(path.join(work, 'coll/webhooks/broken.webhook.yaml'));
  });

  it('export: curl to stdout for a named webhook and context; postman and marketo to files', async () => {
    const curl = await cliRun([
      'export',
      'coll',
      '--format',
      'curl',
      '--webhook',
      'Send SMS (Form/Url)',
      '--context',
      'Tricky lead',
      '--out',
      '-',
    ]);
    expect(curl.code).toBe(0);
    expect(curl.stdout).toContain("curl --path-as-is --globoff -X POST 'http://catcher.local/sms/send'");
    expect(curl.stdout).toContain('Body=Hi+Jack+%26+Jill%2C+your+code+is+50%25+OFF+%26+MORE');
    const pm = await cliRun(['export', 'coll', '--format', 'postman', '--out', 'out.postman_collection.json']);
    expect(pm).toMatchObject({ code: 0, stdout: 'wrote 3 webhooks as postman to out.postman_collection.json\n' });
    expect(JSON.parse(await readFile(path.join(work, 'out.postman_collection.json'), 'utf8')).item).toHaveLength(3);
    const sheet = await cliRun(['export', 'coll', '--format', 'marketo', '--out', '-']);
    expect(sheet.stdout).toContain('## Account lookup (SOAP XML)');
  });

  it('export answers bad arguments with one line and exit 2', async () => {
    const unknown = await cliRun(['export', 'coll', '--format', 'curl', '--webhook', 'Nope', '--out', '-']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no webhook named 'Nope'/);
    expect((await cliRun(['export', 'coll', '--format', 'zip', '--out', '-'])).stderr).toMatch(
      /--format must be one of bundle, postman, curl, marketo/,
    );
    expect((await cliRun(['export', 'missing-dir', '--format', 'curl', '--out', '-'])).code).toBe(2);
  });

  it('import a real Postman collection; again without --overwrite it reports what it did not replace', async () => {
    const file = path.join(fixtures, 'postman-playing-with-refit.postman_collection.json');
    const first = await cliRun(['import', file, '--into', 'coll']);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n').filter((l) => l.startsWith('created '))).toHaveLength(6);
    const again = await cliRun(['import', file, '--into', 'coll']);
    expect(again.stdout).not.toContain('created ');
    expect(again.stderr).toContain(
      'not carried: webhooks/createpost.webhook.yaml: a webhook with this path is already in the collection',
    );
    const forced = await cliRun(['import', file, '--into', 'coll', '--overwrite']);
    expect(forced.stdout.split('\n').filter((l) => l.startsWith('replaced '))).toHaveLength(6);
  });

  it('import refuses what it cannot read, with exit 2', async () => {
    await writeFile(path.join(work, 'bin.dat'), Buffer.from([0x00, 0xff, 0x10]));
    const bin = await cliRun(['import', 'bin.dat', '--into', 'coll']);
    expect(bin).toMatchObject({ code: 2, stderr: expect.stringContaining('not a text file') });
    const verbatim = await cliRun([
      'import',
      path.join(fixtures, 'describe-lead-docs-verbatim.json'),
      '--into',
      'coll',
      '--format',
      'describe',
    ]);
    expect(verbatim.code).toBe(2);
    expect(verbatim.stderr).toMatch(/not valid JSON/);
    expect((await cliRun(['import', 'nope.json', '--into', 'coll'])).stderr).toMatch(/no such file/);
    // A named pipe is refused at once, never waited on.
    if (process.platform !== 'win32') {
      execFileSync('mkfifo', [path.join(work, 'pipe.json')]);
      const pipe = await cliRun(['import', 'pipe.json', '--into', 'coll']);
      expect(pipe).toMatchObject({ code: 2, stderr: expect.stringContaining('not a regular file') });
    }
  });

  it('import is all or nothing (exit 2, nothing new on disk), and --into a new folder makes it a collection', async () => {
    const hook = (p: string, i: number) => ({
      path: p,
      webhook: { name: `Bulk ${i}`, url: `https://example.com/${i}` },
    });
    const bad = {
      format: 'webhook-studio-bundle',
      version: 1,
      webhooks: [
        hook('webhooks/bulk/one.webhook.yaml', 1),
        hook('webhooks/bulk/two.webhook.yaml', 2),
        hook('webhooks/bulk//three.webhook.yaml', 3),
      ],
    };
    await writeFile(path.join(work, 'bad.webhooks.json'), JSON.stringify(bad));
    const r = await cliRun(['import', 'bad.webhooks.json', '--into', 'coll']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    await expect(readFile(path.join(work, 'coll/webhooks/bulk/one.webhook.yaml'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    const good = { ...bad, webhooks: bad.webhooks.slice(0, 2) };
    await writeFile(path.join(work, 'good.webhooks.json'), JSON.stringify(good));
    const fresh = await cliRun(['import', 'good.webhooks.json', '--into', 'brand-new']);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('created collection.yaml');
    expect(fresh.stdout).toContain('created webhooks/bulk/two.webhook.yaml');
    expect(await readFile(path.join(work, 'brand-new/.gitignore'), 'utf8')).toContain('.studio/');
  });
});
