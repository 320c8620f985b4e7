import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '@renderer/App';
import { StoreProvider } from '@renderer/store/context';
import { createStudioStore } from '@renderer/store/studio-store';
import { useUi } from '@renderer/store/ui-store';
import type { Exchange } from '@shared/model';
import { fakeApi } from '../../fake-api';
import { exchange, snapshot } from '../../fixtures';

afterEach(() => {
  cleanup();
  localStorage.clear();
  useUi.setState({ rightTab: 'preview', editorTab: 'template', dialog: null, paletteOpen: false, view: 'studio' });
});

async function sendAndShow(answer: Exchange, handlers: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi({
    'app:info': () => ({ version: '0', shell: 'browser', platform: 'linux', collectionDir: '/c' }),
    'collection:open': () => snapshot(),
    'collection:recent': () => ({ dirs: [] }),
    'history:list': () => ({ entries: [] }),
    'webhook:send': () => answer,
    ...handlers,
  });
  const store = createStudioStore(fake.api, { newId: () => 'send-1' });
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  await screen.findByTestId('preview-body');
  fireEvent.click(screen.getByRole('button', { name: /^Send/ }));
  await screen.findByTestId('outcome-banner');
  return { store, ...fake };
}

const res = exchange().response!;

describe('the response header', () => {
  it("shows the webhook's URL, and where the request really went as a separate fact", async () => {
    await sendAndShow(
      exchange({
        request: { ...exchange().request, url: 'https://api.example.com/hook?id=7', origin: 'http://127.0.0.1:32777' },
      }),
    );
    expect(screen.getByTestId('response-url').textContent).toBe('POST https://api.example.com/hook?id=7');
    expect(screen.getByTestId('response-went-to').textContent).toContain('http://127.0.0.1:32777');
  });

  it('says nothing about where it went when it went to the URL', async () => {
    await sendAndShow(exchange());
    expect(screen.getByTestId('response-url').textContent).toBe('POST https://api.example.com/hook');
    expect(screen.queryByTestId('response-went-to')).toBeNull();
  });
});

describe('the response body', () => {
  it('an empty body says it is empty, not "Unexpected end of JSON input"', async () => {
    await sendAndShow(exchange({ outcome: 'empty-body', response: { ...res, body: '', bodyBytes: 0 } }));
    expect((await screen.findByTestId('body-empty')).textContent).toContain('The body is empty');
    expect(screen.getByTestId('response').textContent).not.toContain('Unexpected end');
  });

  it('an XML body is pretty-printed even when the response type is JSON', async () => {
    await sendAndShow(
      exchange({
        response: {
          ...res,
          headers: [{ name: 'Content-Type', value: 'text/xml' }],
          body: '<r><a>1</a></r>',
          bodyBytes: 15,
        },
      }),
    );
    await waitFor(() =>
      expect(screen.getByRole('region', { name: 'Pretty response body' }).textContent).toContain('  <a>1</a>'),
    );
  });

  it('searching a partly loaded body says only the first part was searched', async () => {
    const body = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ i })) });
    await sendAndShow(
      exchange({ response: { ...res, body: body.slice(0, 300), bodyBytes: 5_000_000, truncated: true } }),
    );
    fireEvent.change(screen.getByLabelText('Search the response body'), { target: { value: 'zzz' } });
    expect((await screen.findByText(/No match in the first/)).textContent).toContain('only that part is loaded');
  });

  it('the raw view wraps long lines on request', async () => {
    await sendAndShow(exchange({ response: { ...res, body: `{"a":"${'x'.repeat(300)}"}`, bodyBytes: 308 } }));
    fireEvent.click(screen.getByRole('button', { name: 'Raw' }));
    fireEvent.click(await screen.findByLabelText('Wrap lines'));
    await waitFor(() =>
      expect(screen.getByRole('region', { name: 'Raw response body' }).querySelectorAll('.vrow').length).toBe(4),
    );
  });
});

