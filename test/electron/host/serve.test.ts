import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChannelName, EventName, EventPayload } from '@shared/contract';
import { startHost, type Host } from '../../../electron/host/serve';
import { createStudio, type Studio } from '@services/studio/index';
import { errorOf, rawRequest } from './http-helper';

/** The real studio, with every call recorded and events that the test can fire. */
function recordingStudio(userDataDir: string) {
  const real = createStudio({ shell: 'browser', userDataDir, env: {} });
  const calls: string[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const studio: Studio = {
    handle: (channel, input) => {
      calls.push(channel);
      return real.handle(channel, input);
    },
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    close: () => real.close(),
  };
  const fire = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return { studio, calls, fire, listenerCount: (e: string) => listeners.get(e)?.size ?? 0 };
}

let tmp: string;
let host: Host;
let rec: ReturnType<typeof recordingStudio>;
let hostName: string;
let cookie: string;

const json = (extra: Record<string, string> = {}) => ({
  Host: hostName,
  Cookie: cookie,
  'Content-Type': 'application/json',
  'X-Studio-Request': '1',
  ...extra,
});

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-host-'));
  const rendererDir = path.join(tmp, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Webhook Studio</title>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(tmp, 'secret.txt'), 'TOP-SECRET');
  rec = recordingStudio(path.join(tmp, 'data'));
  host = await startHost({ rendererDir, studio: rec.studio, port: 0 });
  hostName = new URL(host.origin).host;
  const login = await rawRequest(host.origin, 'GET', `/?token=${host.token}`, { Host: hostName });
  const set = login.headers['set-cookie']?.[0] ?? '';
  cookie = set.split(';')[0] ?? '';
});

afterAll(async () => {
  await host.close();
  await rec.studio.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('browser host: where it listens', () => {
  it('prints a 127.0.0.1 address carrying the token', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('is not reachable on any address but 127.0.0.1', async () => {
    const port = Number(new URL(host.origin).port);
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal)
      .map((i) => i!.address);
    const candidates = [...others, '::1'];
    for (const address of candidates) {
      const outcome = await new Promise<string>((resolve) => {
        const s = connect({ host: address, port, timeout: 2000 });
        s.once('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        s.once('timeout', () => {
          s.destroy();
          resolve('timeout');
        });
      });
      expect(outcome, `connecting to ${address}:${port}`).not.toBe('connected');
    }
    const loopback = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve('connected');
      });
      s.once('error', () => resolve('error'));
    });
    expect(loopback).toBe('connected');
  });
});

describe('browser host: token', () => {
  it('trades the printed token for an HttpOnly, SameSite=Strict cookie and redirects to /', async () => {
    const reply = await rawRequest(host.origin, 'GET', `/?token=${host.token}`, { Host: hostName });
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('/');
    const set = reply.headers['set-cookie']?.[0] ?? '';
    expect(set).toContain(`studio_token_${new URL(host.origin).port}=${host.token}`);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\//);
  });

  it('answers 401 without the token, with a wrong token, and to a wrong token in the address', async () => {
    const noToken = await rawRequest(host.origin, 'POST', '/api/app/info', { ...json(), Cookie: '' }, '{}');
    expect(noToken.status).toBe(401);
    expect(errorOf(noToken).code).toBe('unauthorized');
    const wrong = await rawRequest(
      host.origin,
      'POST',
      '/api/app/info',
      json({ Cookie: `studio_token_${new URL(host.origin).port}=${'x'.repeat(host.token.length)}` }),
      '{}',
    );
    expect(wrong.status).toBe(401);
    const page = await rawRequest(host.origin, 'GET', '/', { Host: hostName });
    expect(page.status).toBe(401);
    const badLink = await rawRequest(host.origin, 'GET', '/?token=nope', { Host: hostName });
    expect(badLink.status).toBe(401);
    expect(badLink.headers['set-cookie']).toBeUndefined();
    expect(rec.calls).not.toContain('app:info');
  });

  it('accepts the token as a bearer for scripts', async () => {
    const reply = await rawRequest(
      host.origin,
      'POST',
      '/api/app/info',
      { ...json(), Cookie: '', Authorization: `Bearer ${host.token}` },
      '{}',
    );
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ shell: 'browser' });
  });
});

describe('browser host: Host and Origin', () => {
  it('refuses a foreign Host header (DNS rebinding) with 403, even with the token', async () => {
    for (const h of ['evil.example', `evil.example:${new URL(host.origin).port}`, '127.0.0.1:1']) {
      const reply = await rawRequest(host.origin, 'POST', '/api/app/info', json({ Host: h }), '{}');
      expect(reply.status, h).toBe(403);
      expect(errorOf(reply).code).toBe('forbidden');
    }
  });

  it('accepts localhost:<port> as well as 127.0.0.1:<port>', async () => {
    const reply = await rawRequest(
      host.origin,
      'POST',
      '/api/app/info',
      json({ Host: `localhost:${new URL(host.origin).port}` }),
      '{}',
    );
    expect(reply.status).toBe(200);
  });

  it('refuses another origin with 403', async () => {
    const before = rec.calls.length;
    const reply = await rawRequest(host.origin, 'POST', '/api/app/info', json({ Origin: 'http://evil.example' }), '{}');
    expect(reply.status).toBe(403);
    const otherPort = await rawRequest(
      host.origin,
      'POST',
      '/api/app/info',
      json({ Origin: 'http://127.0.0.1:1' }),
      '{}',
    );
    expect(otherPort.status).toBe(403);
    expect(rec.calls.length).toBe(before);
    const own = await rawRequest(host.origin, 'POST', '/api/app/info', json({ Origin: host.origin }), '{}');
    expect(own.status).toBe(200);
  });
});

