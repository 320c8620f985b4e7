import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { App } from '@renderer/App';
import { StoreProvider } from '@renderer/store/context';
import { createStudioStore } from '@renderer/store/studio-store';
import { useUi } from '@renderer/store/ui-store';
import { renderedRequestText } from '@renderer/features/response/now-side';
import { renderWebhook } from '@shared/engine';
import { fakeApi } from '../../fake-api';
import { context, exchange, snapshot, webhook } from '../../fixtures';

afterEach(() => {
  cleanup();
  localStorage.clear();
  useUi.setState({ rightTab: 'preview', editorTab: 'template', dialog: null, paletteOpen: false, view: 'studio' });
});

describe('compare Now (what the editor would send) with a sent exchange (issue 15)', () => {
  it('writes the rendered request in the lines of a sent one', () => {
    const r = renderWebhook(webhook('W', { url: 'https://api.example.com/p?x={{lead.Id}}' }), context('C', { Id: 7 }));
    const lines = renderedRequestText(r);
    expect(lines[0]).toBe('POST /p?x=7 HTTP/1.1');
    expect(lines).toContain('');
  });

  it('offers Now as a side and marks the request line that differs from the sent one', async () => {
    const sent = exchange({
      id: 'x-old',
      request: { ...exchange().request, head: 'POST /old-path HTTP/1.1\r\nHost: api.example.com\r\n\r\n' },
    });
    const fake = fakeApi({
      'app:info': () => ({ version: '0', shell: 'browser', platform: 'linux', collectionDir: '/c' }),
      'collection:open': () => snapshot(),
      'collection:recent': () => ({ dirs: [] }),
      'history:list': () => ({ entries: [] }),
      'webhook:send': () => sent,
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
    fireEvent.click(within(screen.getByTestId('response')).getByRole('tab', { name: 'Compare' }));
    // With one send and no history, Compare starts with Now against the one shown.
    expect(screen.getByLabelText<HTMLSelectElement>('Compare left').value).toBe('now');
    const note = await screen.findByTestId('compare-now-note');
    expect(note.textContent).toContain('active context');
    const changed = (side: string) =>
      [...screen.getByTestId(`compare-${side}`).querySelectorAll('[data-changed]')].map((d) => d.textContent);
    expect(changed('left')).toContain('POST /hook?id=7 HTTP/1.1');
    expect(changed('right')).toContain('POST /old-path HTTP/1.1');
    // Only the request can differ: nothing was sent for Now.
    expect(screen.getByTestId('compare').textContent).not.toContain('Mapping results');
  });
});
