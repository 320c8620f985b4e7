import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../../electron/host/serve';
import { createStudio, type Studio } from '@services/studio/index';
import { initCollection } from '@services/collection/index';
import { errorOf, rawRequest } from './http-helper';

let tmp: string;
let dir: string;
let host: Host;
let studio: Studio;
let hostName: string;
let cookie: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-host-report-'));
  const rendererDir = path.join(tmp, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Webhook Studio</title>');
  dir = path.join(tmp, 'collection');
  await mkdir(dir);
  await initCollection(dir);
  // A finished run's folder as the runner leaves it, with its private leads file next to the reports.
  const run = path.join(dir, '.studio', 'runs', 'run-1');
  await mkdir(run, { recursive: true });
  await writeFile(path.join(run, 'summary.json'), '{"state":"done"}');
  await writeFile(path.join(run, 'report.html'), '<!DOCTYPE html><p>report</p>');
  await writeFile(path.join(run, 'leads.csv'), 'Email Address\nprivate@example.com\n', { mode: 0o600 });
  await writeFile(path.join(tmp, 'secret.txt'), 'TOP-SECRET');
  await symlink(path.join(tmp, 'secret.txt'), path.join(run, 'junit.xml'));
  studio = createStudio({ shell: 'browser', userDataDir: path.join(tmp, 'data'), env: {} });
  host = await startHost({ rendererDir, studio, port: 0 });
  hostName = new URL(host.origin).host;
  const login = await rawRequest(host.origin, 'GET', `/?token=${host.token}`, { Host: hostName });
  cookie = (login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
});

afterAll(async () => {
  await host.close();
  await studio.close();
  await rm(tmp, { recursive: true, force: true });
});

const report = (body: unknown) =>
  rawRequest(
    host.origin,
    'POST',
    '/api/runner/report',
    { Host: hostName, Cookie: cookie, 'Content-Type': 'application/json', 'X-Studio-Request': '1' },
    JSON.stringify(body),
  );

describe('browser host: runner/report', () => {
  it('answers a run’s report by its fixed name', async () => {
    const reply = await report({ dir, runId: 'run-1', name: 'report.html' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      name: 'report.html',
      mediaType: 'text/html',
      content: '<!DOCTYPE html><p>report</p>',
    });
  });

  it('refuses any other name, a link out of the folder, and a run name that climbs out', async () => {
    for (const name of ['leads.csv', 'results.jsonl', '../../../secret.txt', 'summary.json\u0000']) {
      const reply = await report({ dir, runId: 'run-1', name });
      expect(reply.status, name).toBeGreaterThanOrEqual(400);
      expect(reply.body).not.toContain('private@example.com');
    }
    const other = await report({ dir, runId: 'run-1', name: 'leads.csv' });
    expect(other.status).toBe(403);
    expect(errorOf(other)).toMatchObject({
      code: 'not-a-report',
      where: 'name',
      message:
        "'leads.csv' is not a report of a run; a run's reports are summary.json, report.html, junit.xml, lead-updates.csv",
    });
    const linked = await report({ dir, runId: 'run-1', name: 'junit.xml' });
    expect(linked.status).toBe(403);
    expect(linked.body).not.toContain('TOP-SECRET');
    expect(errorOf(linked).code).toBe('not-a-report');
    const climbing = await report({ dir, runId: '../..', name: 'summary.json' });
    expect(climbing.status).toBe(400);
    expect(errorOf(climbing).code).toBe('bad-input');
  });
});
