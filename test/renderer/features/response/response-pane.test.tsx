import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from '../../../../renderer/src/App';
import { StoreProvider } from '../../../../renderer/src/store/context';
import { createStudioStore } from '../../../../renderer/src/store/studio-store';
import { useUi } from '../../../../renderer/src/store/ui-store';
import type { Exchange } from '../../../../shared/model';
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
    await sendAndShow(exchange({ request: { ...exchange().request, url: 'https://api.example.com/hook?id=7', origin: 'http://127.0.0.1:32777' } }));
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
    await sendAndShow(exchange({ response: { ...res, headers: [{ name: 'Content-Type', value: 'text/xml' }], body: '<r><a>1</a></r>', bodyBytes: 15 } }));
    await waitFor(() => expect(screen.getByRole('region', { name: 'Pretty response body' }).textContent).toContain('  <a>1</a>'));
  });

  it('searching a partly loaded body says only the first part was searched', async () => {
    const body = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ i })) });
    await sendAndShow(exchange({ response: { ...res, body: body.slice(0, 300), bodyBytes: 5_000_000, truncated: true } }));
    fireEvent.change(screen.getByLabelText('Search the response body'), { target: { value: 'zzz' } });
    expect((await screen.findByText(/No match in the first/)).textContent).toContain('only that part is loaded');
  });

  it('the raw view wraps long lines on request', async () => {
    await sendAndShow(exchange({ response: { ...res, body: `{"a":"${'x'.repeat(300)}"}`, bodyBytes: 308 } }));
    fireEvent.click(screen.getByRole('button', { name: 'Raw' }));
    fireEvent.click(await screen.findByLabelText('Wrap lines'));
    await waitFor(() => expect(screen.getByRole('region', { name: 'Raw response body' }).querySelectorAll('.vrow').length).toBe(4));
  });
});

describe('the timing tab', () => {
  it('bars add up to Total with the unaccounted time named; cost multiplies the wire time', async () => {
    await sendAndShow(exchange({ timings: { dnsMs: 1.5, connectMs: 0.5, tlsMs: null, sentMs: 0.8, ttfbMs: 13, downloadMs: null, totalMs: 64 } }));
    fireEvent.click(screen.getByRole('tab', { name: 'Timing & cost' }));
    expect(screen.getByLabelText('Timing').textContent).toContain('Queued & unaccounted');
    expect(screen.getByTestId('campaign-cost').textContent).toContain('2 min 38 s = 16 ms ×');
  });
});

describe('the webhook editor says where a problem is (issue 15)', () => {
  it('an invalid mapping path is marked in its Mappings row', async () => {
    const snap = snapshot();
    snap.webhooks[0] = { ...snap.webhooks[0]!, webhook: { ...snap.webhooks[0]!.webhook, mappings: [{ attribute: 'a..b', field: 'Title' }, { attribute: 'ok', field: 'Title' }] } };
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
