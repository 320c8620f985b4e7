// Studio UI speed in Debian's Chromium against the real browser host:
// 1. keystroke in a 10 KB template → live preview updated (median; goal ≤ 16 ms), beside a plain
//    <textarea> echoing into a <pre> in the same page (the browser's own floor for "a key shows up");
// 2. the longest main-thread task while a 50 MB JSON response is opened (goal ≤ 100 ms), beside a plain
//    JSON.parse of the same 50 MB on the main thread in the same page. The page's /api/webhook/send is
//    redirected to a loopback server answering a 50 MB exchange, so the page's whole path runs: the
//    HTTP answer, its off-thread parse, the store, the body worker and the virtualised views. A third figure
//    is the real sender path, which keeps the first 1 MB of a large body in memory.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { startHost } from '../../electron/host/serve';
import { initCollection } from '../../electron/services/collection/index';
import {
  addEchoTextareaScript,
  keyProbeScript,
  keyTimesScript,
  longTasksScript,
  mainThreadParseScript,
  removeEchoTextareaScript,
  watchLongTasksScript,
} from '../e2e/page-scripts';
import { bigJson, setEditor } from '../e2e/page-actions';
import { median } from './median';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const KEYSTROKES = 60;

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** A JSON template of about 10 KB with 100 lead tokens, as a large enrichment payload would be. */
function tenKbTemplate(): string {
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < 10 * 1024 - 200; i++) {
    const token =
      i % 3 === 0
        ? '{{lead.Email Address}}'
        : i % 3 === 1
          ? '{{lead.First Name:default=Friend}}'
          : '{{company.Company Name}}';
    lines.push(`  "field_${i}": ${token}, "note_${i}": "${'n'.repeat(40)}",`);
  }
  return `{\n${lines.join('\n')}\n  "end": true\n}`;
}

async function installKeyProbe(page: Page, selector: string): Promise<void> {
  await page.evaluate(keyProbeScript(selector));
}

async function keyTimes(page: Page): Promise<number[]> {
  return page.evaluate<number[]>(keyTimesScript);
}

async function startLongTasks(page: Page): Promise<void> {
  await page.evaluate(watchLongTasksScript);
}

/**
 * Installed before the page loads: records every JSON.parse of more than 1 MB and every TextDecoder
 * decode of more than 1 MB on the main thread, with where it was called from. The 50 MB path must
 * have none; the bench fails loudly when it has (workers have their own JSON and are not recorded).
 */
const bigMainThreadWorkScript = `(() => {
  const seen = (window.__bigMainThreadWork = []);
  const parse = JSON.parse;
  JSON.parse = function (text, reviver) {
    if (typeof text === 'string' && text.length > 1048576) seen.push({ what: 'JSON.parse', size: text.length, stack: String(new Error().stack) });
    return parse.call(this, text, reviver);
  };
  const decode = TextDecoder.prototype.decode;
  TextDecoder.prototype.decode = function (input, options) {
    const size = input ? input.byteLength : 0;
    if (size > 1048576) seen.push({ what: 'TextDecoder.decode', size, stack: String(new Error().stack) });
    return decode.call(this, input, options);
  };
})()`;

type BigWork = { what: string; size: number; stack: string };

async function bigMainThreadWork(page: Page): Promise<BigWork[]> {
  return page.evaluate<BigWork[]>('window.__bigMainThreadWork.splice(0)');
}

async function longest(page: Page): Promise<number> {
  return Math.max(0, ...(await page.evaluate<number[]>(longTasksScript)));
}