describe('the timing tab', () => {
  it('bars add up to Total with the unaccounted time named; cost multiplies the wire time', async () => {
    await sendAndShow(
      exchange({
        timings: { dnsMs: 1.5, connectMs: 0.5, tlsMs: null, sentMs: 0.8, ttfbMs: 13, downloadMs: null, totalMs: 64 },
      }),
    );
    fireEvent.click(screen.getByRole('tab', { name: 'Timing & cost' }));
    expect(screen.getByLabelText('Timing').textContent).toContain('Queued & unaccounted');
    expect(screen.getByTestId('campaign-cost').textContent).toContain('2 min 38 s = 16 ms ×');
  });
});

describe('the webhook editor says where a problem is (issue 15)', () => {
  it('an invalid mapping path is marked in its Mappings row', async () => {
    const snap = snapshot();
    snap.webhooks[0] = {
      ...snap.webhooks[0]!,
      webhook: {
        ...snap.webhooks[0]!.webhook,
        mappings: [
          { attribute: 'a..b', field: 'Title' },
          { attribute: 'ok', field: 'Title' },
        ],
      },
    };
    await sendAndShow(exchange(), { 'collection:open': () => snap });
    fireEvent.click(screen.getByRole('tab', { name: /Mappings/ }));
    expect(screen.getByLabelText('Mapping 1 response attribute').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('mapping-0-problem').textContent).toContain('is not a Marketo path');
    expect(screen.queryByTestId('mapping-1-problem')).toBeNull();
  });

  it('profile options are labelled in words, without citing the spec', async () => {
    await sendAndShow(exchange());
    fireEvent.click(screen.getByRole('tab', { name: 'Settings' }));
    expect(screen.getByLabelText('Timeout (ms)')).toBeTruthy();
    const panel = screen.getByLabelText('Timeout (ms)').closest('.section')!;
    expect(panel.textContent).not.toContain('spec §');
    expect(panel.textContent).toContain('README');
  });
});

