import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudio } from '../../electron/services/studio/index';
import { ok, startRawServer, type RawServer } from '../electron/services/sender/raw-server';

const cli = path.resolve(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js');

let tmp: string;
let home: string;
let collection: string;
let server: RawServer;

/** A clean environment: HOME is a temp folder, and no secret or proxy setting leaks in from the machine. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(out))
    if (/^(https?|no|all)_proxy$/i.test(k) || k.startsWith('WEBHOOK_STUDIO_') || k === 'XDG_DATA_HOME') delete out[k];
  return { ...out, HOME: home, ...extra };
}

function runCli(
  args: string[],
  extra: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: collection,
      env: env(extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out;
}

const HEADER_SECRET = 'hdr-SECRET-value-1';
const TOKEN_SECRET = 'tok-SECRET-value-2';
const PASSWORD = 'pw-SECRET-value-3';

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'secrets-cli-'));
  home = path.join(tmp, 'home');
  collection = path.join(tmp, 'collection');
  await mkdir(home, { recursive: true });
  // Echoes what it received, as a careless service would: the secrets come back in the answer.
  server = await startRawServer((request, socket) => {
    const text = request.toString('utf8');
    const echoed = JSON.stringify({ company: 'Acme', echo: text.replace(/\r\n/g, ' ') });
    socket.write(ok(echoed, `Content-Type: application/json\r\nX-Echo: ${text.split('\r\n')[0]}\r\n`));
  });
  await mkdir(path.join(collection, 'webhooks'), { recursive: true });
  await mkdir(path.join(collection, 'contexts'), { recursive: true });
  await writeFile(path.join(collection, 'collection.yaml'), 'name: Leak test\n');
  const url = `${server.url.replace('http://', 'http://robin:{{my.Password}}@')}/hook?key={{my.Token}}`;
  await writeFile(
    path.join(collection, 'webhooks', 'leak.webhook.yaml'),
    [
      'name: Leak',
      `url: ${JSON.stringify(url)}`,
      'method: POST',
      'encoding: json',
      'responseType: json',
      `template: '{"email": {{lead.Email}}, "token": {{my.Token}}}'`,
      'headers:',
      '  - name: Content-Type',
      '    value: application/json',
      '  - name: X-Api-Key',
      '    secret: true',
      '  - name: X-Token',
      "    value: 'Bearer {{my.Token}}'",
      'mappings:',
      '  - attribute: echo',
      '    field: Company',
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(collection, 'contexts', 'c.context.yaml'),
    'name: c\nlead:\n  Email: sandy@example.com\nmy:\n  Token: { type: text, secret: true }\n  Password: { type: text, secret: true }\n',
  );
});

afterAll(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('secret sources in the CLI', () => {
  it('WEBHOOK_STUDIO_SECRET_MY_<TOKEN> fills a secret My Token, and the collection .env a secret header', async () => {
    await writeFile(path.join(collection, '.env'), `WEBHOOK_STUDIO_SECRET_X_API_KEY=${HEADER_SECRET}\n`);
    const before = server.received.length;
    const sent = await runCli(
      ['send', 'webhooks/leak.webhook.yaml', '--context', 'contexts/c.context.yaml', '--json'],
      { WEBHOOK_STUDIO_SECRET_MY_TOKEN: TOKEN_SECRET, WEBHOOK_STUDIO_SECRET_MY_PASSWORD: PASSWORD },
    );
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    const wire = (server.received[before] as Buffer).toString('utf8');
    expect(wire).toContain(`POST /hook?key=${TOKEN_SECRET} HTTP/1.1`);
    expect(wire).toContain(`X-Api-Key: ${HEADER_SECRET}\r\n`);
    expect(wire).toContain(`X-Token: Bearer ${TOKEN_SECRET}\r\n`);
    expect(wire).toContain(`"token": "${TOKEN_SECRET}"`);
    expect(wire).toContain(`Authorization: Basic ${Buffer.from(`robin:${PASSWORD}`).toString('base64')}`);
    for (const v of [HEADER_SECRET, TOKEN_SECRET, PASSWORD]) expect(sent.stdout).not.toContain(v);
    await rm(path.join(collection, '.env'));
  });

  it('a missing secret refuses the send, naming it and where it could come from', async () => {
    const before = server.received.length;
    const refused = await runCli(['send', 'webhooks/leak.webhook.yaml', '--context', 'contexts/c.context.yaml'], {
      WEBHOOK_STUDIO_SECRET_X_API_KEY: HEADER_SECRET,
      WEBHOOK_STUDIO_SECRET_MY_PASSWORD: PASSWORD,
    });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('my.Token');
    expect(refused.stdout).toContain('WEBHOOK_STUDIO_SECRET_MY_TOKEN');
    expect(server.received.length).toBe(before);
  });

  it('leak test: send, run (100 leads), history, every export and report; no secret value in any file written', async () => {
    // The browser host stores two of the secrets (as typed in the UI) in the per-user store under HOME;
    // the third comes from the environment.
    const studio = createStudio({ shell: 'browser', userDataDir: path.join(home, '.webhook-studio'), env: env() });
    try {
      await studio.handle('secrets:set', { dir: collection, name: 'X-Api-Key', value: HEADER_SECRET });
      await studio.handle('secrets:set', { dir: collection, name: 'my.Password', value: PASSWORD });
      const listed = await studio.handle('secrets:list', { dir: collection });
      expect(listed).toEqual({
        backend: 'private-file',
        secrets: [
          { name: 'my.Password', source: 'store' },
          { name: 'X-Api-Key', source: 'store' },
        ],
      });
      const opened = await studio.handle('collection:open', { dir: collection });
      const webhook = opened.webhooks.find((w) => w.path.endsWith('leak.webhook.yaml'));
      const context = opened.contexts.find((c) => c.path.endsWith('c.context.yaml'));
      expect(webhook && context).toBeTruthy();
      // History, through the same channel the studio uses (the token from the host's environment).
      const hostEnvStudio = createStudio({
        shell: 'browser',
        userDataDir: path.join(home, '.webhook-studio'),
        env: env({ WEBHOOK_STUDIO_SECRET_MY_TOKEN: TOKEN_SECRET }),
      });
      try {
        const before = server.received.length;
        const ex = await hostEnvStudio.handle('webhook:send', {
          sendId: 'leak-1',
          dir: collection,
          webhookPath: webhook!.path,
          webhook: webhook!.webhook,
          context: context!.context,
        });
        expect(ex.outcome).toBe('updated');
        expect((server.received[before] as Buffer).toString('utf8')).toContain(`X-Api-Key: ${HEADER_SECRET}`);
      } finally {
        await hostEnvStudio.close();
      }
    } finally {
      await studio.close();
    }
    const secretsEnv = { WEBHOOK_STUDIO_SECRET_MY_TOKEN: TOKEN_SECRET };
    const sent = await runCli(
      ['send', 'webhooks/leak.webhook.yaml', '--context', 'contexts/c.context.yaml', '--json'],
      secretsEnv,
    );
    expect(sent.code).toBe(0);
    const sentHuman = await runCli(
      ['send', 'webhooks/leak.webhook.yaml', '--context', 'contexts/c.context.yaml'],
      secretsEnv,
    );
    expect(sentHuman.code).toBe(0);
    const rows = ['Email', ...Array.from({ length: 100 }, (_, i) => `lead${i}@example.com`)].join('\n');
    await writeFile(path.join(tmp, 'leads.csv'), `${rows}\n`);
    const out = path.join(tmp, 'run-out');
    const before = server.received.length;
    const run = await runCli(
      [
        'run',
        'webhooks/leak.webhook.yaml',
        '--context',
        'contexts/c.context.yaml',
        '--leads',
        path.join(tmp, 'leads.csv'),
        '--concurrency',
        '4',
        '--out',
        out,
      ],
      secretsEnv,
    );
    expect(run.stderr).not.toContain('Error');
    expect(server.received.length - before).toBe(100);
    expect((server.received[before] as Buffer).toString('utf8')).toContain(TOKEN_SECRET);
    const exportsDir = path.join(collection, 'exports');
    await mkdir(exportsDir, { recursive: true });
    const printed = [sent.stdout, sent.stderr, sentHuman.stdout, sentHuman.stderr, run.stdout, run.stderr];
    for (const format of ['bundle', 'postman', 'curl', 'marketo']) {
      const exported = await runCli(
        ['export', collection, '--format', format, '--context', 'c', '--out', path.join(exportsDir, `leak.${format}`)],
        secretsEnv,
      );
      expect(exported.code, exported.stderr).toBe(0);
      printed.push(exported.stdout, exported.stderr);
    }
    // Exports carry placeholders where the secrets go.
    const curl = await readFile(path.join(exportsDir, 'leak.curl'), 'utf8');
    expect(curl).toContain(`/hook?key='"$WEBHOOK_STUDIO_SECRET_MY_TOKEN"`);
    expect(curl).toContain(`-H 'Authorization: '"$WEBHOOK_STUDIO_SECRET_URL_CREDENTIALS"`);
    expect(curl).toContain(`-H 'X-Api-Key: '"$WEBHOOK_STUDIO_SECRET_X_API_KEY"`);
    expect(curl).toContain(`"token": "'"$WEBHOOK_STUDIO_SECRET_MY_TOKEN"'"}'`);
    const postman = await readFile(path.join(exportsDir, 'leak.postman'), 'utf8');
    expect(postman).toContain('/hook?key={{secret my.Token}}');
    expect(postman).toContain('Bearer {{secret my.Token}}');
    const files = [...(await filesUnder(home)), ...(await filesUnder(collection)), ...(await filesUnder(out))];
    expect(files.some((f) => f.includes(`${path.sep}history${path.sep}`))).toBe(true);
    expect(files.some((f) => f.endsWith('results.jsonl'))).toBe(true);
    expect(files.some((f) => f.endsWith('secrets.json'))).toBe(true);
    const hits: string[] = [];
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      for (const v of [HEADER_SECRET, TOKEN_SECRET, PASSWORD]) {
        // The store itself holds the values it was given: that is its job (mode 0600, checked elsewhere).
        if (text.includes(v) && !f.endsWith(`${path.sep}.webhook-studio${path.sep}secrets.json`))
          hits.push(`${v} in ${f}`);
      }
    }
    for (const [i, text] of printed.entries())
      for (const v of [HEADER_SECRET, TOKEN_SECRET, PASSWORD])
        if (text.includes(v)) hits.push(`${v} printed by command ${i}`);
    expect(hits).toEqual([]);
  }, 180_000);
});
