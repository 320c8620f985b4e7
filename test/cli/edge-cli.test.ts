// Hostile input through the CLI as users run it (issue 11 items 4 and 9): deep bodies, FIFOs, devices,
// negative numbers; each a clear line and an exit code, never a crash or a hang.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, runCli, TempFolder } from './engine-cli';

const tmp = new TempFolder();
afterAll(() => tmp.remove());

describe('map with a 100,000-deep body', () => {
  it.each([
    ['JSON', 'json', 'a', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    ['XML', 'xml', 'a.a', '<a>'.repeat(100_000) + 'x' + '</a>'.repeat(100_000)],
  ])('%s: too deep, reported, exit 1, no crash', (what, responseType, attribute, body) => {
    const webhook = tmp.write(`deep-${what}.webhook.yaml`, {
      name: 'deep',
      url: 'https://h.example/',
      responseType,
      mappings: [{ attribute, field: 'Title' }],
    });
    const file = tmp.write(`deep.${responseType}`, body);
    const json = runCli(['map', webhook, '--status', '200', '--body', file, '--json'], tmp.dir);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as { mappings: Array<{ written: boolean; reason: string }> };
    expect(out.mappings[0]).toMatchObject({ written: false, reason: 'too-deep' });
    const human = runCli(['map', webhook, '--status', '200', '--body', file], tmp.dir);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/not written: too-deep/);
    expect(human.stdout).toMatch(/response-too-deep/);
  });
});

describe('inputs that are not regular files', () => {
  const webhook = tmp.write('plain.webhook.yaml', {
    name: 'p',
    url: 'https://h.example/',
    responseType: 'json',
    mappings: [{ attribute: 'a', field: 'Title' }],
  });
  const context = tmp.write('plain.context.yaml', { name: 'c', lead: { Email: 'a@b.c' } });

  it('a FIFO with no writer as --context or --body: one line, exit 2, at once', () => {
    const fifo = path.join(tmp.dir, 'in.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const args of [
      ['render', webhook, '--context', fifo],
      ['map', webhook, '--status', '200', '--body', fifo],
      ['lint', fifo],
    ]) {
      const t0 = Date.now();
      const r = runCli(args, tmp.dir);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is a FIFO \(named pipe\), not a regular file/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('/dev/zero as --context or --body: refused as a device, never read', () => {
    for (const args of [
      ['render', webhook, '--context', '/dev/zero'],
      ['map', webhook, '--status', '200', '--body', '/dev/zero'],
      ['send', webhook, '--context', context, '--ca', '/dev/zero'],
    ]) {
      const r = runCli(args, tmp.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is a device, not a regular file/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it("a body larger than the profile's maxResponseBytes is refused without reading it", () => {
    const profile = tmp.write('small.profile.yaml', { maxResponseBytes: 10 });
    const body = tmp.write('eleven.json', '{"a":"xxx"}');
    const r = runCli(['map', webhook, '--status', '200', '--body', body, '--profile', profile], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the response body file 'eleven\.json' is larger than 10 bytes/);
  });

  it('a folder, a missing file: one line each', () => {
    expect(runCli(['map', webhook, '--status', '200', '--body', '.'], tmp.dir).stderr).toMatch(/it is a folder/);
    expect(runCli(['map', webhook, '--status', '200', '--body', 'nope.json'], tmp.dir).stderr).toMatch(/no such file/);
  });

  it('export --out to a FIFO is refused instead of waiting for a reader', () => {
    const fifo = path.join(tmp.dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = runCli(['export', tmp.dir, '--format', 'curl', '--out', fifo], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out '.*out\.fifo' is a FIFO/);
  });
});

describe('numbers and options', () => {
  const webhook = tmp.write('n.webhook.yaml', {
    name: 'n',
    url: 'https://h.example/',
    responseType: 'json',
    mappings: [{ attribute: 'a', field: 'Title' }],
  });
  const context = tmp.write('n.context.yaml', { name: 'c', lead: {} });

  it.each([
    [['map', webhook, '--status', '-5', '--body', 'x'], /--status '-5' is not an HTTP status code/],
    [
      ['send', webhook, '--context', context, '--timeout', '-5'],
      /--timeout must be a number of milliseconds from 1 to 600000, not '-5'/,
    ],
    [['catch', '--port', '-1'], /--port must be a number from 0 to 65535, not '-1'/],
    [['serve', '--port', '-1'], /--port must be a number from 0 to 65535, not '-1'/],
    [['map', webhook, '--bogus'], /Unknown option '--bogus' \(usage: webhook-studio map /],
  ])('%j: one line naming the problem, exit 2', (args, message) => {
    const r = runCli(args, tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')) as { version: string };
    const r = runCli(['--version'], tmp.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`webhook-studio ${pkg.version}\n`);
    const bin = spawnSync(process.execPath, [path.resolve('bin/webhook-studio.mjs'), '--version'], {
      encoding: 'utf8',
    });
    expect(bin.stdout).toBe(`webhook-studio ${pkg.version}\n`);
  });
});

describe('run with one 100,000-deep answer', () => {
  it('only that lead has too-deep mappings; the run completes and writes its reports', async () => {
    let n = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        n++;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(n === 3 ? '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) : '{"a":"Analyst"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const webhook = tmp.write('run-deep.webhook.yaml', {
        name: 'deep',
        url: `http://127.0.0.1:${port}/`,
        responseType: 'json',
        mappings: [{ attribute: 'a', field: 'Title' }],
      });
      const context = tmp.write('run-deep.context.yaml', { name: 'c', lead: {} });
      const leads = tmp.write('run-deep.csv', 'Email\na@x.y\nb@x.y\nc@x.y\nd@x.y\ne@x.y\n');
      const child = spawn(
        process.execPath,
        [cliPath, 'run', webhook, '--leads', leads, '--context', context, '--out', 'run-deep-out'],
        { cwd: tmp.dir },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(stderr).not.toMatch(/could not be written|Maximum call stack/);
      expect(code).toBe(1);
      const summary = JSON.parse(readFileSync(path.join(tmp.dir, 'run-deep-out', 'summary.json'), 'utf8')) as unknown;
      expect(JSON.stringify(summary)).toMatch(/too-deep/);
      // The journal's dispatch notes are not leads: one record per lead stays.
      const lines = readFileSync(path.join(tmp.dir, 'run-deep-out', 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('{"dispatched"'));
      expect(lines).toHaveLength(5);
      expect(lines.filter((l) => l.includes('too-deep'))).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});