describe('browser host: a cross-site form cannot send a webhook', () => {
  const form = 'webhook=%7B%7D&sendId=x';
  it('refuses a form post from another site, and one whose Origin is hidden, before any service runs', async () => {
    const before = rec.calls.length;
    const crossSite = await rawRequest(
      host.origin,
      'POST',
      '/api/webhook/send',
      {
        Host: hostName,
        Cookie: cookie,
        Origin: 'https://evil.example',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      form,
    );
    expect(crossSite.status).toBe(403);
    // A browser that sends the cookie but no Origin still cannot add the custom header from a form.
    const noOrigin = await rawRequest(
      host.origin,
      'POST',
      '/api/webhook/send',
      { Host: hostName, Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      form,
    );
    expect(noOrigin.status).toBe(403);
    expect(errorOf(noOrigin).message).toMatch(/X-Studio-Request/);
    // A text/plain form (enctype) with the header is still not JSON.
    const plain = await rawRequest(
      host.origin,
      'POST',
      '/api/webhook/send',
      { Host: hostName, Cookie: cookie, 'X-Studio-Request': '1', 'Content-Type': 'text/plain' },
      '{"a":1}',
    );
    expect(plain.status).toBe(415);
    expect(rec.calls.length).toBe(before);
  });
});

describe('browser host: the contract over HTTP', () => {
  it('answers a malformed payload with 400 and the schema message, before any service runs', async () => {
    const reply = await rawRequest(host.origin, 'POST', '/api/collection/open', json(), JSON.stringify({ dir: '' }));
    expect(reply.status).toBe(400);
    const err = errorOf(reply);
    expect(err.code).toBe('bad-input');
    expect(err.message).toContain('a collection folder is required');
    expect(err.issues).toEqual([{ path: 'dir', message: 'a collection folder is required' }]);
    const extra = await rawRequest(
      host.origin,
      'POST',
      '/api/webhook/cancel',
      json(),
      JSON.stringify({ sendId: 'a', evil: true }),
    );
    expect(extra.status).toBe(400);
    expect(errorOf(extra).message).toMatch(/evil/);
    const notJson = await rawRequest(host.origin, 'POST', '/api/webhook/cancel', json(), '{sendId');
    expect(notJson.status).toBe(400);
    expect(errorOf(notJson).message).toMatch(/not JSON/);
  });

  it('answers an unknown channel with 404', async () => {
    for (const p of ['/api/app/shutdown', '/api/__proto__/constructor', '/api/app:info']) {
      const reply = await rawRequest(host.origin, 'POST', p, json(), '{}');
      expect(reply.status, p).toBe(404);
      expect(errorOf(reply).code).toBe('unknown-channel');
    }
  });

  it('routes POST /api/<domain>/<verb> to the channel and answers its output', async () => {
    const reply = await rawRequest(host.origin, 'POST', '/api/collection/recent', json(), '{}');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ dirs: [] });
    expect(rec.calls.at(-1)).toBe('collection:recent' satisfies ChannelName);
  });

  it('delivers events as server-sent events', async () => {
    const port = new URL(host.origin).port;
    const { request } = await import('node:http');
    const received = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/events',
          headers: { Host: hostName, Cookie: cookie, Accept: 'text/event-stream' },
        },
        (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          let text = '';
          let fired = false;
          res.on('data', (c: Buffer) => {
            text += c.toString('utf8');
            if (!fired && text.includes(': connected')) {
              fired = true;
              rec.fire('collection:changed', { dir: '/c', paths: ['a.yaml'] });
            }
            const at = text.indexOf('event: ');
            if (at >= 0 && text.includes('\n\n', at)) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(received).toContain('event: collection:changed\ndata: {"dir":"/c","paths":["a.yaml"]}\n\n');
    // A closed stream stops listening, so a long-running host does not pile up listeners.
    await vi.waitFor(() => expect(rec.listenerCount('collection:changed')).toBe(0));
  });

  it('refuses the event stream without the token', async () => {
    const reply = await rawRequest(host.origin, 'GET', '/api/events', { Host: hostName });
    expect(reply.status).toBe(401);
  });
});

describe('browser host: the renderer files', () => {
  it('serves the renderer with the CSP header', async () => {
    const page = await rawRequest(host.origin, 'GET', '/', { Host: hostName, Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Webhook Studio');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    const js = await rawRequest(host.origin, 'GET', '/assets/app.js', { Host: hostName, Cookie: cookie });
    expect(js.headers['content-type']).toMatch(/text\/javascript/);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%5c..%5csecret.txt']) {
      const reply = await rawRequest(host.origin, 'GET', p, { Host: hostName, Cookie: cookie });
      expect(reply.body, p).not.toContain('TOP-SECRET');
    }
    const missing = await rawRequest(host.origin, 'GET', '/assets/missing.js', { Host: hostName, Cookie: cookie });
    expect(missing.status).toBe(404);
  });
});
