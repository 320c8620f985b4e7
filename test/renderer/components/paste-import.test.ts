import { describe, expect, it } from 'vitest';
import { createStudioStore } from '@renderer/store/studio-store';
import { importPastedText, pasteCurlIntoWebhook, readPastedRequest } from '@renderer/components/paste-import';
import { fakeApi } from '../fake-api';
import { snapshot } from '../fixtures';

async function openStore() {
  const fake = fakeApi({ 'collection:open': () => snapshot(), 'history:list': () => ({ entries: [] }) });
  const store = createStudioStore(fake.api, { newId: () => 'send-1' });
  await store.getState().openCollection('/c');
  return store;
}

describe('paste import', () => {
  it('tells a curl command from a raw HTTP request from other text', () => {
    expect(readPastedRequest('  curl https://h/').kind).toBe('curl command');
    expect(readPastedRequest('\nGET /x HTTP/1.1\nHost: h\n').kind).toBe('HTTP request');
    expect(readPastedRequest('{"info":{}}').kind).toBeUndefined();
  });

  it('a pasted request becomes one unsaved draft, opened; Undo closes it and writes nothing', async () => {
    const store = await openStore();
    const before = store.getState().webhookOrder.length;
    importPastedText(store, 'DELETE /v1/lead/7?x=%20 HTTP/1.1\nHost: h.example\nX-A: 1\n\n');
    const s = store.getState();
    const key = s.webhookOrder.at(-1)!;
    expect(s.webhookOrder.length).toBe(before + 1);
    expect(s.selected).toEqual({ kind: 'webhook', key });
    expect(s.webhooks[key]).toMatchObject({
      dirty: true,
      value: { method: 'DELETE', url: 'https://h.example/v1/lead/7?x=%20', headers: [{ name: 'X-A', value: '1' }] },
    });
    expect(s.webhooks[key]?.path).toBeUndefined();
    const notice = s.notices.at(-1)!;
    expect(notice.text).toBe('Imported DELETE h.example/v1/lead/7 from the pasted HTTP request.');
    await notice.action?.run();
    expect(store.getState().webhookOrder.length).toBe(before);
  });

  it('a curl command pasted into the URL field replaces the request parts, and Undo puts them back', async () => {
    const store = await openStore();
    const key = store.getState().webhookOrder[0]!;
    const was = store.getState().webhooks[key]!.value;
    expect(pasteCurlIntoWebhook(store, key, 'https://not-curl/')).toBe(false);
    expect(pasteCurlIntoWebhook(store, key, `curl -X PATCH https://p.example/a -H 'X-B: 2'`)).toBe(true);
    expect(store.getState().webhooks[key]?.value).toMatchObject({
      name: was.name,
      method: 'PATCH',
      url: 'https://p.example/a',
      headers: [{ name: 'X-B', value: '2' }],
      template: '',
      mappings: was.mappings,
    });
    await store.getState().notices.at(-1)?.action?.run();
    expect(store.getState().webhooks[key]?.value).toEqual(was);
    expect(pasteCurlIntoWebhook(store, key, `curl 'https://open`)).toBe(true);
    expect(store.getState().notices.at(-1)).toMatchObject({
      kind: 'error',
      text: 'The pasted curl command was not converted: unterminated single quote at line 1, column 6',
    });
    expect(store.getState().webhooks[key]?.value).toEqual(was);
  });

  it('the same request pasted twice opens two drafts with names of their own', async () => {
    const store = await openStore();
    const raw = 'POST /leads HTTP/1.1\nHost: h.example\n\n';
    importPastedText(store, raw);
    importPastedText(store, raw);
    const s = store.getState();
    const names = s.webhookOrder.slice(-2).map((k) => s.webhooks[k]?.value.name);
    expect(names).toEqual(['POST h.example/leads', 'POST h.example/leads 2']);
    expect(s.notices.at(-1)?.text).toBe('Imported POST h.example/leads 2 from the pasted HTTP request.');
  });

  it('a curl command over the paste ceiling pasted into the URL field is refused unread, naming its size', async () => {
    const store = await openStore();
    const key = store.getState().webhookOrder[0]!;
    const was = store.getState().webhooks[key]!.value;
    const huge = `curl https://h.example/ -d '${'x'.repeat(6 * 1024 * 1024)}'`;
    expect(pasteCurlIntoWebhook(store, key, huge)).toBe(true);
    expect(store.getState().notices.at(-1)?.text).toMatch(
      /^The pasted curl command was not converted: the command has \d+ characters; a pasted request may have at most/,
    );
    expect(store.getState().webhooks[key]?.value).toEqual(was);
  });
});
