// Browser host overhead: one contract call (POST /api/app/info) through every check the host makes
// (Host, token, Origin, custom header, JSON, schema parse of input and output), against a bare
// node:http server answering the same JSON on the same machine. Also the sample send through the host
// against the same send made on the studio table directly.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startHost } from '../../electron/host/serve';
import { createStudio } from '../../electron/services/studio/index';

const calls = 400;

async function timeSequential(n: number, once: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 20; i++) await once();
  const t = performance.now();
  for (let i = 0; i < n; i++) await once();
  return (performance.now() - t) / n;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

export async function run(): Promise<Record<string, unknown>> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-host-'));
  const studio = createStudio({ shell: 'browser', userDataDir: path.join(tmp, 'user'), env: {} });
  await writeFile(path.join(tmp, 'index.html'), '<!doctype html>');
  const host = await startHost({ rendererDir: tmp, studio });
  const info = JSON.stringify(await studio.handle('app:info', {}));
  const raw = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(info);
    });
  });
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', () => r()));
  const rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/api/app/info`;
  const headers = {
    Authorization: `Bearer ${host.token}`,
    'Content-Type': 'application/json',
    'X-Studio-Request': '1',
  };
  const post = async (url: string): Promise<void> => {
    const res = await fetch(url, { method: 'POST', headers, body: '{}' });
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    await res.text();
  };
  try {
    const hostMs = await timeSequential(calls, () => post(`${host.origin}/api/app/info`));
    const rawMs = await timeSequential(calls, () => post(rawUrl));

    const dir = path.join(tmp, 'sample');
    const snapshot = await studio.handle('collection:init', { dir });
    const enrich = snapshot.webhooks.find((w) => w.webhook.url.includes('/enrich'))!;
    const send = { dir, webhook: enrich.webhook, context: snapshot.contexts[0]!.context };
    let n = 0;
    const viaHostMs = await timeSequential(100, async () => {
      const res = await fetch(`${host.origin}/api/webhook/send`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...send, sendId: `h${n++}` }),
      });
      if (res.status !== 200) throw new Error(`send answered ${res.status}`);
      await res.text();
    });
    const directMs = await timeSequential(100, async () => {
      await studio.handle('webhook:send', { ...send, sendId: `d${n++}` });
    });
    return {
      appInfoViaHostMs: {
        value: round(hostMs),
        baseline: 'bare node:http server, same JSON',
        baselineMs: round(rawMs),
        ratio: round(hostMs / rawMs),
      },
      sampleSendViaHostMs: {
        value: round(viaHostMs),
        baseline: 'the same send on the studio table, no HTTP',
        baselineMs: round(directMs),
        ratio: round(viaHostMs / directMs),
      },
      calls,
    };
  } finally {
    await host.close();
    await studio.close();
    await new Promise<void>((r) => raw.close(() => r()));
    await rm(tmp, { recursive: true, force: true });
  }
}
