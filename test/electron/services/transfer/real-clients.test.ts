import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatcher, type Catcher } from '@services/catcher/index';
import { initCollection, openCollection, saveWebhook } from '@services/collection/index';
import { CATCHER_ORIGIN, sampleCatcherRules } from '@services/collection/sample';
import { createSender, type Sender } from '@services/sender/index';
import { exportCollection } from '@services/transfer/index';
import type { CaughtRequest, CollectionSnapshot } from '@shared/contract';

/**
 * Exports checked by real clients: newman runs the exported Postman collection and curl runs the
 * exported command against the built-in catcher, and the catcher must receive the bytes the studio's
 * own send puts on the wire: the same request line, the same body bytes and the same header lines.
 *
 * What is ignored, and only this: the order of the header lines and the letter case of header
 * names (HTTP header names are case-insensitive; curl writes `Host`, the studio `host`). No header
 * line is ignored: curl's and newman's own headers (User-Agent, Accept, Postman-Token, Cache-Control,
 * Accept-Encoding) are switched off by the export, because Marketo sends none of them.
 */

const run = promisify(execFile);
const newman = path.resolve(__dirname, '../../../../node_modules/.bin/newman');

let work: string;
let dir: string;
let catcher: Catcher;
let sender: Sender;
let snap: CollectionSnapshot;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'h3-clients-'));
  dir = path.join(work, 'c');
  catcher = await startCatcher({ rules: sampleCatcherRules() });
  sender = createSender({ proxy: 'none' });
  const initial = await initCollection(dir);
  const origin = catcher.url.replace(/\/$/, '');
  for (const w of initial.webhooks) {
    await saveWebhook(dir, {
      path: w.path,
      baseVersion: w.version,
      webhook: { ...w.webhook, url: w.webhook.url.replace(CATCHER_ORIGIN, origin) },
    });
  }
  // A URL that a normalising client would change: a dot segment, an encoded slash, a token with & and |.
  await saveWebhook(dir, {
    folder: 'edge',
    webhook: {
      name: 'Odd URL',
      url: `${origin}/odd/%2Fslash/../keep?who={{lead.First Name}}&pipe=a|b`,
      method: 'GET',
      encoding: 'form-url',
    },
  });
  snap = await openCollection(dir);
});

afterAll(async () => {
  await sender.close();
  await catcher.close();
  await rm(work, { recursive: true, force: true });
});

interface Wire {
  requestLine: string;
  headers: string[];
  body: string;
}

function wire(r: CaughtRequest): Wire {
  const [requestLine = '', ...lines] = r.head.split('\r\n').filter((l) => l !== '');
  const headers = lines.map((l) => {
    const colon = l.indexOf(':');
    return `${l.slice(0, colon).toLowerCase()}:${l.slice(colon + 1)}`;
  });
  return { requestLine, headers: headers.sort(), body: `${r.bodyEncoding}:${r.body}` };
}

async function caughtDuring(action: () => Promise<unknown>): Promise<Wire[]> {
  const since = catcher.requests().at(-1)?.seq ?? 0;
  await action();
  return catcher.requests(since).map(wire);
}

describe.each(['contexts/plain-lead.context.yaml', 'contexts/tricky-lead.context.yaml'])(
  'exports for %s',
  (contextPath) => {
    it('curl and newman put the studio’s bytes on the wire', async () => {
      const context = snap.contexts.find((c) => c.path === contextPath)!.context;
      for (const w of snap.webhooks) {
        let outcome = '';
        let written: string[] = [];
        const studio = await caughtDuring(async () => {
          const ex = await sender.send({
            sendId: `${w.path}-${contextPath}`,
            webhook: w.webhook,
            context,
            fields: snap.fields,
            profile: snap.profile,
          });
          outcome = ex.outcome;
          written = (ex.mapping?.mappings ?? []).filter((m) => m.written).map((m) => m.field);
        });
        expect(studio, w.path).toHaveLength(1);
        // The sample's canned catcher answers fill every mapping of the sample webhooks.
        if (w.webhook.name !== 'Odd URL') {
          expect(outcome, w.path).toBe('updated');
          expect(written, w.path).toEqual(w.webhook.mappings.map((m) => m.field));
        }
        if (w.webhook.name === 'Odd URL')
          expect(studio[0]!.requestLine).toMatch(/^GET \/odd\/%2Fslash\/\.\.\/keep\?who=\S+&pipe=a\|b HTTP\/1\.1$/);

        const curlExport = await exportCollection(dir, { format: 'curl', webhookPaths: [w.path], contextPath });
        expect(curlExport.content).toContain('--path-as-is');
        const byCurl = await caughtDuring(() => run('sh', ['-c', curlExport.content], { timeout: 20_000 }));
        expect(byCurl, `curl for ${w.path}`).toEqual(studio);

        const postman = await exportCollection(dir, { format: 'postman', webhookPaths: [w.path], contextPath });
        const file = path.join(work, `${path.basename(w.path)}.postman_collection.json`);
        await writeFile(file, postman.content);
        const byNewman = await caughtDuring(() =>
          run(newman, ['run', file, '--reporters', 'cli', '--bail'], { timeout: 60_000 }),
        );
        expect(byNewman, `newman for ${w.path}`).toEqual(studio);
      }
    }, 120_000);
  },
);
