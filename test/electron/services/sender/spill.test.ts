import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { nodeTsconfig } from '../../../../scripts/aliases.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistory } from '@services/history/index';
import { createSender, type Sender } from '@services/sender/index';
import { releaseBodyFile, spillFolderOf, sweepSpilledBodies } from '@services/sender/spill';
import { tokenContextSchema, webhookSchema } from '@shared/model';
import { startRawServer, type RawServer } from './raw-server';

// Issue 11, item 7: bodies over 1 MiB used to stay in the temp folder forever, readable by everyone.

const posix = process.platform !== 'win32';
const big = Buffer.alloc(2 * 1024 * 1024 + 3, 'b');
let server: RawServer;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'sender-spill-'));
  server = await startRawServer((_req, socket) => {
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n`);
    socket.write(big);
  });
});
afterAll(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

let n = 0;
const sendBig = (sender: Sender) =>
  sender.send({
    sendId: `spill-${++n}`,
    webhook: webhookSchema.parse({ name: 'big', url: `${server.url}/big`, method: 'GET', responseType: 'none' }),
    context: tokenContextSchema.parse({ name: 'c' }),
  });

async function newTemp(): Promise<string> {
  return mkdtemp(path.join(tmp, 't-'));
}

/** A small program that sends once with the real sender and prints the body file, then ends as told. */
let built: Promise<string> | undefined;
function childProgram(): Promise<string> {
  return (built ??= buildChild());
}
async function buildChild(): Promise<string> {
  const entry = path.join(tmp, 'child.ts');
  const sender = path.resolve('electron/services/sender/index.ts');
  await writeFile(
    entry,
    `import { createSender } from ${JSON.stringify(sender)};
const [url, tempDir, how] = process.argv.slice(2);
const sender = createSender({ proxy: 'none', tempDir });
void sender.send({ sendId: 'child', webhook: { name: 'b', url, method: 'GET', encoding: 'json', template: '', headers: [], responseType: 'none', mappings: [] } as never, context: { name: 'c' } as never }).then((ex) => {
  process.stdout.write(String(ex.response?.bodyFile) + '\\n');
  if (how === 'kill') setInterval(() => undefined, 1000);
  else process.exit(0);
});
`,
  );
  const out = path.join(tmp, 'child.cjs');
  await build({
    entryPoints: [entry],
    tsconfig: nodeTsconfig,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'silent',
  });
  return out;
}

function runChild(
  program: string,
  tempDir: string,
  how: 'exit' | 'kill',
): Promise<{ file: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [program, `${server.url}/big`, tempDir, how], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: path.resolve('.'),
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (how === 'kill' && out.includes('\n')) child.kill('SIGKILL');
    });
    child.on('exit', (code) => resolve({ file: out.trim(), code }));
  });
}

describe('where a body over 1 MiB is kept', () => {
  it('in a folder of its own only this user can enter (0700), the file 0600', async () => {
    const tempDir = await newTemp();
    const sender = createSender({ proxy: 'none', tempDir });
    const ex = await sendBig(sender);
    await sender.close();
    const file = ex.response?.bodyFile as string;
    expect(path.dirname(file)).toBe(spillFolderOf(tempDir));
    expect(statSync(file).size).toBe(big.length);
    if (posix) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    }
  });

  it.runIf(posix)('a folder of that name left open to others is closed to them first', async () => {
    const tempDir = await newTemp();
    await mkdir(spillFolderOf(tempDir));
    await chmod(spillFolderOf(tempDir), 0o777);
    const sender = createSender({ proxy: 'none', tempDir });
    const ex = await sendBig(sender);
    await sender.close();
    expect(ex.response?.bodyFile).toBeDefined();
    expect(statSync(spillFolderOf(tempDir)).mode & 0o777).toBe(0o700);
  });

  it.runIf(posix)(
    'a link in the folder’s place is not followed: the body stays in memory and the exchange says why',
    async () => {
      const tempDir = await newTemp();
      const elsewhere = await newTemp();
      await symlink(elsewhere, spillFolderOf(tempDir));
      const sender = createSender({ proxy: 'none', tempDir });
      const ex = await sendBig(sender);
      await sender.close();
      expect(ex.outcome).toBe('updated');
      expect(ex.response?.bodyFile).toBeUndefined();
      expect(ex.response?.bodyBytes).toBe(big.length);
      expect(ex.response?.body.length).toBe(1024 * 1024);
      expect(ex.diagnostics.find((d) => d.code === 'body-file-failed')?.message).toContain('not a folder');
      expect(await readdir(elsewhere)).toEqual([]);
    },
  );
});

describe('how long a body file stays', () => {
  it('it is deleted when the process exits', async () => {
    const tempDir = await newTemp();
    const program = await childProgram();
    const { file, code } = await runChild(program, tempDir, 'exit');
    expect(code).toBe(0);
    expect(path.dirname(file)).toBe(spillFolderOf(tempDir));
    expect(existsSync(file)).toBe(false);
  });

  it('one left by a killed process is swept when the next sender starts', async () => {
    const tempDir = await newTemp();
    const program = await childProgram();
    const { file } = await runChild(program, tempDir, 'kill');
    expect(existsSync(file)).toBe(true);
    const sender = createSender({ proxy: 'none', tempDir });
    for (let i = 0; i < 100 && existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
    await sender.close();
    expect(existsSync(file)).toBe(false);
  });

  it('the sweep takes files of gone processes and files older than a day, and nothing else', async () => {
    const tempDir = await newTemp();
    const folder = spillFolderOf(tempDir);
    await mkdir(folder, { mode: 0o700 });
    const dead = (await runChild(await childProgram(), tempDir, 'kill')).file;
    const name = (pid: number, i: number) => path.join(folder, `webhook-studio-x-${pid}-${Date.now()}${i}.body`);
    const mine = name(process.pid, 1);
    const keptRecent = name(0, 2);
    const keptOld = name(0, 3);
    const mineOld = name(process.pid, 4);
    const other = path.join(folder, 'notes.txt');
    for (const f of [mine, keptRecent, keptOld, mineOld, other]) await writeFile(f, 'x');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(keptOld, twoDaysAgo, twoDaysAgo);
    await utimes(mineOld, twoDaysAgo, twoDaysAgo);
    expect(await sweepSpilledBodies(tempDir)).toBe(3);
    expect([dead, keptOld, mineOld].map(existsSync)).toEqual([false, false, false]);
    expect([mine, keptRecent, other].map(existsSync)).toEqual([true, true, true]);
  });

  it('files earlier versions left straight in the temp folder are swept by the same rules', async () => {
    const tempDir = await newTemp();
    const dead = (await runChild(await childProgram(), await newTemp(), 'kill')).file;
    const deadPid = /-(\d+)-\d+\.body$/.exec(dead)?.[1] as string;
    const legacyDead = path.join(tempDir, `webhook-studio-x-${deadPid}-1.body`);
    const legacyLive = path.join(tempDir, `webhook-studio-x-${process.pid}-2.body`);
    await writeFile(legacyDead, 'x');
    await writeFile(legacyLive, 'x');
    const link = path.join(tempDir, `webhook-studio-x-${deadPid}-3.body`);
    if (posix) await symlink(legacyLive, link);
    await sweepSpilledBodies(tempDir);
    expect(existsSync(legacyDead)).toBe(false);
    expect(existsSync(legacyLive)).toBe(true);
    // A link planted in a shared folder is not ours to judge; it stays.
    if (posix) expect((await readdir(tempDir)).includes(path.basename(link))).toBe(true);
  });

  it('`webhook-studio send` keeps the file it names after it ends (swept by age only)', async () => {
    const dir = await newTemp();
    const hook = path.join(dir, 'big.yaml');
    await writeFile(hook, `name: big\nurl: ${JSON.stringify(`${server.url}/big`)}\nmethod: GET\nresponseType: none\n`);
    await writeFile(path.join(dir, 'ctx.yaml'), 'name: c\n');
    const cli = path.resolve('out/cli/index.js');
    const out = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [cli, 'send', hook, '--context', path.join(dir, 'ctx.yaml')], {
        cwd: dir,
        env: { ...process.env, TMPDIR: dir, TMP: dir, TEMP: dir, HTTP_PROXY: '', http_proxy: '' },
      });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.on('exit', () => resolve(text));
    });
    const file = /whole body in (\S+)\)/.exec(out)?.[1] as string;
    expect(file).toBeDefined();
    expect(path.dirname(file)).toBe(spillFolderOf(dir));
    expect(path.basename(file)).toMatch(/^webhook-studio-cli-0-\d+\.body$/);
    expect(statSync(file).size).toBe(big.length);
    // A start does not take it: no process owns it, and it is not a day old.
    await sweepSpilledBodies(dir);
    expect(existsSync(file)).toBe(true);
  });

  it('it is deleted when history drops its exchange', async () => {
    const tempDir = await newTemp();
    const sender = createSender({ proxy: 'none', tempDir });
    const first = await sendBig(sender);
    const second = await sendBig(sender);
    await sender.close();
    const collection = await newTemp();
    const history = createHistory(collection, { limitPerWebhook: 1 });
    await history.record('big.webhook.yaml', first);
    expect(existsSync(first.response?.bodyFile as string)).toBe(true);
    await history.record('big.webhook.yaml', second);
    expect(existsSync(first.response?.bodyFile as string)).toBe(false);
    expect(existsSync(second.response?.bodyFile as string)).toBe(true);
  });

  it('releasing never deletes anything but a body file in a spill folder', async () => {
    const lookalike = path.join(tmp, `webhook-studio-x-${process.pid}-1.body`);
    await writeFile(lookalike, 'keep me');
    await releaseBodyFile(lookalike);
    await releaseBodyFile(path.join(spillFolderOf(tmp), '..', '..', 'etc-passwd'));
    expect(existsSync(lookalike)).toBe(true);
  });
});
