import { describe, expect, it } from 'vitest';
import { StudioError } from '@shared/model/error';
import { createHttpApi, createOffThreadJsonParser, OFF_THREAD_PARSE_BYTES } from '../../renderer/src/api-http';
import { detachedBodyBytes } from '../../renderer/src/lib/detached-body';
import { exchange } from './fixtures';

type Sent = { url: string; init: RequestInit };

function fakeFetch(answer: (s: Sent) => { status: number; body: string }) {
  const sent: Sent[] = [];
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const s = { url: input instanceof Request ? input.url : input.toString(), init: init ?? {} };
    sent.push(s);
    const a = answer(s);
    return new Response(a.body, { status: a.status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  return { f, sent };
}

describe('HTTP api', () => {
  it('posts JSON to /api/<domain>/<verb> with the studio header and same-origin credentials', async () => {
    const { f, sent } = fakeFetch(() => ({ status: 200, body: '{"dirs":["/a"]}' }));
    const api = createHttpApi({ fetch: f });
    await expect(api.collection.recent({})).resolves.toEqual({ dirs: ['/a'] });
    const s = sent[0]!;
    expect(s.url).toBe('/api/collection/recent');
    expect(s.init.method).toBe('POST');
    expect(s.init.credentials).toBe('same-origin');
    expect(s.init.headers).toMatchObject({ 'Content-Type': 'application/json', 'X-Studio-Request': '1' });
    expect(s.init.body).toBe('{}');
  });

  it('turns an error answer into a StudioError with its code, where and issues', async () => {
    const { f } = fakeFetch(() => ({
      status: 409,
      body: JSON.stringify({
        error: {
          code: 'conflict',
          message: 'changed on disk',
          where: 'webhooks/a.yaml',
          issues: [{ path: 'name', message: 'bad' }],
        },
      }),
    }));
    const api = createHttpApi({ fetch: f });
    const err = await api.collection
      .saveWebhook({ dir: '/c', webhook: { name: 'a', url: 'x' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect(err).toMatchObject({
      code: 'conflict',
      message: 'changed on disk',
      where: 'webhooks/a.yaml',
      issues: [{ path: 'name', message: 'bad' }],
    });
  });

  it('names the status when an error answer has no error object', async () => {
    const { f } = fakeFetch(() => ({ status: 502, body: 'null' }));
    const err = await createHttpApi({ fetch: f })
      .app.info({})
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'http-502', where: 'app:info' });
  });

  it('reports a host that does not answer', async () => {
    const f = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const err = await createHttpApi({ fetch: f })
      .app.info({})
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'host-unreachable' });
    expect((err as Error).message).toContain('Failed to fetch');
  });

  it('delivers server-sent events by name to their listeners, and stops after unsubscribe', () => {
    const sources: FakeSource[] = [];
    class FakeSource {
      listeners = new Map<string, (e: MessageEvent<string>) => void>();
      constructor(readonly url: string) {
        sources.push(this);
      }
      addEventListener(name: string, l: (e: MessageEvent<string>) => void) {
        this.listeners.set(name, l);
      }
      fire(name: string, data: string) {
        this.listeners.get(name)?.({ data } as MessageEvent<string>);
      }
    }
    const api = createHttpApi({
      fetch: fakeFetch(() => ({ status: 200, body: '{}' })).f,
      EventSource: FakeSource as unknown as typeof EventSource,
    });
    const got: unknown[] = [];
    const off = api.on('collection:changed', (p) => got.push(p));
    expect(sources[0]?.url).toBe('/api/events');
    sources[0]!.fire('collection:changed', '{"dir":"/c","paths":["a.yaml"]}');
    sources[0]!.fire('collection:changed', 'not json');
    off();
    sources[0]!.fire('collection:changed', '{"dir":"/c","paths":[]}');
    expect(got).toEqual([{ dir: '/c', paths: ['a.yaml'] }]);
  });

  it('parses large answers in a worker and small ones in place', async () => {
    const posted: { text: string; transferred: boolean }[] = [];
    class FakeWorker {
      onmessage: ((e: MessageEvent) => void) | null = null;
      postMessage(m: { id: number; bytes: ArrayBuffer }, transfer: Transferable[]) {
        const text = new TextDecoder().decode(m.bytes);
        posted.push({ text, transferred: transfer.includes(m.bytes) });
        setTimeout(() => this.onmessage?.({ data: { id: m.id, value: JSON.parse(text) } } as MessageEvent), 0);
      }
    }
    const parse = createOffThreadJsonParser(() => new FakeWorker() as unknown as Worker, 10);
    const bytes = (s: string) => new TextEncoder().encode(s).buffer;
    await expect(parse(bytes('[1]'), false)).resolves.toEqual({ value: [1] });
    await expect(parse(bytes('{"big":"0123456789"}'), false)).resolves.toEqual({ value: { big: '0123456789' } });
    expect(posted).toEqual([{ text: '{"big":"0123456789"}', transferred: true }]);
  });

  it('keeps a large exchange body as bytes beside the exchange, for sends only', async () => {
    const ex = exchange();
    const { f } = fakeFetch(() => ({ status: 200, body: JSON.stringify(ex) }));
    const seen: boolean[] = [];
    const body = new TextEncoder().encode('{"a":1}').buffer;
    const api = createHttpApi({
      fetch: f,
      parseJson: async (bytes, detach) => {
        seen.push(detach);
        return { value: JSON.parse(new TextDecoder().decode(bytes)) as unknown, bodyBytes: detach ? body : undefined };
      },
    });
    const out = await api.webhook.send({ webhook: { name: 'w', url: 'x' }, context: { name: 'c' }, sendId: 's' });
    expect(detachedBodyBytes(out.response)).toBe(body);
    await api.history.list({ dir: '/c', webhookPath: 'w.yaml' }).catch(() => undefined);
    expect(seen).toEqual([true, false]);
  });

  it("hands a large answer's body stream to the worker unread, so the page never gathers its bytes (issue 15)", async () => {
    const ex = exchange();
    const text = JSON.stringify({ ...ex, message: 'x'.repeat(OFF_THREAD_PARSE_BYTES) });
    const f = (async () =>
      new Response(text, {
        status: 200,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': String(new TextEncoder().encode(text).byteLength),
        },
      })) as typeof fetch;
    const used: string[] = [];
    const api = createHttpApi({
      fetch: f,
      parseJson: async (bytes) => {
        used.push('bytes');
        return { value: JSON.parse(new TextDecoder().decode(bytes)) as unknown };
      },
      parseJsonStream: async (stream, detach) => {
        used.push(`stream ${detach}`);
        return { value: JSON.parse(await new Response(stream).text()) as unknown };
      },
    });
    const out = await api.webhook.send({ webhook: { name: 'w', url: 'x' }, context: { name: 'c' }, sendId: 's' });
    expect(out.id).toBe(ex.id);
    expect(used).toEqual(['stream true']);
  });
});