describe('copy and history words (issue 15)', () => {
  const head =
    'POST /hook?id=7 HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\nX-Key: ••••••\r\ncontent-length: 11\r\n\r\n';
  const sent = exchange({
    request: {
      ...exchange().request,
      url: 'https://api.example.com/hook?id=7',
      requestTarget: '/hook?id=7',
      head,
      body: '{"a":"b c"}',
    },
  });

  async function copied(name: string): Promise<string> {
    fireEvent.click(screen.getByRole('button', { name }));
    await screen.findByText('Copied');
    return navigator.clipboard.readText();
  }

  it('copies the request line, headers, raw request, curl, raw response and the body', async () => {
    await sendAndShow(sent);
    fireEvent.click(within(screen.getByTestId('response')).getByRole('tab', { name: /Headers/ }));
    expect(await copied('Copy request line')).toBe('POST /hook?id=7 HTTP/1.1');
    fireEvent.click(await screen.findByRole('button', { name: 'Copy request headers' }));
    await waitFor(async () =>
      expect(await navigator.clipboard.readText()).toBe(
        'Host: api.example.com\nContent-Type: application/json\nX-Key: ••••••\ncontent-length: 11',
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Copy raw request' }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toBe(`${head}{"a":"b c"}`));
    fireEvent.click(screen.getByRole('button', { name: 'Copy as curl' }));
    await waitFor(async () =>
      expect(await navigator.clipboard.readText()).toContain(
        "curl --path-as-is --globoff -X POST 'https://api.example.com/hook?id=7'",
      ),
    );
    expect(await navigator.clipboard.readText()).toContain(`--data-raw '{"a":"b c"}'`);
    fireEvent.click(screen.getByRole('button', { name: 'Copy raw response' }));
    await waitFor(async () =>
      expect(await navigator.clipboard.readText()).toBe(
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"a":1}',
      ),
    );
    fireEvent.click(within(screen.getByTestId('response')).getByRole('tab', { name: 'Body' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Copy body' }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toBe('{"a":1}'));
  });

  it('history rows say their outcome in words and their time as the pane does', async () => {
    const entries = [
      {
        id: 'h1',
        webhook: 'Enrich',
        startedAt: '2026-11-27T18:00:00.000Z',
        outcome: 'timeout' as const,
        totalMs: 30002,
      },
      { id: 'h2', webhook: 'Enrich', startedAt: '2026-11-27T18:01:00.000Z', outcome: 'not-sent' as const, totalMs: 1 },
      {
        id: 'h3',
        webhook: 'Enrich',
        startedAt: '2026-11-27T18:02:00.000Z',
        outcome: 'network-error' as const,
        totalMs: 3,
      },
      { id: 'h4', webhook: 'Enrich', startedAt: '2026-11-27T18:03:00.000Z', outcome: 'cancelled' as const, totalMs: 9 },
      {
        id: 'h5',
        webhook: 'Enrich',
        startedAt: '2026-11-27T18:04:00.000Z',
        status: 404,
        outcome: 'ignored' as const,
        totalMs: 12,
      },
    ];
    await sendAndShow(
      exchange({
        startedAt: '2026-11-27T18:00:00.000Z',
        outcome: 'timeout',
        response: undefined,
        timings: { ...exchange().timings, totalMs: 30002 },
      }),
      { 'history:list': () => ({ entries }) },
    );
    const list = await screen.findByRole('list', { name: 'History of this webhook' });
    const rows = [...list.querySelectorAll('li')].map((li) => li.querySelector('.status')?.textContent);
    expect(rows).toEqual(['timed out', 'not sent', 'no answer', 'cancelled', '404']);
    expect(list.textContent).toContain('30.0 s');
    expect(list.textContent).not.toContain('30002 ms');
    expect(screen.getByTestId('response-when').textContent).toContain(list.querySelector('.when')!.textContent);
  });
});

describe('send again (issue 15)', () => {
  it('sends the webhook again from the response', async () => {
    const { calls } = await sendAndShow(exchange());
    fireEvent.click(screen.getByRole('button', { name: 'Resend' }));
    await waitFor(() => expect(calls.filter((c) => c.channel === 'webhook:send')).toHaveLength(2));
  });
});

describe('compare two exchanges (issue 15)', () => {
  it('shows request, response and mapping results of two history entries side by side, differences marked', async () => {
    const older = exchange({
      id: 'h1',
      startedAt: '2026-11-27T17:00:00.000Z',
      request: { ...exchange().request, body: '{"email":"a@x.example"}' },
      response: { ...res, body: '{"a":1,"b":2}' },
      mapping: {
        status: 200,
        outcome: 'updated',
        mappings: [{ index: 0, attribute: 'a', field: 'Title', found: true, value: 1, coerced: '1', written: true }],
        lead: { before: {}, after: {} },
        diagnostics: [],
      },
    });
    const newer = exchange({
      id: 'h2',
      startedAt: '2026-11-27T18:00:00.000Z',
      request: { ...exchange().request, body: '{"email":"b@x.example"}' },
      response: { ...res, body: '{"a":1,"b":3}' },
      mapping: {
        status: 200,
        outcome: 'updated',
        mappings: [{ index: 0, attribute: 'a', field: 'Title', found: true, value: 1, coerced: '1', written: true }],
        lead: { before: {}, after: {} },
        diagnostics: [],
      },
    });
    const entries = [
      {
        id: 'h2',
        webhook: 'Enrich',
        startedAt: newer.startedAt,
        status: 200,
        outcome: 'updated' as const,
        totalMs: 50,
      },
      {
        id: 'h1',
        webhook: 'Enrich',
        startedAt: older.startedAt,
        status: 200,
        outcome: 'updated' as const,
        totalMs: 40,
      },
    ];
    await sendAndShow(newer, {
      'history:list': () => ({ entries }),
      'history:get': (input) => ((input as { id: string }).id === 'h1' ? older : newer),
    });
    fireEvent.click(within(screen.getByTestId('response')).getByRole('tab', { name: 'Compare' }));
    const left = (await screen.findAllByTestId('compare-left'))[0]!;
    const right = screen.getAllByTestId('compare-right')[0]!;
    expect(left.textContent).toContain('a@x.example');
    expect(right.textContent).toContain('b@x.example');
    const changedLeft = [...screen.getAllByTestId('compare-left')].flatMap((el) =>
      [...el.querySelectorAll('[data-changed]')].map((d) => d.textContent),
    );
    expect(changedLeft).toEqual(['{"email":"a@x.example"}', '  "b": 2']);
    expect(screen.getByTestId('compare').textContent).toContain('Mapping results the same');
  });
});
