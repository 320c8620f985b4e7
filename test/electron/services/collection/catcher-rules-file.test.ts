import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  collectionCatcherRules,
  fmtCollection,
  initCollection,
  openCollection,
  saveCatcherRules,
  watchCollection,
} from '@services/collection/index';
import { studioErrorOf } from '../../studio-error';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'catcher-rules-file-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('catcher.yaml in a collection', () => {
  it('is absent until saved, then round-trips in its disk form (keys in the schema order)', async () => {
    await initCollection(work);
    expect((await openCollection(work)).catcherRules).toBeUndefined();
    await saveCatcherRules(work, [
      { status: 404, path: '/enrich', method: 'POST', body: '{"error":"no such lead"}' },
      { rateLimit: { requests: 2, windowMs: 1000 }, delayMs: 31000 },
    ]);
    const text = await readFile(path.join(work, 'catcher.yaml'), 'utf8');
    expect(text).toBe(
      [
        '- method: POST',
        '  path: /enrich',
        '  status: 404',
        '  body: \'{"error":"no such lead"}\'',
        '- delayMs: 31000',
        '  rateLimit:',
        '    requests: 2',
        '    windowMs: 1000',
        '',
      ].join('\n'),
    );
    const snap = await openCollection(work);
    expect(snap.catcherRules).toEqual([
      { method: 'POST', path: '/enrich', status: 404, body: '{"error":"no such lead"}' },
      { delayMs: 31000, rateLimit: { requests: 2, windowMs: 1000 } },
    ]);
    expect(await collectionCatcherRules(work)).toEqual(snap.catcherRules);
    expect((await fmtCollection(work)).changed).not.toContain('catcher.yaml');
  });

  it('keeps comments an outside edit put in when the app saves again', async () => {
    await initCollection(work);
    await writeFile(path.join(work, 'catcher.yaml'), '# answers for the Marketo tests\n- status: 500\n');
    await saveCatcherRules(work, [{ status: 503 }]);
    expect(await readFile(path.join(work, 'catcher.yaml'), 'utf8')).toBe(
      '# answers for the Marketo tests\n- status: 503\n',
    );
  });

  it('names the file, line, rule number and key of a bad rule, and loads the rest of the collection', async () => {
    await initCollection(work);
    await writeFile(path.join(work, 'catcher.yaml'), '- status: 404\n- path: /x\n  status: 99\n- stauts: 200\n');
    const snap = await openCollection(work);
    expect(snap.catcherRules).toBeUndefined();
    expect(snap.webhooks.length).toBeGreaterThan(0);
    const problems = snap.problems.filter((p) => p.file === 'catcher.yaml');
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [3, 'catcher.yaml at rule 2, status: a status is from 100 to 599'],
      [4, expect.stringMatching(/^catcher\.yaml at rule 3: Unrecognized key: "stauts"$/)],
    ]);
    await expect(collectionCatcherRules(work)).rejects.toThrow(/catcher\.yaml:3:\d+: .*rule 2, status/);
  });

  it('refuses to save a bad rule, naming its number and key, and writes nothing', async () => {
    await initCollection(work);
    const e = await studioErrorOf(
      saveCatcherRules(work, [{ status: 200 }, { status: 42, headers: [{ name: 'Bad Name', value: 'v' }] }]),
    );
    expect(e.code).toBe('bad-input');
    expect(e.message).toContain('catcher.yaml not saved: rule 2, status: a status is from 100 to 599');
    expect(e.message).toContain('rule 2, headers.0.name: a header name is letters');
    await expect(readFile(path.join(work, 'catcher.yaml'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('an empty catcher.yaml holds no rules', async () => {
    await initCollection(work);
    await writeFile(path.join(work, 'catcher.yaml'), '# nothing yet\n');
    const snap = await openCollection(work);
    expect(snap.catcherRules).toEqual([]);
    expect(snap.problems).toEqual([]);
  });

  it("is watched like the other collection files: an outside edit is reported, the app's own save is not", async () => {
    await initCollection(work);
    const seen: string[][] = [];
    const stop = watchCollection(work, (paths) => seen.push(paths));
    try {
      await new Promise((r) => setTimeout(r, 100));
      await saveCatcherRules(work, [{ status: 404 }]);
      await new Promise((r) => setTimeout(r, 400));
      expect(seen).toEqual([]);
      await writeFile(path.join(work, 'catcher.yaml'), '- status: 500\n');
      const deadline = Date.now() + 5000;
      while (!seen.flat().includes('catcher.yaml') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(seen.flat()).toContain('catcher.yaml');
    } finally {
      stop();
    }
  });
});