export async function run(): Promise<Record<string, unknown>> {
  if (!existsSync('out/renderer/index.html'))
    await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });
  const root = mkdtempSync(path.join(tmpdir(), 'ui-bench-'));
  const collectionDir = path.join(root, 'collection');
  mkdirSync(path.join(root, 'user-data'));
  await initCollection(collectionDir);
  const host = await startHost({
    collectionDir,
    port: 0,
    rendererDir: 'out/renderer',
    userDataDir: path.join(root, 'user-data'),
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  const big = bigJson(50 * 1024 * 1024);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(big) });
    res.end(big);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.addInitScript(bigMainThreadWorkScript);
    await page.goto(host.url);
    await page.getByTestId('preview-body').waitFor();

    // 1. Keystroke → preview, in the sample "Enrich lead (JSON)" webhook with a 10 KB template.
    await setEditor(page, 'Template', tenKbTemplate());
    await page.getByTestId('preview-body').waitFor();
    await installKeyProbe(page, '[data-testid="preview-body"]');
    const editor = page.getByRole('textbox', { name: 'Template', exact: true });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    for (let i = 0; i < KEYSTROKES; i++) await page.keyboard.type('a', { delay: 20 });
    const studioKeys = await keyTimes(page);

    await page.evaluate(addEchoTextareaScript);
    await installKeyProbe(page, '#bench-pre');
    await page.locator('#bench-ta').focus();
    for (let i = 0; i < KEYSTROKES; i++) await page.keyboard.type('a', { delay: 20 });
    const baseKeys = await keyTimes(page);
    await page.evaluate(removeEchoTextareaScript);

    // 2. A 50 MB response through the page's whole path.
    const exchange = {
      id: 'bench-50mb',
      webhook: 'Enrich lead (JSON)',
      startedAt: new Date().toISOString(),
      request: {
        method: 'POST',
        url: 'http://catcher.local/enrich',
        origin: 'http://catcher.local',
        requestTarget: '/enrich',
        head: 'POST /enrich HTTP/1.1\r\n\r\n',
        body: '{}',
        bodyEncoding: 'utf8',
      },
      response: {
        httpVersion: '1.1',
        status: 200,
        reason: 'OK',
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        head: 'HTTP/1.1 200 OK\r\n\r\n',
        body: big,
        bodyEncoding: 'utf8',
        bodyBytes: big.length,
        truncated: false,
      },
      timings: { dnsMs: null, connectMs: 1, tlsMs: null, sentMs: 1, ttfbMs: 20, downloadMs: 200, totalMs: 222 },
      outcome: 'updated',
      message: '',
      redirects: [],
      diagnostics: [],
    };
    const answer = JSON.stringify(exchange);
    // The answer streams from a loopback server like the host's own would; the request is only redirected.
    const answerServer = createServer((_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(answer),
        'Access-Control-Allow-Origin': '*',
      });
      res.end(answer);
    });
    await new Promise<void>((r) => answerServer.listen(0, '127.0.0.1', r));
    const answerUrl = `http://127.0.0.1:${(answerServer.address() as AddressInfo).port}/`;
    await page.route('**/api/webhook/send', (route) => route.continue({ url: answerUrl, method: 'GET' }));
    await startLongTasks(page);
    await bigMainThreadWork(page);
    await page.getByRole('button', { name: /^Send/ }).click();
    await page.getByTestId('response-status').waitFor({ timeout: 120_000 });
    await page.getByRole('region', { name: 'Pretty response body' }).waitFor({ timeout: 120_000 });
    await page.locator('.vrow').first().waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Tree', exact: true }).click();
    await page.locator('[data-path="items[0]"]').waitFor({ timeout: 120_000 });
    const studioLongest = await longest(page);
    const inlineWork = await bigMainThreadWork(page);
    await page.unroute('**/api/webhook/send');
    await new Promise((r) => answerServer.close(r));

    await startLongTasks(page);
    const parseMs = await page.evaluate<number>(mainThreadParseScript(50 * 1024 * 1024));

    // 3. The real sender path: a 50 MB answer from a loopback server (the sender keeps 1 MB in memory).
    const port = (server.address() as AddressInfo).port;
    await page.getByRole('button', { name: 'New webhook' }).click();
    await page.getByLabel('Request type').selectOption('GET');
    await setEditor(page, 'URL', `http://127.0.0.1:${port}/big`);
    await startLongTasks(page);
    await page.getByRole('button', { name: /^Send/ }).click();
    await page.locator('[data-path="items[0]"]').waitFor({ timeout: 120_000 });
    const senderLongest = await longest(page);

    // 4. "Open the whole 50 MB" from that partial answer: the host reads the saved file, the page shows all of it.
    await startLongTasks(page);
    await bigMainThreadWork(page);
    await page.getByRole('button', { name: /^Open the whole/ }).click();
    await page.getByRole('button', { name: /^Open the whole/ }).waitFor({ state: 'detached', timeout: 120_000 });
    await page.locator('[data-path="items[0]"]').waitFor({ timeout: 120_000 });
    const wholeLongest = await longest(page);
    const wholeWork = await bigMainThreadWork(page);

    // The page must never take a path that parses (or decodes) a large answer on the main thread.
    const mainThread = [
      ...inlineWork.map((w) => ({ ...w, path: 'inline 50 MB' })),
      ...wholeWork.map((w) => ({ ...w, path: 'Open the whole' })),
    ];
    if (mainThread.length > 0) {
      throw new Error(
        `the page did large work on the main thread:\n${mainThread.map((w) => `${w.path}: ${w.what} of ${w.size} bytes at\n${w.stack}`).join('\n\n')}`,
      );
    }

    const keyMedian = median(studioKeys);
    const baseMedian = median(baseKeys);
    return {
      keystrokeToPreview: {
        medianMs: round(keyMedian),
        p90Ms: round(studioKeys.slice().sort((a, b) => a - b)[Math.floor(studioKeys.length * 0.9)] ?? 0),
        samples: studioKeys.length,
        goalMs: 10,
        baseline: 'plain <textarea> → <pre> echo in the same page',
        baselineMedianMs: round(baseMedian),
        ratio: round(keyMedian / Math.max(baseMedian, 0.01)),
      },
      longestTaskOpening50MbJson: {
        longestTaskMs: round(studioLongest, 1),
        note: 'the Long Tasks API reports only tasks over 50 ms; 0 means none was that long',
        goalMs: 100,
        baseline: 'JSON.parse of the same 50 MB on the main thread',
        baselineMs: round(parseMs, 1),
        ratio: round(studioLongest / Math.max(parseMs, 0.01), 3),
      },
      longestTaskRealSender50Mb: {
        longestTaskMs: round(senderLongest, 1),
        note: 'the sender keeps the first 1 MB in memory; the rest goes to a file',
      },
      longestTaskOpenTheWhole50Mb: {
        longestTaskMs: round(wholeLongest, 1),
        goalMs: 100,
        note: '"Open the whole" of the real sender path: the host reads the saved body file',
      },
    };
  } finally {
    await browser.close();
    await host.close();
    await new Promise((r) => server.close(r));
    rmSync(root, { recursive: true, force: true });
  }
}
