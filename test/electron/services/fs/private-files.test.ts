import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTempName, tempNameFor, writePrivateFile } from '@services/fs/private-files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'h3-private-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('writePrivateFile', () => {
  it('writes 0600 in a 0700 folder (created with its parents), replacing atomically, with no temp file left', async () => {
    const file = path.join(dir, 'a', 'b', 'results.jsonl');
    await writePrivateFile(file, 'one\n');
    await writePrivateFile(file, Buffer.from('two\n'));
    expect(await readFile(file, 'utf8')).toBe('two\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, 'a'))).mode & 0o777).toBe(0o700);
    expect(await readdir(path.dirname(file))).toEqual(['results.jsonl']);
  });

  it('names its temp files so a sweep can tell the writer', () => {
    const tmp = path.basename(tempNameFor(path.join(dir, 'x.webhook.yaml')));
    expect(parseTempName(tmp)).toEqual({ target: 'x.webhook.yaml', pid: process.pid });
    expect(parseTempName('.x.webhook.yaml')).toBeUndefined();
  });
});
