import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fmtCollection, initCollection, openCollection, saveTriggers } from '@services/collection/index';
import { studioErrorOf } from '../../studio-error';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'triggers-file-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('triggers.yaml in a collection', () => {
  it('is absent until saved, then round-trips in its disk form', async () => {
    await initCollection(work);
    expect((await openCollection(work)).triggers).toBeUndefined();
    await saveTriggers(work, [
      {
        name: 'Retry on 5xx',
        webhooks: ['Enrich lead'],
        constraints: [{ attribute: 'errorType', operator: 'is', values: ['Service Unavailable', 'Bad Gateway'] }],
      },
      { name: 'Any empty answer', constraints: [{ attribute: 'response', operator: 'is-empty' }] },
    ]);
    const text = await readFile(path.join(work, 'triggers.yaml'), 'utf8');
    expect(text).toBe(
      [
        '- name: Retry on 5xx',
        '  webhooks:',
        '    - Enrich lead',
        '  constraints:',
        '    - attribute: errorType',
        '      operator: is',
        '      values:',
        '        - Service Unavailable',
        '        - Bad Gateway',
        '- name: Any empty answer',
        '  constraints:',
        '    - attribute: response',
        '      operator: is-empty',
        '',
      ].join('\n'),
    );
    const snap = await openCollection(work);
    expect(snap.triggers?.map((t) => t.name)).toEqual(['Retry on 5xx', 'Any empty answer']);
    expect(snap.triggers?.[1]).toEqual({
      name: 'Any empty answer',
      webhooks: [],
      constraints: [{ attribute: 'response', operator: 'is-empty', values: [] }],
    });
    expect((await fmtCollection(work)).changed).not.toContain('triggers.yaml');
  });

  it('reports a bad triggers.yaml as a problem with its line, and loads the rest', async () => {
    await initCollection(work);
    await writeFile(
      path.join(work, 'triggers.yaml'),
      '- name: x\n  constraints:\n    - attribute: status\n      operator: is\n      values: [a]\n',
    );
    const snap = await openCollection(work);
    expect(snap.webhooks.length).toBeGreaterThan(0);
    const problem = snap.problems.find((p) => p.file === 'triggers.yaml');
    expect(problem).toMatchObject({ file: 'triggers.yaml', line: 3 });
  });

  it('refuses to save a constraint without a value, naming where', async () => {
    await initCollection(work);
    const err = await studioErrorOf(
      saveTriggers(work, [{ name: 'x', constraints: [{ attribute: 'response', operator: 'contains', values: [] }] }]),
    );
    expect(err.code).toBe('bad-input');
    expect(err.message).toContain('0.constraints.0.values');
  });
});
