import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CatcherRulesError,
  loadCatcherRules,
  parseCatcherRules,
  startCatcher,
  type Catcher,
} from '@services/catcher/index';

/** Writes raw bytes on one connection and collects everything until the server closes or `until` matches. */
function raw(port: number, chunks: Array<string | Buffer>, until?: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d) => {
      got += d.toString('utf8');
      if (until && until.test(got)) {
        socket.destroy();
        resolve(got);
      }
    });
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
    socket.on('connect', () => {
      void (async () => {
        for (const c of chunks) {
          socket.write(c);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
    });
  });
}

let catcher: Catcher;
let tmp: string;
beforeAll(async () => {
  catcher = await startCatcher();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'catcher-'));
});
afterAll(async () => {
  await catcher.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('the catcher', () => {
  it('listens on 127.0.0.1 on a random port and answers 200 {"ok":true} by default', async () => {
    expect(catcher.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(catcher.port).toBeGreaterThan(0);
    const answer = await raw(catcher.port, ['GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n']);
    expect(answer.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(answer.endsWith('\r\n\r\n{"ok":true}')).toBe(true);
  });

  it('records the exact bytes, even split across packets, with a chunked body kept raw', async () => {
    const since = catcher.requests().at(-1)?.seq ?? 0;
    const head =
      'POST /in?x=%26 HTTP/1.1\r\nHOST: Example\r\nx-odd-Case:  spaced  \r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    const body = '5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: t\r\n\r\n';
    await raw(catcher.port, [head.slice(0, 10), head.slice(10) + body.slice(0, 7), body.slice(7)]);
    const [r] = catcher.requests(since);
    expect(r?.method).toBe('POST');
    expect(r?.target).toBe('/in?x=%26');
    expect(r?.head).toBe(head);
    expect(r?.body).toBe(body);
    expect(r?.bodyEncoding).toBe('utf8');
  });

  it('keeps a body that is not UTF-8 as base64', async () => {
    const since = catcher.requests().at(-1)?.seq ?? 0;
    await raw(catcher.port, [
      Buffer.concat([
        Buffer.from('POST / HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\n'),
        Buffer.from([0xff, 0xfe, 0x00]),
      ]),
    ]);
    const [r] = catcher.requests(since);
    expect(r?.bodyEncoding).toBe('base64');
    expect(Buffer.from(r?.body ?? '', 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0x00]));
  });

  it('answers keep-alive requests on one connection, in order', async () => {
    const twoRequests = 'GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n';
    const answer = await raw(catcher.port, [twoRequests], /(\{"ok":true\}[\s\S]*){2}/);
    expect(answer.match(/HTTP\/1\.1 200 OK/g)?.length).toBe(2);
  });

  it('answers per the first matching rule: method, exact path, prefix, status, reason, headers, body, delay', async () => {
    catcher.setRules([
      { method: 'POST', path: '/exact', status: 201, headers: [{ name: 'X-Rule', value: 'exact' }], body: '{"id":1}' },
      { path: '/api/*', status: 404, reason: 'Nope', body: 'missing' },
      { path: '/slow', delayMs: 50, body: 'late' },
    ]);
    try {
      const exact = await raw(catcher.port, [
        'POST /exact?q=1 HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      ]);
      expect(exact).toBe(
        'HTTP/1.1 201 Created\r\nX-Rule: exact\r\nContent-Length: 8\r\nConnection: close\r\n\r\n{"id":1}',
      );
      const wrongMethod = await raw(catcher.port, ['GET /exact HTTP/1.1\r\nConnection: close\r\n\r\n']);
      expect(wrongMethod.startsWith('HTTP/1.1 200 OK')).toBe(true);
      const prefix = await raw(catcher.port, ['GET /api/v1/leads HTTP/1.1\r\nConnection: close\r\n\r\n']);
      expect(prefix.startsWith('HTTP/1.1 404 Nope\r\n')).toBe(true);
      expect(prefix.endsWith('missing')).toBe(true);
      const slow = await raw(catcher.port, ['GET /slow HTTP/1.1\r\nConnection: close\r\n\r\n']);
      expect(slow.endsWith('late')).toBe(true);
    } finally {
      catcher.setRules([]);
    }
  });

  it('answers garbage with 400 and closes, and keeps running', async () => {
    const answer = await raw(catcher.port, ['NOT HTTP\r\n\r\n']);
    expect(answer.startsWith('HTTP/1.1 400 Bad Request\r\n')).toBe(true);
    const after = await raw(catcher.port, ['GET / HTTP/1.1\r\nConnection: close\r\n\r\n']);
    expect(after.startsWith('HTTP/1.1 200 OK')).toBe(true);
  });

  it('tells listeners about each request, until they unsubscribe', async () => {
    const seen: string[] = [];
    const off = catcher.onRequest((r) => seen.push(r.target));
    await raw(catcher.port, ['GET /one HTTP/1.1\r\nConnection: close\r\n\r\n']);
    off();
    await raw(catcher.port, ['GET /two HTTP/1.1\r\nConnection: close\r\n\r\n']);
    expect(seen).toEqual(['/one']);
  });

  it('answers Expect: 100-continue before the body comes, and records the request as sent', async () => {
    const since = catcher.requests().at(-1)?.seq ?? 0;
    const head = 'POST /big HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n';
    const socket = connect(catcher.port, '127.0.0.1');
    let got = '';
    const done = new Promise<void>((resolve) => socket.on('end', () => resolve()));
    socket.on('data', (d) => {
      got += d.toString();
      if (got === 'HTTP/1.1 100 Continue\r\n\r\n') socket.write('hello');
    });
    socket.write(head);
    await done;
    expect(got.startsWith('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n')).toBe(true);
    expect(catcher.requests(since)[0]?.head).toBe(head);
    expect(catcher.requests(since)[0]?.body).toBe('hello');
  });

  it('answers HEAD with the headers only', async () => {
    const answer = await raw(catcher.port, ['HEAD /x HTTP/1.1\r\nConnection: close\r\n\r\n']);
    expect(answer).toBe(
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n',
    );
  });

  it('bounds the memory of what it keeps by size as well as by count', async () => {
    const small = await startCatcher({ maxKeptBytes: 2000 });
    try {
      for (let i = 0; i < 5; i++)
        await raw(small.port, [
          `POST /${i} HTTP/1.1\r\nContent-Length: 900\r\nConnection: close\r\n\r\n${'x'.repeat(900)}`,
        ]);
      expect(small.requests().map((r) => r.target)).toEqual(['/3', '/4']);
    } finally {
      await small.close();
    }
  });

  it('keeps only the last N requests', async () => {
    const small = await startCatcher({ keep: 3 });
    try {
      for (let i = 0; i < 5; i++) await raw(small.port, [`GET /${i} HTTP/1.1\r\nConnection: close\r\n\r\n`]);
      expect(small.requests().map((r) => r.target)).toEqual(['/2', '/3', '/4']);
      expect(small.requests(4).map((r) => r.seq)).toEqual([5]);
    } finally {
      await small.close();
    }
  });
});

describe('catcher rules files', () => {
  it('reads a YAML list and a JSON {rules} object', async () => {
    const yamlFile = path.join(tmp, 'rules.yaml');
    await writeFile(
      yamlFile,
      '- method: POST\n  path: /hook\n  status: 500\n  body: "boom"\n- path: /slow/*\n  delayMs: 10\n',
    );
    expect(await loadCatcherRules(yamlFile)).toEqual([
      { method: 'POST', path: '/hook', status: 500, body: 'boom' },
      { path: '/slow/*', delayMs: 10 },
    ]);
    expect(parseCatcherRules('{"rules":[{"status":204}]}', 'r.json')).toEqual([{ status: 204 }]);
  });

  it('names the file, line and field of a mistake', () => {
    const attempt = () => parseCatcherRules('- path: /ok\n- path: /x\n  status: 99\n', 'rules.yaml');
    expect(attempt).toThrow(CatcherRulesError);
    expect(attempt).toThrow(/rules\.yaml:3:\d+: .*rule 2, status.*100 to 599/);
    expect(() => parseCatcherRules('{"rules":[{"stauts":200}]}', 'r.json')).toThrow(/r\.json.*stauts/);
    expect(() => parseCatcherRules('- headers: [{name: "X", value: "a\\nb"}]\n', 'h.yaml')).toThrow(/line break/);
  });

  it('a missing file is a clear error', async () => {
    await expect(loadCatcherRules(path.join(tmp, 'nope.yaml'))).rejects.toThrow(
      /cannot read the rules file .*no such file/,
    );
  });
});
