import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '@renderer/App';
import { StoreProvider } from '@renderer/store/context';
import { createStudioStore } from '@renderer/store/studio-store';
import { useUi } from '@renderer/store/ui-store';
import { StudioError } from '@shared/model/error';
import { fakeApi } from '../fake-api';
import { exchange, snapshot } from '../fixtures';

afterEach(() => {
  cleanup();
  localStorage.clear();
  useUi.setState({ rightTab: 'preview', editorTab: 'template', dialog: null, paletteOpen: false, view: 'studio' });
});

function mount(handlers: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi({
    'app:info': () => ({ version: '0', shell: 'browser', platform: 'linux', collectionDir: '/c' }),
    'collection:open': () => snapshot(),
    'collection:recent': () => ({ dirs: [] }),
    'history:list': () => ({ entries: [] }),
    ...handlers,
  });
  const store = createStudioStore(fake.api, { newId: () => 'send-1' });
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  return { store, ...fake };
}

describe('the studio page', () => {
  it('renders the open webhook and its live preview for the active context', async () => {
    mount();
    const preview = await screen.findByTestId('preview-body');
    expect(preview.textContent).toBe('{"email": "ada@example.com"}');
    expect(screen.getByTestId('wire-target').textContent).toContain('POST /hook?id=7 HTTP/1.1');
  });

  it('updates the preview when the context changes in the store', async () => {
    const { store } = mount();
    await screen.findByTestId('preview-body');
    const c = store.getState().contexts['contexts/plain.yaml']!;
    act(() =>
      store.getState().updateContext('contexts/plain.yaml', {
        ...c.value,
        lead: { ...c.value.lead, 'Email Address': 'grace@example.com' },
      }),
    );
    expect(screen.getByTestId('preview-body').textContent).toBe('{"email": "grace@example.com"}');
  });

  it('edits a lead value in the context editor with the field type from the catalog', async () => {
    const { store } = mount();
    await screen.findByTestId('preview-body');
    fireEvent.click(
      within(screen.getByRole('navigation', { name: 'Collection' })).getByRole('button', { name: /Plain/ }),
    );
    const id = await screen.findByLabelText('Lead Id: value');
    fireEvent.change(id, { target: { value: '42' } });
    expect(store.getState().contexts['contexts/plain.yaml']?.value.lead['Id']).toBe(42);
    expect(screen.getByTestId('preview-head').textContent).toContain('POST /hook?id=42 HTTP/1.1');
  });

  it('shows the response with its outcome after Send, and a conflict without losing the edit', async () => {
    const { store } = mount({
      'webhook:send': () =>
        exchange({ outcome: 'ignored', response: { ...exchange().response!, status: 404, reason: 'Not Found' } }),
      'collection:saveWebhook': () =>
        Promise.reject(new StudioError({ code: 'conflict', message: 'webhooks/enrich.yaml changed on disk.' })),
    });
    await screen.findByTestId('preview-body');
    fireEvent.click(screen.getByRole('button', { name: /^Send/ }));
    const banner = await screen.findByTestId('outcome-banner');
    expect(banner.textContent).toContain('Non-2xx: Marketo writes nothing. Error Type = Not Found');

    fireEvent.change(screen.getByLabelText('Webhook name'), { target: { value: 'Mine' } });
    await act(() => store.getState().save());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('changed on disk');
    expect(screen.getByLabelText<HTMLInputElement>('Webhook name').value).toBe('Mine');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Overwrite with mine' })).toBeTruthy());
  });
});

describe('the request target line', () => {
  it('shows what a browser would have sent when it differs from what Marketo sends', async () => {
    const { store } = mount();
    await screen.findByTestId('preview-body');
    act(() =>
      store.getState().updateWebhook('webhooks/enrich.yaml', { url: 'https://api.example.com/a"b?q={{lead.Id}}' }),
    );
    const line = screen.getByLabelText('Request target');
    expect(line.textContent).toContain('POST /a"b?q=7 HTTP/1.1');
    // One line until the user asks: the toggle says a browser would differ, and opens the row that says how.
    expect(line.textContent).not.toContain('A browser would send');
    const toggle = screen.getByRole('button', { name: /A browser would differ/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    act(() => toggle.click());
    expect(line.textContent).toContain('A browser would send/a%22b?q=7');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
  });
});

describe('context values with line breaks', () => {
  it('edits them in a text area so the line break is kept', async () => {
    const snap = snapshot();
    const ctx = snap.contexts[0]!;
    mount({
      'collection:open': () => ({
        ...snap,
        contexts: [
          { ...ctx, context: { ...ctx.context, lead: { ...ctx.context.lead, Address: 'Up the hill\nWell Lane' } } },
        ],
      }),
    });
    await screen.findByTestId('preview-body');
    fireEvent.click(
      within(screen.getByRole('navigation', { name: 'Collection' })).getByRole('button', { name: /Plain/ }),
    );
    const area = await screen.findByLabelText('Lead Address: value');
    expect(area.tagName).toBe('TEXTAREA');
    expect((area as HTMLTextAreaElement).value).toBe('Up the hill\nWell Lane');
  });
});

describe('without a collection', () => {
  it('welcomes the user with a way to open or create one', async () => {
    localStorage.clear();
    const { calls } = mount({ 'app:info': () => ({ version: '0', shell: 'browser', platform: 'linux' }) });
    await waitFor(() => expect(calls.some((c) => c.channel === 'collection:recent')).toBe(true));
    expect(calls.some((c) => c.channel === 'collection:open')).toBe(false);
    const dialog = await screen.findByRole('dialog', { name: 'Open a collection' });
    expect(within(dialog).getByLabelText('Collection folder')).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Create here' })).toBeTruthy();
  });
});
